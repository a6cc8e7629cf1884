using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TeamBot.Chat.BotFramework.Auth;

/// <summary>Why a channel token was refused: for the log only; the caller answers 401 with no detail.</summary>
public enum ChannelTokenFailure
{
    /// <summary>No <c>Authorization</c> header, or an empty one.</summary>
    MissingToken,

    /// <summary>The header's scheme is not <c>Bearer</c>.</summary>
    NotBearer,

    /// <summary>The bearer value is not a readable JWS.</summary>
    Malformed,

    /// <summary>The header's <c>alg</c> is not RS256, RS384 or RS512 (<c>none</c> and HMAC are never accepted).</summary>
    DisallowedAlgorithm,

    /// <summary>No key with the token's <c>kid</c>, even after refetching the key set.</summary>
    UnknownKey,

    /// <summary>The signature does not verify with the key named by <c>kid</c>.</summary>
    BadSignature,

    WrongIssuer,

    WrongAudience,

    /// <summary>Past <c>exp</c> by more than the clock skew, or no <c>exp</c> at all.</summary>
    Expired,

    /// <summary>Before <c>nbf</c> by more than the clock skew.</summary>
    NotYetValid,

    /// <summary>The signing key's <c>endorsements</c> do not include the activity's <c>channelId</c>.</summary>
    ChannelNotEndorsed,

    /// <summary>The token has no <c>serviceurl</c> claim, or it differs from the activity's <c>serviceUrl</c>.</summary>
    ServiceUrlMismatch,
}

/// <summary>The outcome of checking one inbound request's channel token.</summary>
public sealed record ChannelTokenResult
{
    private ChannelTokenResult(ChannelTokenFailure? failure, string detail, ClaimsIdentity? identity)
    {
        Failure = failure;
        Detail = detail;
        Identity = identity;
    }

    public ChannelTokenFailure? Failure { get; }

    /// <summary>What was wrong, for the log (never a token or a secret).</summary>
    public string Detail { get; }

    /// <summary>The token's claims when it is valid.</summary>
    public ClaimsIdentity? Identity { get; }

    public bool IsValid => Failure is null;

    public static ChannelTokenResult Valid(ClaimsIdentity identity) => new(null, "valid", identity);

    public static ChannelTokenResult Refused(ChannelTokenFailure failure, string detail) => new(failure, detail, null);
}

