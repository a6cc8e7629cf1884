using System.Globalization;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace TeamBot.Chat.Discord.Interactions;

/// <summary>
/// Checks the Ed25519 signature Discord puts on every HTTP interaction: over the bytes of the
/// <c>X-Signature-Timestamp</c> value followed by the raw body, with the application's public key.
/// </summary>
public sealed class InteractionSignature
{
    public const string SignatureHeader = "X-Signature-Ed25519";
    public const string TimestampHeader = "X-Signature-Timestamp";

    private const int KeySize = 32;
    private const int SignatureSize = 64;

    private readonly Ed25519PublicKeyParameters _key;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _maxAge;

    /// <param name="publicKeyHex">The application's public key as 64 hex digits (Developer Portal, General Information).</param>
    /// <param name="clock">The clock that judges how fresh a timestamp is.</param>
    /// <param name="maxAge">How old (or how far in the future) a timestamp may be; replays outside it are refused.</param>
    public InteractionSignature(string publicKeyHex, TimeProvider clock, TimeSpan? maxAge = null)
    {
        ArgumentNullException.ThrowIfNull(publicKeyHex);
        var key = FromHex(publicKeyHex);
        if (key is not { Length: KeySize })
        {
            throw new ArgumentException("The Discord public key must be 64 hex digits.", nameof(publicKeyHex));
        }
        _key = new Ed25519PublicKeyParameters(key, 0);
        _clock = clock;
        _maxAge = maxAge ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>True only for a well-formed, valid signature over <paramref name="timestamp"/> + <paramref name="body"/> with a fresh timestamp.</summary>
    public bool IsValid(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signatureHex) || string.IsNullOrEmpty(timestamp)) return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        var age = _clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if (age.Duration() > _maxAge) return false;
        var signature = FromHex(signatureHex);
        if (signature is not { Length: SignatureSize }) return false;

        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[stamp.Length + body.Length];
        stamp.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(stamp.Length));
        return Verify(_key, message, signature);
    }

    /// <summary>Plain Ed25519 verification (RFC 8032), without Discord's timestamp rule.</summary>
    public static bool Verify(string publicKeyHex, ReadOnlySpan<byte> message, string signatureHex)
    {
        var key = FromHex(publicKeyHex);
        var signature = FromHex(signatureHex);
        if (key is not { Length: KeySize } || signature is not { Length: SignatureSize }) return false;
        return Verify(new Ed25519PublicKeyParameters(key, 0), message.ToArray(), signature);
    }

    private static bool Verify(Ed25519PublicKeyParameters key, byte[] message, byte[] signature)
    {
        var signer = new Ed25519Signer();
        signer.Init(false, key);
        signer.BlockUpdate(message, 0, message.Length);
        try
        {
            return signer.VerifySignature(signature);
        }
        catch (ArgumentException)
        {
            // A malformed point or scalar is an invalid signature, not a bug.
            return false;
        }
    }

    private static byte[]? FromHex(string hex)
    {
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
