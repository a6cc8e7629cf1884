using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Testing;

namespace TeamBot.Data.Tests;

public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrations_ApplyToAnEmptyDatabase_AndMatchTheModel(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run scripts/add-migration.sh <Name>.");
            Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
            return true;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrate_WhenRunAgain_ChangesNothing(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await world.SubmitAsync(TestWorld.Lead("kept@acme.com"));

        await world.InScopeAsync(async sp =>
        {
            await DataServices.MigrateAsync(sp.GetRequiredService<TeamBotDbContext>(), CancellationToken.None);
            return true;
        });

        Assert.NotNull(await world.GetLeadAsync(1));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrate_FromBeforeSortedClaimSpeeds_MarksEveryStoredDayForRebuilding(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        var marked = await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            var before = db.Database.GetMigrations().Last(m => m.EndsWith("_ReportTotals", StringComparison.Ordinal));
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(before);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM report_dirty_days");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO report_days (workspace_id, grouping, part, day, totals) VALUES ('w', 0, 0, 20000, {0}), ('w', 0, 3, 20000, {0}), ('w', 1, 0, 20001, {0})",
                new byte[] { 1, 0, 0, 0, 0 });

            // One migration is missing now: start-up applies it.
            await DataServices.MigrateAsync(db, CancellationToken.None);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            return await db.ReportDirtyDays.AsNoTracking().OrderBy(d => d.Day).Select(d => d.WorkspaceId + " " + d.Day).ToListAsync();
        });

        Assert.Equal(["w 20000", "w 20001"], marked);
    }

    [PostgresFact]
    public async Task PostgresServer_NamedForTheTests_Answers()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        var options = new DbContextOptionsBuilder<TeamBotDbContext>();
        database.Configure(options);
        await using var db = new TeamBotDbContext(options.Options);
        Assert.True(await db.Database.CanConnectAsync());
    }
}
