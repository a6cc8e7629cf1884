using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TeamBot.Core.Leads;
using TeamBot.Core.Reports;
using TeamBot.Core.Workspaces;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Api;

public sealed record LeadResult(int Index, long Id, string? ExternalId, string Status);

public sealed record IntakeResponse(int Accepted, int Duplicates, IReadOnlyList<LeadResult> Leads);

/// <summary>The workspace API: lead intake and the lead-quality report, authenticated with the workspace's key.</summary>
internal static class LeadsApi
{
    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var workspace = app.MapGroup("/api/v1/workspaces/{workspace}");
        workspace.MapPost("/leads", SubmitAsync);
        workspace.MapGet("/reports/lead-quality", LeadQualityAsync);
        return app;
    }

    private static async Task<IResult> SubmitAsync(
        string workspace, HttpContext context, WorkspaceKeys keys, ConfiguredWorkspaceSettings settings, IntakeSettings intake,
        IntakeReadiness readiness, IntakeBatcher leads, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await AuthenticateAsync(workspace, context, keys, cancellationToken) is { } denied) return denied;
        if (await readiness.RefusalAsync(workspace, cancellationToken) is { } refusal)
        {
            return Problem(StatusCodes.Status409Conflict, refusal.Title, refusal.Detail);
        }
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the leads as JSON with Content-Type: application/json (got '{request.ContentType ?? "none"}').");
        }
        if (request.ContentLength > intake.MaxBodyBytes) return TooLarge(request.ContentLength.Value, intake);
        // A full queue is answered before the body is read: a flood costs little.
        if (leads.RefusalWhenFull() is { } full) return Unavailable(context, full);

        var body = await ReadBodyAsync(context, intake.MaxBodyBytes, cancellationToken);
        if (body is null) return TooLarge(null, intake);

        if (settings.Workspace(workspace).SigningSecret is { Length: > 0 } secret)
        {
            var problem = WebhookSignature.Check(request.Headers[WebhookSignature.Header], body, secret, clock.GetUtcNow(),
                TimeSpan.FromSeconds(intake.SignatureToleranceSeconds));
            if (problem is not null) return Problem(StatusCodes.Status401Unauthorized, "Bad signature", problem);
        }

        var errors = new FieldErrors();
        var batch = LeadJsonReader.Read(body, intake.MaxLeadsPerRequest, errors);
        if (batch is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(),
                detail: $"{(errors.Count == 1 ? "1 problem" : $"{errors.Count} problems")} in the request; nothing was stored.",
                title: "The leads were not accepted");
        }

        var answer = await leads.SubmitAsync(workspace, batch.Leads.Select(l => new NewLead(l, IntakeChannel.Webhook, null)).ToList(), cancellationToken);
        if (answer.Refusal is { } refused) return Unavailable(context, refused);
        var results = answer.Outcomes!.Select((o, i) => new LeadResult(i, o.LeadId, o.ExternalId, o.Duplicate ? "duplicate" : "accepted")).ToList();
        return TypedResults.Json(new IntakeResponse(results.Count(r => r.Status == "accepted"), results.Count(r => r.Status == "duplicate"), results),
            statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> LeadQualityAsync(
        string workspace, string? period, string? by, HttpContext context, WorkspaceKeys keys, IWorkspaceStore workspaces,
        LeadQualityReports reports, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await AuthenticateAsync(workspace, context, keys, cancellationToken) is { } denied) return denied;
        var found = await workspaces.FindAsync(workspace, cancellationToken);
        if (found is null) return Problem(StatusCodes.Status404NotFound, "Unknown workspace", $"There is no workspace '{workspace}'.");

        var errors = new Dictionary<string, string[]>();
        if (!ReportPeriod.TryParse(period, clock.GetUtcNow(), found.TimeZone, out var parsed, out var periodError)) errors["period"] = [periodError];
        if (!LeadQualityReports.TryParseGrouping(by, out var grouping)) errors["by"] = [$"'{by}' is not a grouping: use source, campaign, segment or rep."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The report parameters are not valid");

        var report = await reports.BuildAsync(workspace, parsed, grouping, cancellationToken);
        return TypedResults.Ok(LeadQualityJson.From(report));
    }

    /// <summary>Checks the workspace key in <c>Authorization: Bearer</c>; the problem to answer with, or null when it is valid.</summary>
    internal static async Task<IResult?> AuthenticateAsync(string workspace, HttpContext context, WorkspaceKeys keys, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"TeamBot\"";
            return Problem(StatusCodes.Status401Unauthorized, "API key required", "Send the workspace's API key as Authorization: Bearer <key>.");
        }
        if (!await keys.IsValidAsync(workspace, header[7..].Trim(), cancellationToken))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"TeamBot\", error=\"invalid_token\"";
            return Problem(StatusCodes.Status401Unauthorized, "Invalid API key", $"The API key is not valid for workspace '{workspace}'.");
        }
        return null;
    }

    /// <summary>Reads the body up to the limit; null when it is longer.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit + 1;
        var request = context.Request;
        if (request.ContentLength is { } length && length <= limit)
        {
            // The usual case: read straight into an array of the declared length (the server enforces it).
            var body = new byte[length];
            var filled = await request.Body.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken);
            return filled == body.Length ? body : body[..filled];
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ProblemHttpResult TooLarge(long? length, IntakeSettings intake) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Request too large",
            (length is { } l ? $"The body is {l:N0} bytes; " : "The body is larger than allowed; ") +
            $"the limit is {intake.MaxBodyBytes:N0} bytes (Intake:MaxBodyBytes). Send at most {intake.MaxLeadsPerRequest:N0} leads per request.");

    /// <summary>503 with <c>Retry-After</c>: nothing of the request was stored, and sending it again later is safe.</summary>
    private static ProblemHttpResult Unavailable(HttpContext context, IntakeRefusal refusal)
    {
        context.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, refusal.Title, refusal.Detail);
    }

    internal static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}
