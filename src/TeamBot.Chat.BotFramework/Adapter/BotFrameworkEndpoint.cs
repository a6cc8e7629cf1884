using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamBot.Chat.BotFramework.Activities;
using TeamBot.Chat.BotFramework.Auth;
using TeamBot.Chat.BotFramework.Connector;

namespace TeamBot.Chat.BotFramework.Adapter;

/// <summary>
/// <c>POST /api/messages</c>, the Bot Framework messaging endpoint. With <c>BotFramework:AppId</c> set, every request must
/// carry a valid channel token for its activity (<see cref="ChannelTokenValidator"/>); any failure is 401 and nothing is
/// processed. Without an app id the endpoint serves local development tools (the Emulator) on this machine only, without
/// authentication, and says so in the log.
/// </summary>
public static partial class BotFrameworkEndpoint
{
    public const string Route = "/api/messages";

    /// <summary>The largest activity accepted. What people type is far smaller (see <see cref="Activity.MaxTextLength"/>).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private static int _warnedOpen;

    public static IEndpointRouteBuilder MapBotFramework(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Route, HandleAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, BotFrameworkOptions options, BotFrameworkAdapter adapter,
        TrustedServiceUrls trusted, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(BotFrameworkEndpoint).FullName!);
        var cancellationToken = http.RequestAborted;
        var authorization = http.Request.Headers.Authorization.ToString();
        if (options.Enabled && string.IsNullOrWhiteSpace(authorization))
        {
            LogRefused(logger, nameof(ChannelTokenFailure.MissingToken), "no Authorization header");
            return Unauthorized();
        }
        if (!options.Enabled && !(IsLocalTool(http.Request, http.Connection.RemoteIpAddress) && ListensOnLoopbackOnly(http.RequestServices)))
        {
            return Problem(StatusCodes.Status401Unauthorized, "Authentication is not configured",
                "BotFramework:AppId is not set, so only local development tools on this machine may post activities, and only while TeamBot listens on loopback alone. Set BotFramework:AppId and BotFramework:AppPassword to connect a channel.");
        }

        string? body;
        try
        {
            body = await ReadBodyAsync(http.Request, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "Not a valid activity", ex.Message);
        }
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Activity too large", $"An activity may be at most {MaxBodyBytes} bytes.");
        }
        if (!Activity.TryParse(body, out var activity, out var error))
        {
            return Problem(StatusCodes.Status400BadRequest, "Not a valid activity", error);
        }

        if (options.Enabled)
        {
            var validator = http.RequestServices.GetRequiredService<ChannelTokenValidator>();
            var result = await validator.ValidateAsync(authorization, activity.ChannelId, activity.ServiceUrl, cancellationToken);
            if (!result.IsValid)
            {
                LogRefused(logger, result.Failure.ToString()!, result.Detail);
                return Unauthorized();
            }
            // The token vouched for this service URL: the bot may now send its own token there.
            if (activity.ServiceUrl is { Length: > 0 } serviceUrl) trusted.Trust(serviceUrl);
        }
        else
        {
            // Without a token nothing vouches for the serviceUrl: TeamBot would call whatever it names. Only local tools.
            if (!IsLoopbackUrl(activity.ServiceUrl))
            {
                return Problem(StatusCodes.Status401Unauthorized, "Authentication is not configured",
                    $"BotFramework:AppId is not set, so only a serviceUrl on this machine is accepted (got '{activity.ServiceUrl}').");
            }
            if (Interlocked.Exchange(ref _warnedOpen, 1) == 0) LogOpen(logger);
        }

        var answer = await adapter.HandleAsync(activity, cancellationToken);
        return answer.Body is null ? Results.StatusCode(answer.Status) : Results.Json(answer.Body, statusCode: answer.Status);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body as text, or null when it is larger than <see cref="MaxBodyBytes"/>; <see cref="InvalidDataException"/> when it is not UTF-8.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"The activity is not valid UTF-8 (byte {ex.Index + 1}).", ex);
        }
    }

    /// <summary>
    /// A request straight from this machine: a loopback peer, and no forwarding headers (a reverse proxy on this machine
    /// makes every caller look local, and says so in those headers).
    /// </summary>
    private static bool IsLocalTool(HttpRequest request, IPAddress? peer) =>
        peer is not null && IPAddress.IsLoopback(peer)
        && !request.Headers.ContainsKey("X-Forwarded-For") && !request.Headers.ContainsKey("Forwarded") && !request.Headers.ContainsKey("X-Real-IP");

    /// <summary>Development mode only while TeamBot listens on loopback alone (a server reachable from elsewhere needs an app id).</summary>
    private static bool ListensOnLoopbackOnly(IServiceProvider services)
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses is { Count: > 0 } && addresses.All(IsLoopbackUrl);
    }

    private static bool IsLoopbackUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));

    /// <summary>401 without detail: the reason is in TeamBot's log, not for the caller.</summary>
    private static IResult Unauthorized() =>
        Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "The request's channel token was refused.");

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework: refused an activity ({Failure}: {Detail})")]
    private static partial void LogRefused(ILogger logger, string failure, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework: BotFramework:AppId is not set, so /api/messages accepts activities WITHOUT authentication, from this machine only. This is for local development with the Bot Framework Emulator; set BotFramework:AppId and BotFramework:AppPassword for a real channel.")]
    private static partial void LogOpen(ILogger logger);
}