/// <summary>
/// Checks the <c>Authorization: Bearer</c> JWT that Azure Bot Service sends with every activity: an RS256/384/512
/// signature by a key found by <c>kid</c> in the configured OpenID metadata's key set, the issuer, <c>aud</c> = our app
/// id, the lifetime with 5 minutes of clock skew, the key's endorsement of the activity's channel, and the
/// <c>serviceurl</c> claim against the activity's <c>serviceUrl</c>. Nothing may switch these checks off; only a host
/// with no app id (local development) skips calling this at all.
/// </summary>
public sealed class ChannelTokenValidator(BotFrameworkOptions settings, ChannelSigningKeys keys, TimeProvider clock)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public const string ServiceUrlClaim = "serviceurl";

    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>
    /// Checks the request's <c>Authorization</c> header as it arrived against the activity's <c>channelId</c> (e.g.
    /// <c>msteams</c>) and <c>serviceUrl</c>.
    /// </summary>
    public async Task<ChannelTokenResult> ValidateAsync(string? authorization, string? channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        if (!settings.Enabled) throw new InvalidOperationException("Channel tokens can only be checked with BotFramework:AppId set.");

        if (string.IsNullOrWhiteSpace(authorization)) return ChannelTokenResult.Refused(ChannelTokenFailure.MissingToken, "no Authorization header");
        var parts = authorization.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (!parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return ChannelTokenResult.Refused(ChannelTokenFailure.NotBearer, "the Authorization scheme is not Bearer");
        }
        var token = parts.Length == 2 ? parts[1].Trim() : "";
        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return ChannelTokenResult.Refused(ChannelTokenFailure.Malformed, "the bearer value is not a JWT");
        }
        if (!Algorithms.Contains(jwt.Alg, StringComparer.Ordinal))
        {
            return ChannelTokenResult.Refused(ChannelTokenFailure.DisallowedAlgorithm, $"alg '{jwt.Alg}' is not RS256, RS384 or RS512");
        }
        if (string.IsNullOrEmpty(jwt.Kid)) return ChannelTokenResult.Refused(ChannelTokenFailure.UnknownKey, "the token names no kid");
        if (await keys.FindAsync(jwt.Kid, cancellationToken).ConfigureAwait(false) is not { } key)
        {
            return ChannelTokenResult.Refused(ChannelTokenFailure.UnknownKey, $"no signing key '{jwt.Kid}' in the channel's key set");
        }

        var checks = new TokenValidationParameters
        {
            IssuerSigningKey = key.Key,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false, // the key came from the channel's own key set, found by kid
            ValidateIssuer = true,
            ValidIssuers = settings.TrustedIssuers,
            ValidateAudience = true,
            ValidAudience = settings.AppId!.Trim(),
            ValidateLifetime = false, // checked below against the injected clock
        };
        var result = await _handler.ValidateTokenAsync(jwt, checks).ConfigureAwait(false);
        if (!result.IsValid) return Refused(result.Exception, jwt);
        if (Lifetime(jwt, clock.GetUtcNow()) is { } stale) return stale;

        if (string.IsNullOrEmpty(channelId) || !key.Endorsements.Contains(channelId))
        {
            return ChannelTokenResult.Refused(ChannelTokenFailure.ChannelNotEndorsed, $"key '{key.KeyId}' is not endorsed for channel '{channelId}'");
        }
        if (!jwt.TryGetPayloadValue<string>(ServiceUrlClaim, out var claimed) || string.IsNullOrEmpty(claimed))
        {
            return ChannelTokenResult.Refused(ChannelTokenFailure.ServiceUrlMismatch, "the token has no serviceurl claim");
        }
        if (!string.Equals(claimed, serviceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return ChannelTokenResult.Refused(ChannelTokenFailure.ServiceUrlMismatch, $"serviceurl claim '{claimed}' differs from the activity's serviceUrl '{serviceUrl}'");
        }
        return ChannelTokenResult.Valid(result.ClaimsIdentity);
    }

    /// <summary><c>exp</c> is required and <c>nbf</c> optional; both are given <see cref="ClockSkew"/>.</summary>
    private static ChannelTokenResult? Lifetime(JsonWebToken jwt, DateTimeOffset now)
    {
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp))
        {
            return ChannelTokenResult.Refused(ChannelTokenFailure.Expired, "the token has no exp");
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (now > expires + ClockSkew) return ChannelTokenResult.Refused(ChannelTokenFailure.Expired, $"expired at {expires:O}");
        if (jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf) && DateTimeOffset.FromUnixTimeSeconds(nbf) is var from && now < from - ClockSkew)
        {
            return ChannelTokenResult.Refused(ChannelTokenFailure.NotYetValid, $"not valid before {from:O}");
        }
        return null;
    }

    private static ChannelTokenResult Refused(Exception? exception, JsonWebToken jwt) => exception switch
    {
        SecurityTokenInvalidIssuerException => ChannelTokenResult.Refused(ChannelTokenFailure.WrongIssuer, $"issuer '{jwt.Issuer}' is not trusted"),
        SecurityTokenInvalidAudienceException => ChannelTokenResult.Refused(ChannelTokenFailure.WrongAudience, $"audience '{string.Join(' ', jwt.Audiences)}' is not this bot's app id"),
        SecurityTokenInvalidAlgorithmException => ChannelTokenResult.Refused(ChannelTokenFailure.DisallowedAlgorithm, $"alg '{jwt.Alg}' is not allowed"),
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException
            => ChannelTokenResult.Refused(ChannelTokenFailure.BadSignature, $"the signature does not verify with key '{jwt.Kid}'"),
        _ => ChannelTokenResult.Refused(ChannelTokenFailure.Malformed, $"the token was refused ({exception?.GetType().Name})"),
    };
}
