using System.Numerics;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using TeamBot.Chat.Discord.Interactions;
using TeamBot.Testing;

namespace TeamBot.Chat.Discord.Tests;

public sealed class InteractionSignatureTests
{
    // RFC 8032 section 7.1, TEST 1 to 3: secret key, public key, message, signature.
    public static TheoryData<string, string, string, string> Rfc8032 => new()
    {
        { "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
          "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
        { "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
          "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
        { "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
          "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
    };

    private readonly ManualClock _clock = new();

    [Theory]
    [MemberData(nameof(Rfc8032))]
    public void Rfc8032Vectors_Verify_AndAFlippedBitDoesNot(string secret, string publicKey, string message, string signature)
    {
        Assert.Equal(signature, Sign(secret, Convert.FromHexString(message)));
        Assert.True(InteractionSignature.Verify(publicKey, Convert.FromHexString(message), signature));

        var bad = Convert.FromHexString(signature);
        bad[5] ^= 1;
        Assert.False(InteractionSignature.Verify(publicKey, Convert.FromHexString(message), Convert.ToHexStringLower(bad)));
    }

    [Fact]
    public void NonCanonicalS_IsRejected()
    {
        const string publicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
        const string signature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
        var bytes = Convert.FromHexString(signature);
        var order = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);
        var s = new BigInteger(bytes.AsSpan(32), isUnsigned: true) + order;
        s.TryWriteBytes(bytes.AsSpan(32), out _, isUnsigned: true);

        Assert.False(InteractionSignature.Verify(publicKey, [], Convert.ToHexStringLower(bytes)));
    }

    [Fact]
    public void DiscordRequest_Signed_IsAccepted_AndEveryTamperingIsNot()
    {
        const string secret = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
        const string publicKey = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
        var verifier = new InteractionSignature(publicKey, _clock);
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes("{\"type\":1}");
        var signature = Sign(secret, [.. Encoding.UTF8.GetBytes(timestamp), .. body]);

        Assert.True(verifier.IsValid(signature, timestamp, body));
        Assert.False(verifier.IsValid(signature, timestamp, Encoding.UTF8.GetBytes("{\"type\":2}")));
        Assert.False(verifier.IsValid(signature, (long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), body));
        Assert.False(verifier.IsValid(null, timestamp, body));
        Assert.False(verifier.IsValid(signature, null, body));
        Assert.False(verifier.IsValid("zz" + signature[2..], timestamp, body));

        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.False(verifier.IsValid(signature, timestamp, body));
    }

    private static string Sign(string secretHex, byte[] message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, new Ed25519PrivateKeyParameters(Convert.FromHexString(secretHex), 0));
        signer.BlockUpdate(message, 0, message.Length);
        return Convert.ToHexStringLower(signer.GenerateSignature());
    }
}
