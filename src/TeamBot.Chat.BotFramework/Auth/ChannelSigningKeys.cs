using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace TeamBot.Chat.BotFramework.Auth;

/// <summary>A channel's signing key and the channels it is endorsed for (the JWK's <c>endorsements</c>).</summary>
public sealed record ChannelSigningKey(string KeyId, SecurityKey Key, IReadOnlySet<string> Endorsements);

/// <summary>
/// The channel's signing keys, read from the OpenID metadata's <c>jwks_uri</c> and cached. The set is refetched when
/// it is older than <see cref="MaxAge"/>, and when a token names an unknown <c>kid</c> (keys rotate), but such forced
/// refetches happen at most once per <see cref="ForcedRefreshInterval"/>, so tokens with made-up kids cannot turn the
/// bot into a load generator. Fetches are single-flight; a failed fetch keeps the keys already known.
/// </summary>
public sealed partial class ChannelSigningKeys(HttpClient http, string metadataUrl, TimeProvider clock, ILogger<ChannelSigningKeys> logger) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    public static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>How long one fetch of the metadata and key set may take: the request that waits for it must be answered within 15 s.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a failed fetch keeps later requests from fetching again (they use the keys already known).</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _fetch = new(1, 1);
    private volatile KeySet _set = new(new Dictionary<string, ChannelSigningKey>(StringComparer.Ordinal), null);
    private DateTimeOffset? _forcedAt;
    private DateTimeOffset? _failedAt;
    private int _fetches;

    /// <summary>The key with this id, fetching the set first if it is missing or stale, and once more if the id is unknown.</summary>
    public async Task<ChannelSigningKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var seen = Volatile.Read(ref _fetches);
        if (_set.FetchedAt is not { } at || clock.GetUtcNow() - at >= MaxAge)
        {
            await RefreshAsync(force: false, seen, cancellationToken).ConfigureAwait(false);
        }
        if (_set.Keys.TryGetValue(keyId, out var key)) return key;
        await RefreshAsync(force: true, seen, cancellationToken).ConfigureAwait(false);
        return _set.Keys.GetValueOrDefault(keyId);
    }

    /// <summary>
    /// Fetches the key set unless it is fresh (or, when <paramref name="force"/>d, unless a forced fetch ran within the
    /// interval or any fetch ran since the caller saw <paramref name="seen"/> fetches).
    /// </summary>
    private async Task RefreshAsync(bool force, int seen, CancellationToken cancellationToken)
    {
        await _fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = clock.GetUtcNow();
            if (force)
            {
                if (_fetches != seen) return; // another caller fetched while this one waited
                if (_forcedAt is { } forced && now - forced < ForcedRefreshInterval) return;
                _forcedAt = now;
            }
            else if ((_set.FetchedAt is { } at && now - at < MaxAge) || (_failedAt is { } failed && now - failed < RetryAfterFailure))
            {
                return;
            }
            _fetches++;
            try
            {
                using var timeout = new CancellationTokenSource(FetchTimeout, clock);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                var keys = await FetchAsync(linked.Token).ConfigureAwait(false);
                _set = new KeySet(keys, now);
                _failedAt = null;
                LogFetched(logger, keys.Count, metadataUrl);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or InvalidDataException or FormatException or CryptographicException
                                          || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _failedAt = now;
                LogFetchFailed(logger, e, metadataUrl, _set.Keys.Count);
            }
        }
        finally
        {
            _fetch.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, ChannelSigningKey>> FetchAsync(CancellationToken cancellationToken)
    {
        using var metadata = await http.GetFromJsonAsync<JsonDocument>(metadataUrl, cancellationToken).ConfigureAwait(false)
                             ?? throw new InvalidDataException("The OpenID metadata is empty.");
        if (!metadata.RootElement.TryGetProperty("jwks_uri", out var jwksUri) || jwksUri.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(jwksUri.GetString(), UriKind.Absolute, out var jwks))
        {
            throw new InvalidDataException("The OpenID metadata has no absolute jwks_uri.");
        }
        using var set = await http.GetFromJsonAsync<JsonDocument>(jwks, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidDataException("The key set is empty.");
        if (!set.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("The key set has no keys array.");
        }
        var found = new Dictionary<string, ChannelSigningKey>(StringComparer.Ordinal);
        foreach (var jwk in keys.EnumerateArray())
        {
            if (ReadRsaKey(jwk) is { } key) found[key.KeyId] = key;
        }
        return found;
    }

    /// <summary>An RSA key with a kid, modulus and exponent; anything else (other key types, encryption keys) is skipped.</summary>
    private static ChannelSigningKey? ReadRsaKey(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object) return null;
        var kid = Text(jwk, "kid");
        var n = Text(jwk, "n");
        var e = Text(jwk, "e");
        if (Text(jwk, "kty") != "RSA" || kid is not { Length: > 0 } || n is null || e is null) return null;
        if (Text(jwk, "use") is { } use && use != "sig") return null;
        var rsa = new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(n), Exponent = Base64UrlEncoder.DecodeBytes(e) };
        var endorsements = new HashSet<string>(StringComparer.Ordinal);
        if (jwk.TryGetProperty("endorsements", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } channel) endorsements.Add(channel);
            }
        }
        return new ChannelSigningKey(kid, new RsaSecurityKey(rsa) { KeyId = kid }, endorsements);
    }

    public void Dispose() => _fetch.Dispose();

    private sealed record KeySet(IReadOnlyDictionary<string, ChannelSigningKey> Keys, DateTimeOffset? FetchedAt);

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} Bot Framework signing keys via {MetadataUrl}")]
    private static partial void LogFetched(ILogger logger, int count, string metadataUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch the Bot Framework signing keys via {MetadataUrl}; keeping the {Count} known")]
    private static partial void LogFetchFailed(ILogger logger, Exception exception, string metadataUrl, int count);
}
