using Microsoft.EntityFrameworkCore;
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
