using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace TeamBot.Chat.BotFramework.Connector;

/// <summary>The token endpoint refused or failed; <see cref="Error"/> is its <c>error</c> and <c>error_description</c>, never the secret.</summary>
public sealed class BotTokenException(int status, string error)
    : Exception($"The Bot Framework token endpoint answered {status}: {error}")
{
    public int Status { get; } = status;

    public string Error { get; } = error;
}

/// <summary>
/// The bot's outbound token: client credentials (app id and password) for <c>https://api.botframework.com/.default</c>
/// from <see cref="BotFrameworkOptions.EffectiveTokenEndpoint"/>. Cached until <see cref="RefreshBeforeExpiry"/> before
/// it expires; concurrent callers share one fetch. Without an app id there is no token (local development, no
/// Authorization header). Tokens are never logged.
/// </summary>
public sealed partial class BotTokenProvider(HttpClient http, BotFrameworkOptions options, TimeProvider clock, ILogger<BotTokenProvider> logger)
{
    public const string Scope = "https://api.botframework.com/.default";

    public static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private CachedToken? _cached;
    private Task<CachedToken>? _fetching;

    /// <summary>False without an app id: then there are no tokens and every service URL may be called.</summary>
    public bool Enabled => options.Enabled;

    /// <summary>A valid token, fetched when none is cached or the cached one is about to expire; null without an app id.</summary>
    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (!options.Enabled) return null;
        Task<CachedToken> fetch;
        lock (_lock)
        {
            if (_cached is { } cached && clock.GetUtcNow() < cached.RefreshAt) return cached.Value;
            // Started on the pool so that a caller's cancellation never cancels the fetch the others wait for.
            fetch = _fetching ??= Task.Run(FetchAsync, CancellationToken.None);
        }
        var token = await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        return token.Value;
    }

    /// <summary>
    /// Drops the cached token after the Connector refused it, so that the next call fetches a new one. With
    /// <paramref name="rejected"/>, only that token is dropped: many calls refused at once cause one fetch.
    /// </summary>
    public void Invalidate(string? rejected = null)
    {
        lock (_lock)
        {
            if (rejected is null || _cached?.Value == rejected) _cached = null;
        }
    }

    private async Task<CachedToken> FetchAsync()
    {
        try
        {
            using var form = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("client_id", options.AppId!.Trim()),
                new("client_secret", options.AppPassword ?? ""),
                new("scope", Scope),
            ]);
            using var response = await http.PostAsync(options.EffectiveTokenEndpoint, form).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var error = ErrorOf(body);
                LogTokenRefused(logger, status, error);
                throw new BotTokenException(status, error);
            }
            var (value, lifetime) = Parse(body);
            var margin = lifetime > RefreshBeforeExpiry * 2 ? RefreshBeforeExpiry : lifetime / 2;
            var token = new CachedToken(value, clock.GetUtcNow() + lifetime - margin);
            lock (_lock) _cached = token;
            LogTokenFetched(logger, lifetime);
            return token;
        }
        finally
        {
            lock (_lock) _fetching = null;
        }
    }

    private static (string Value, TimeSpan Lifetime) Parse(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var value = root.TryGetProperty("access_token", out var access) && access.ValueKind == JsonValueKind.String ? access.GetString() : null;
        if (string.IsNullOrEmpty(value)) throw new BotTokenException(200, "the response has no access_token");
        // expires_in is a number from the v2.0 endpoint and a string from older ones.
        var seconds = root.TryGetProperty("expires_in", out var expires) ? expires.ValueKind switch
        {
            JsonValueKind.Number => expires.GetDouble(),
            JsonValueKind.String when double.TryParse(expires.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) => s,
            _ => 0,
        } : 0;
        return (value, TimeSpan.FromSeconds(Math.Max(seconds, 0)));
    }

    private static string ErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var code = root.TryGetProperty("error", out var e) ? e.ToString() : "";
            var description = root.TryGetProperty("error_description", out var d) ? d.ToString() : "";
            return $"{code} {description}".Trim();
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fetched a Bot Framework token valid for {Lifetime}")]
    private static partial void LogTokenFetched(ILogger logger, TimeSpan lifetime);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Bot Framework token endpoint answered {Status}: {Error}")]
    private static partial void LogTokenRefused(ILogger logger, int status, string error);

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);
}
