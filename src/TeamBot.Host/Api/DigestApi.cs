using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TeamBot.Chat.Local;
using TeamBot.Core.Digests;
using TeamBot.Core.Workspaces;

namespace TeamBot.Host.Api;

/// <summary>
/// The weekly digest on the web: <c>GET /digest/{workspace}/latest</c> (a page; from this machine only, or with the
/// workspace's key as a bearer header) and <c>GET /api/v1/workspaces/{workspace}/digests/latest</c> (JSON, with the key).
/// </summary>
internal static class DigestApi
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    public static IEndpointRouteBuilder MapDigests(this IEndpointRouteBuilder app)
    {
        app.MapGet("/digest/digest.css", () => TypedResults.Text(DigestPage.Css, "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/digest/{workspace}/latest", PageAsync).ExcludeFromDescription();
        app.MapGet("/api/v1/workspaces/{workspace}/digests/latest", JsonAsync);
        return app;
    }

    private static async Task<IResult> PageAsync(
        string workspace, string? week, HttpContext context, WorkspaceKeys keys, IWorkspaceStore workspaces, DigestBuilder builder,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!IsFromThisMachine(workspace, context) && !await HasKeyAsync(workspace, context, keys, cancellationToken))
        {
            return Problem(StatusCodes.Status403Forbidden, "Only from this machine",
                "The digest page answers requests from this machine (as localhost or 127.0.0.1), or with the workspace's key as Authorization: Bearer <key>.");
        }
        var (digest, problem) = await BuildAsync(workspace, week, workspaces, builder, clock, cancellationToken);
        if (problem is not null) return problem;
        var apiPath = $"/api/v1/workspaces/{Uri.EscapeDataString(workspace)}/digests/latest?week={digest!.Week.Key}";
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(DigestPage.Render(digest, apiPath), "text/html; charset=utf-8");
    }

    private static async Task<IResult> JsonAsync(
        string workspace, string? week, HttpContext context, WorkspaceKeys keys, IWorkspaceStore workspaces, DigestBuilder builder,
        WeeklyDigests digests, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await LeadsApi.AuthenticateAsync(workspace, context, keys, cancellationToken) is { } denied) return denied;
        var (digest, problem) = await BuildAsync(workspace, week, workspaces, builder, clock, cancellationToken);
        if (problem is not null) return problem;
        return TypedResults.Ok(DigestJson.From(digest!, digests.PageUrl(workspace, digest!.Week)));
    }

    private static async Task<(WeeklyDigest? Digest, IResult? Problem)> BuildAsync(
        string workspace, string? week, IWorkspaceStore workspaces, DigestBuilder builder, TimeProvider clock, CancellationToken cancellationToken)
    {
        var found = await workspaces.FindAsync(workspace, cancellationToken);
        if (found is null) return (null, Problem(StatusCodes.Status404NotFound, "Unknown workspace", $"There is no workspace '{workspace}'."));
        if (!DigestWeek.TryParse(week, found.TimeZone, clock.GetUtcNow(), out var parsed, out var error))
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["week"] = [error] }, title: "The digest parameters are not valid"));
        }
        return (await builder.BuildAsync(found, parsed, cancellationToken), null);
    }

    /// <summary>
    /// Like the local chat: the request comes from a loopback address and names this machine (so that a page elsewhere
    /// cannot reach it through a rebound DNS name). When the local chat asks for a login, its login opens the local
    /// workspace's digest only; every other workspace's needs that workspace's key.
    /// </summary>
    private static bool IsFromThisMachine(string workspace, HttpContext context)
    {
        if (context.RequestServices.GetService<LocalChatAccess>() is { } access)
        {
            return (!access.TokenRequired || workspace == LocalChatOptions.WorkspaceId) && access.Admits(context);
        }
        return context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
               && LoopbackNames.Contains(context.Request.Host.Host, StringComparer.OrdinalIgnoreCase);
    }

    private static async Task<bool> HasKeyAsync(string workspace, HttpContext context, WorkspaceKeys keys, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7
               && await keys.IsValidAsync(workspace, header[7..].Trim(), cancellationToken);
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}
