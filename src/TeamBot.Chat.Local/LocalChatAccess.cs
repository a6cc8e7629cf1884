using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TeamBot.Chat.Local;

/// <summary>
/// Who may use the local chat. Listening on loopback alone without <c>Local:AccessToken</c>, it has no login and answers
/// only requests from this machine that name it by an allowed host name. Otherwise every page and API call needs the
/// access token: as <c>Authorization: Bearer &lt;token&gt;</c>, or as the cookie that <c>/login</c> sets.
/// </summary>
public sealed class LocalChatAccess
{
    public const string CookieName = "teambot-local";

    private byte[]? _tokenHash;
    private byte[]? _session;

    public LocalChatAccess(LocalChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        if (options.AccessToken is { Length: > 0 } token) RequireToken(token);
    }

    public LocalChatOptions Options { get; }

    /// <summary>Whether a login or token is needed (true once a token is set).</summary>
    public bool TokenRequired => _tokenHash is not null;

    /// <summary>Requires <paramref name="token"/> from now on. The token itself is not kept, only its hash.</summary>
    public void RequireToken(string token)
    {
        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        _session = HMACSHA256.HashData(_tokenHash, "teambot local chat session"u8);
    }

    /// <summary>The login cookie's value: derived from the token, so the cookie never carries the token itself.</summary>
    public string SessionValue => _session is null ? "" : Convert.ToBase64String(_session).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public bool IsToken(string? presented) =>
        _tokenHash is not null && presented is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _tokenHash);

    /// <summary>Whether the request carries the token or a login cookie (compared in constant time).</summary>
    public bool HasToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_tokenHash is null) return false;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && IsToken(header[7..].Trim())) return true;
        return request.Cookies.TryGetValue(CookieName, out var cookie)
               && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cookie ?? ""), Encoding.UTF8.GetBytes(SessionValue));
    }

    /// <summary>Whether the request is addressed to an allowed host name.</summary>
    public bool IsAllowedHost(string host) => Options.EffectiveAllowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    /// <summary>Without a token: from a loopback address and by an allowed name. With one: the token or the login cookie.</summary>
    public bool Admits(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (TokenRequired) return HasToken(context.Request);
        return context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote) && IsAllowedHost(context.Request.Host.Host);
    }
}
