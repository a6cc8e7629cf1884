using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Goals;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Reports;
using TeamBot.Core.Workspaces;
using TeamBot.Data.Stores;

namespace TeamBot.Data;

public static class DataServices
{
    /// <summary>Registers the DbContext with the provider the host configures, and every store.</summary>
    public static IServiceCollection AddTeamBotData(this IServiceCollection services, Action<DbContextOptionsBuilder> configureProvider)
    {
        services.AddDbContextPool<TeamBotDbContext>(options =>
        {
            configureProvider(options);
            options.ReplaceService<IModelCacheKeyFactory, ProviderModelCacheKeyFactory>();
        });
        services.AddScoped<IUnitOfWork, EfUnitOfWork>();
        services.AddScoped<EfWorkspaceStore>();
        services.AddScoped<IWorkspaceStore>(sp => sp.GetRequiredService<EfWorkspaceStore>());
        services.AddScoped<IPeopleStore>(sp => sp.GetRequiredService<EfWorkspaceStore>());
        // SQLite's intake looks dedupe keys up here (see RecentLeadKeys); PostgreSQL's in its index.
        services.AddSingleton<RecentLeadKeys>();
        services.AddScoped<EfLeadStore>();
        services.AddScoped<ILeadStore>(sp => sp.GetRequiredService<EfLeadStore>());
        services.AddScoped<IRoutingStore>(sp => sp.GetRequiredService<EfLeadStore>());
        services.AddScoped<EfOutboxStore>();
        services.AddScoped<IOutboxStore>(sp => sp.GetRequiredService<EfOutboxStore>());
        services.AddScoped<IPostedMessageStore>(sp => sp.GetRequiredService<EfOutboxStore>());
        services.AddSingleton<HandoffMessageIndex>();
        services.AddScoped<IFeedbackStore, EfFeedbackStore>();
        services.AddScoped<ILeadFactsQuery, EfLeadFactsQuery>();
        services.AddScoped<EfReportTotals>();
        services.AddScoped<IReportTotals>(sp => sp.GetRequiredService<EfReportTotals>());
        services.AddScoped<IReportRollups>(sp => sp.GetRequiredService<EfReportTotals>());
        services.AddScoped<IHolidayStore, EfHolidayStore>();
        services.AddScoped<IRoleMappingStore, EfRoleMappingStore>();
        services.AddScoped<IChatAddressStore, EfChatAddressStore>();
        services.AddScoped<IGoalStore, EfGoalStore>();
        services.AddScoped<Core.Standups.IStandupStore, EfStandupStore>();
        services.AddScoped<EfDigestStore>();
        services.AddScoped<Core.Digests.IDigestStore>(sp => sp.GetRequiredService<EfDigestStore>());
        services.AddScoped<Core.Digests.IRejectionAlertStore>(sp => sp.GetRequiredService<EfDigestStore>());
        services.AddScoped<Core.Privacy.IPersonalDataStore, EfPersonalDataStore>();
        return services;
    }

    /// <summary>Applies pending migrations; on SQLite also turns on write-ahead logging.</summary>
    /// <remarks>
    /// A database that already has every migration of this build is left as it is, without EF's migrator: its check for model
    /// changes builds a second, design-time model (about 0.2 s of CPU at every start). The history is read with two plain
    /// queries rather than EF's GetPendingMigrationsAsync, measured about 70 ms faster to ready.
    /// </remarks>
    public static async Task MigrateAsync(TeamBotDbContext db, CancellationToken cancellationToken)
    {
        if (db.IsSqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        if (await HasEveryMigrationAsync(db, cancellationToken)) return;
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Whether the migrations history already lists every migration this build has (a newer build's extra ones do not matter).</summary>
    private static async Task<bool> HasEveryMigrationAsync(TeamBotDbContext db, CancellationToken cancellationToken)
    {
        var history = HistoryRepository.DefaultTableName;
        var exists = db.IsSqlite
            ? $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{history}'"
            : $"SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '{history}'";
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = exists;
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0) return false;
            command.CommandText = $"SELECT \"MigrationId\" FROM \"{history}\"";
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetString(0));
            }
            return db.Database.GetMigrations().All(applied.Contains);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A context for design-time tools (scripts/add-migration.sh), with the same model cache rules as at run time.</summary>
    public static TeamBotDbContext CreateDesignTimeContext(DbContextOptionsBuilder<TeamBotDbContext> options)
    {
        options.ReplaceService<IModelCacheKeyFactory, ProviderModelCacheKeyFactory>();
        return new TeamBotDbContext(options.Options);
    }

    /// <summary>This database's installation key, created on first use.</summary>
    public static async Task<string> InstallationKeyAsync(TeamBotDbContext db, CancellationToken cancellationToken)
    {
        var existing = await db.Installation.AsNoTracking().Where(i => i.Id == 1).Select(i => i.Key).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null) return existing;
        db.Installation.Add(new InstallationRow { Id = 1, Key = Guid.NewGuid().ToString("N")[..12] });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (await db.Installation.AsNoTracking().SingleAsync(i => i.Id == 1, cancellationToken)).Key;
    }

    /// <summary>
    /// Frees outbox entries leased by a process that died. Only right while one instance owns the database,
    /// which is how TeamBot runs today; it is called once at start, before anything is dispatched.
    /// </summary>
    public static Task<int> ReleaseOutboxLeasesAsync(TeamBotDbContext db, CancellationToken cancellationToken) =>
        db.Outbox.Where(o => o.LockedBy != null)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.LockedBy, (string?)null).SetProperty(o => o.LockedUntil, (DateTimeOffset?)null), cancellationToken);

    public static Task<int> PurgeDeliveredOutboxAsync(TeamBotDbContext db, DateTimeOffset before, CancellationToken cancellationToken) =>
        new EfOutboxStore(db).PurgeDeliveredAsync(before, cancellationToken);
}
