using System.Globalization;
using Humanizer;
using TeamBot.Core.Handoffs;
using TeamBot.Data;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Api;

internal static class HealthApi
{
    /// <summary>
    /// GET /healthz: 200 once the bot is ready and its database answers; 503 while starting or when the database does not.
    /// A chat platform that cannot be used (Discord refused the token, say) makes it "degraded" with the reason, still 200:
    /// webhooks are still accepted and their posts wait in the outbox. Storage that refused the last webhook write (full, locked
    /// by another process) makes it "degraded" too, until a write goes through again.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (Readiness readiness, TeamBotDbContext db, PlatformOutages outages, ILoggerFactory logs, IServiceProvider services, CancellationToken ct) =>
        {
            if (!readiness.Ready) return Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            try
            {
                if (!await db.Database.CanConnectAsync(ct)) return Results.Json(new { status = "unhealthy", reason = "The database does not answer." }, statusCode: StatusCodes.Status503ServiceUnavailable);
                // Storage that refuses writes (full, locked) still answers reads: degraded, with the reason, until a write goes through.
                var problems = Problems(services, outages).ToList();
                return problems.Count > 0
                    ? Results.Json(new { status = "degraded", reason = string.Join(" ", problems) })
                    : Results.Json(new { status = "healthy" });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The details (host names, users) go to the log, not to whoever asks.
                logs.CreateLogger("TeamBot.Health").LogWarning(ex, "The health check could not reach the database");
                return Results.Json(new { status = "unhealthy", reason = "The database does not answer; the log says why." }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }

    /// <summary>Why storage or a chat platform cannot be used now, one sentence each.</summary>
    private static IEnumerable<string> Problems(IServiceProvider services, PlatformOutages outages)
    {
        if (services.GetService<StorageStatus>()?.Problem is { } storage) yield return storage;
        if (services.GetService<Chat.Discord.DiscordStatus>() is { } discord)
        {
            if (discord.Problem is { } problem) yield return problem;
            else if (discord.Disconnected.Count > 0)
            {
                var since = discord.Disconnected.Values.Min();
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"Discord's gateway connection dropped at {since:u} ({discord.Disconnected.Count} shard(s)); reconnecting. Posts still go out; reactions, buttons and commands wait until it is back.");
            }
        }
        foreach (var outage in outages.Current)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"Posting to {outage.Platform} has failed since {outage.Since:u} ({"attempt".ToQuantity(outage.Failures)}; last: {outage.LastError}). Posts are queued and retried; next try at {outage.RetryAt:u}.");
        }
    }
}
