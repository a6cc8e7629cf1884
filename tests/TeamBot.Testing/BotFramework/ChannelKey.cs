using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TeamBot.Testing.BotFramework;

/// <summary>
/// A channel signing key made in the test: an RSA key pair with a kid and the channels it endorses. It mints JWTs the
/// way Azure Bot Service does (and, for the negative cases, the ways it never would).
/// </summary>
public sealed class ChannelKey(string keyId, IReadOnlyList<string> endorsements) : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public string KeyId { get; } = keyId;

    public IReadOnlyList<string> Endorsements { get; } = endorsements;

    /// <summary>The public half as a JWK, as login.botframework.com publishes it (with <c>endorsements</c>).</summary>
    public JsonObject ToJwk()
    {
        var p = _rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = KeyId,
            ["n"] = Base64Url(p.Modulus!),
            ["e"] = Base64Url(p.Exponent!),
            ["endorsements"] = new JsonArray([.. Endorsements.Select(e => (JsonNode)JsonValue.Create(e))]),
        };
    }

    /// <summary>A JWS over <paramref name="payload"/> signed with this key by RS256, RS384 or RS512, naming <paramref name="kid"/> (default: this key's).</summary>
    public string Mint(JsonObject payload, string alg = "RS256", string? kid = null)
    {
        var hash = alg switch
        {
            "RS256" => HashAlgorithmName.SHA256,
            "RS384" => HashAlgorithmName.SHA384,
            "RS512" => HashAlgorithmName.SHA512,
            _ => throw new ArgumentException($"ChannelKey signs with RSA only, not {alg}.", nameof(alg)),
        };
        var signingInput = SigningInput(new JsonObject { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid ?? KeyId }, payload);
        return signingInput + "." + Base64Url(_rsa.SignData(Encoding.ASCII.GetBytes(signingInput), hash, RSASignaturePadding.Pkcs1));
    }

    /// <summary>A JWT with <c>alg: none</c> and no signature.</summary>
    public string MintUnsigned(JsonObject payload) =>
        SigningInput(new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = KeyId }, payload) + ".";

    /// <summary>An HS256 JWT keyed with <paramref name="secret"/> (an attacker would use the public key's bytes).</summary>
    public string MintHmac(JsonObject payload, byte[] secret)
    {
        var signingInput = SigningInput(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = KeyId }, payload);
        return signingInput + "." + Base64Url(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>The claims of a channel token: issuer, audience, lifetime around <paramref name="issuedAt"/>, serviceurl.</summary>
    public static JsonObject Claims(string appId, string serviceUrl, DateTimeOffset issuedAt, string issuer = "https://api.botframework.com", TimeSpan? lifetime = null) => new()
    {
        ["iss"] = issuer,
        ["aud"] = appId,
        ["nbf"] = issuedAt.ToUnixTimeSeconds(),
        ["iat"] = issuedAt.ToUnixTimeSeconds(),
        ["exp"] = (issuedAt + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
        ["serviceurl"] = serviceUrl,
    };

    public void Dispose() => _rsa.Dispose();

    private static string SigningInput(JsonObject header, JsonObject payload) =>
        Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
