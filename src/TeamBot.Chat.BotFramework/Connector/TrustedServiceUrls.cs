using System.Collections.Concurrent;

namespace TeamBot.Chat.BotFramework.Connector;

/// <summary>
/// The service URLs that authenticated activities brought (their token's <c>serviceurl</c> claim matched). The
/// outbound token works like a password, so <see cref="ConnectorClient"/> sends it only to these. URLs compare by
/// scheme, host (case-insensitive), port and path, with or without a trailing slash.
/// </summary>
public sealed class TrustedServiceUrls
{
    private readonly ConcurrentDictionary<string, byte> _trusted = new(StringComparer.Ordinal);

    /// <summary>Call only for an activity whose channel token was valid.</summary>
    public void Trust(string serviceUrl) => _trusted.TryAdd(Normalize(serviceUrl), 0);

    public bool IsTrusted(string serviceUrl) =>
        TryNormalize(serviceUrl, out var normalized) && _trusted.ContainsKey(normalized);

    /// <summary><c>scheme://host[:port]/path</c> in lower-case scheme and host, without a trailing slash, query or fragment.</summary>
    public static string Normalize(string serviceUrl) =>
        TryNormalize(serviceUrl, out var normalized)
            ? normalized
            : throw new ArgumentException($"'{serviceUrl}' is not an absolute http(s) service URL.", nameof(serviceUrl));

    private static bool TryNormalize(string? serviceUrl, out string normalized)
    {
        normalized = "";
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }
        // Uri lower-cases the scheme and host itself.
        var authority = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        normalized = $"{uri.Scheme}://{authority}{uri.AbsolutePath.TrimEnd('/')}";
        return true;
    }
}
