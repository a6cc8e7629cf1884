using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TeamBot.Host.Api;

/// <summary>
/// <c>X-TeamBot-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>. Several v1 values may be
/// sent (while a secret is rotated); one matching is enough. Compared in constant time.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-TeamBot-Signature";

    /// <summary>Null when the signature is good; otherwise what is wrong with it.</summary>
    public static string? Check(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return $"This workspace accepts only signed requests: add {Header}: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\" with the signing secret>.";
        }

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return $"{Header} must look like t=1700000000,v1=<64 hex digits>.";
            var (key, value) = (part[..eq], part[(eq + 1)..]);
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)) timestamp = t;
            else if (key == "v1" && value.Length == 64 && TryHex(value, out var bytes)) signatures.Add(bytes);
        }
        if (timestamp is null || signatures.Count == 0) return $"{Header} must look like t=1700000000,v1=<64 hex digits>.";

        var skew = Math.Abs(now.ToUnixTimeSeconds() - timestamp.Value);
        if (skew > tolerance.TotalSeconds)
        {
            return $"The signature's timestamp is {skew} seconds away from the server's clock; it must be within {tolerance.TotalSeconds:0}.";
        }

        var expected = Compute(secret, timestamp.Value, body);
        var match = false;
        foreach (var signature in signatures) match |= CryptographicOperations.FixedTimeEquals(signature, expected);
        return match ? null : "The signature does not match the body and the workspace's signing secret.";
    }

    public static byte[] Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }

    /// <summary>The header value for a body, as a sender computes it.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Compute(secret, timestamp, body))}";

    private static bool TryHex(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
