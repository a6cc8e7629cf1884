using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Tests;

public sealed class UnitOfWorkTests
{
    [Fact]
    public async Task AfterCommit_RunsOnceTheOutermostTransactionCommits_AndNeverOnARollback()
    {
        await using var world = await TestWorld.CreateAsync("sqlite");
        var log = new List<string>();
        await world.InScopeAsync(async sp =>
        {
            var unitOfWork = sp.GetRequiredService<IUnitOfWork>();
            unitOfWork.AfterCommit(() => log.Add("no transaction: at once"));

            await unitOfWork.InTransactionAsync(async ct =>
            {
                await unitOfWork.InTransactionAsync(_ =>
                {
                    unitOfWork.AfterCommit(() => log.Add("inner"));
                    return Task.FromResult(true);
                }, ct);
                log.Add("inner returned");
                return true;
            }, CancellationToken.None);

            await Assert.ThrowsAsync<InvalidOperationException>(() => unitOfWork.InTransactionAsync<bool>(_ =>
            {
                unitOfWork.AfterCommit(() => log.Add("rolled back"));
                throw new InvalidOperationException("fails");
            }, CancellationToken.None));

            await unitOfWork.InTransactionAsync(_ => Task.FromResult(true), CancellationToken.None);
            return true;
        });

        Assert.Equal(["no transaction: at once", "inner returned", "inner"], log);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task InLightTransaction_CommitsWithoutWaitingForTheDisk_AndEveryOtherTransactionStillWaits(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        // As the database is set up: FULL for SQLite; on for PostgreSQL unless its server was set otherwise (a test server may be).
        var usual = await world.InScopeAsync(sp => DurabilityAsync(sp.GetRequiredService<TeamBotDbContext>(), provider));
        if (provider == "sqlite") Assert.Equal("2", usual);
        var inside = new List<string>();
        await world.InScopeAsync(async sp =>
        {
            var unitOfWork = sp.GetRequiredService<IUnitOfWork>();
            var db = sp.GetRequiredService<TeamBotDbContext>();
            await unitOfWork.InLightTransactionAsync(async ct =>
            {
                inside.Add(await DurabilityAsync(db, provider));
                await db.Database.ExecuteSqlRawAsync("UPDATE workspaces SET name = 'Light' WHERE id = {0}", [TestWorld.WorkspaceId], ct);
                return true;
            }, CancellationToken.None);
            // A light transaction that fails leaves nothing behind either.
            await Assert.ThrowsAsync<InvalidOperationException>(() => unitOfWork.InLightTransactionAsync<bool>(async ct =>
            {
                inside.Add(await DurabilityAsync(db, provider));
                throw new InvalidOperationException("fails");
            }, CancellationToken.None));
            return true;
        });

        var light = provider == "sqlite" ? "1" : "off";
        Assert.Equal([light, light], inside);
        // Every later unit of work, on whichever pooled connection, waits for the disk again.
        for (var i = 0; i < 3; i++)
        {
            var after = await world.InScopeAsync(sp => sp.GetRequiredService<IUnitOfWork>().InTransactionAsync(
                _ => DurabilityAsync(sp.GetRequiredService<TeamBotDbContext>(), provider), CancellationToken.None));
            Assert.Equal(usual, after);
        }
        var name = await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Workspaces.Where(w => w.Id == TestWorld.WorkspaceId).Select(w => w.Name).SingleAsync());
        Assert.Equal("Light", name);
    }

    /// <summary>SQLite's <c>synchronous</c> (2 is FULL, 1 NORMAL) or PostgreSQL's <c>synchronous_commit</c>, on the context's connection.</summary>
    private static async Task<string> DurabilityAsync(TeamBotDbContext db, string provider)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = provider == "sqlite" ? "PRAGMA synchronous" : "SHOW synchronous_commit";
            return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
