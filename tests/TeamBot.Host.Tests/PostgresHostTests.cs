using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TeamBot.Host.Scheduling;
using TeamBot.Testing;

namespace TeamBot.Host.Tests;

/// <summary>The bot on PostgreSQL (Storage:Provider=Postgres), where CI provides a server.</summary>
public sealed class PostgresHostTests
{
    [PostgresFact]
    public async Task Bot_OnPostgres_MigratesTakesALeadPostsItAndKeepsSlaTimersInTheDatabase()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)!;
        var name = "teambot_h_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;

        await using (var host = await TestHost.StartAsync(s =>
                     {
                         s["Storage:Provider"] = "Postgres";
                         s["Storage:ConnectionString"] = connectionString;
                     }))
        {
            var response = await host.PostLeadsAsync("""{"email":"pg@acme.com","firstName":"Pat","company":"Acme"}""");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Eventually.TrueAsync(async () => (await host.HandoffCardsAsync()).Count == 1, "the card is posted");

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await Eventually.TrueAsync(async () =>
            {
                await using var leads = new NpgsqlCommand("SELECT count(*) FROM leads WHERE posted_at IS NOT NULL", connection);
                return (long)(await leads.ExecuteScalarAsync())! == 1;
            }, "the posted lead is recorded in PostgreSQL");
            await Eventually.TrueAsync(async () =>
            {
                await using var timers = new NpgsqlCommand("SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'sla'", connection);
                return (long)(await timers.ExecuteScalarAsync())! == 1;
            }, "the SLA timer is stored in PostgreSQL");
            var lead = (await host.HandoffCardsAsync()).Keys.Single();
            var existing = await host.Services.GetRequiredService<OneShotTimers>()
                .ExistingAsync(QuartzSlaScheduler.Group, [$"lead-{lead}", $"lead-{lead + 1}"], CancellationToken.None);
            Assert.Equal($"lead-{lead}", Assert.Single(existing));
        }

        NpgsqlConnection.ClearAllPools();
        await using var cleanup = new NpgsqlConnection(admin);
        await cleanup.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", cleanup);
        try
        {
            await drop.ExecuteNonQueryAsync();
        }
        catch (PostgresException)
        {
            // Left to the throwaway test server.
        }
    }
}
