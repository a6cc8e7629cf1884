using TeamBot.Data;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Api;

internal static class HealthApi
{
    /// <summary>GET /healthz: 200 once the bot is ready and its database answers; 503 while starting or when the database does not.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (Readiness readiness, TeamBotDbContext db, CancellationToken ct) =>
        {
            if (!readiness.Ready) return Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            try
            {
                return await db.Database.CanConnectAsync(ct)
                    ? Results.Json(new { status = "healthy" })
                    : Results.Json(new { status = "unhealthy", reason = "The database does not answer." }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return Results.Json(new { status = "unhealthy", reason = "The database does not answer: " + ex.GetBaseException().Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }
}
