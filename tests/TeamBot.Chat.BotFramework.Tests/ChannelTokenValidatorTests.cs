using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using TeamBot.Chat.BotFramework.Auth;
using TeamBot.Testing;
using TeamBot.Testing.BotFramework;

namespace TeamBot.Chat.BotFramework.Tests;

/// <summary>Channel tokens checked against a local key set served over loopback, as Azure Bot Service would send them.</summary>
public sealed class ChannelTokenValidatorTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "5b2f6c1e-8d4a-4c3e-9f7a-1e2d3c4b5a69";
    private const string TenantId = "0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c";
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";

    private readonly ManualTimeProvider _clock = new();
    private readonly ChannelKey _key = new("key-1", ["msteams", "webchat"]);
    private readonly HttpClient _http = new();
    private FakeBotFrameworkKeys _server = null!;
    private ChannelSigningKeys _keys = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeBotFrameworkKeys.StartAsync();
        _server.Publish(_key);
        _keys = new ChannelSigningKeys(_http, _server.MetadataUrl, _clock, NullLogger<ChannelSigningKeys>.Instance);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _keys.Dispose();
        _http.Dispose();
        _key.Dispose();
    }

    [Fact]
    public async Task Validate_WithAValidChannelToken_AcceptsWithItsClaims()
    {
        var result = await Validate(Bearer(_key.Mint(Claims())));

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal(AppId, result.Identity!.FindFirst("aud")!.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Validate_WithoutAnAuthorizationHeader_RefusesAsMissingToken(string? header)
    {
        var result = await Validate(header);

        Assert.Equal(ChannelTokenFailure.MissingToken, result.Failure);
    }

    [Fact]
    public async Task Validate_WithAnotherScheme_RefusesAsNotBearer()
    {
        var result = await Validate("Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{AppId}:secret")));

        Assert.Equal(ChannelTokenFailure.NotBearer, result.Failure);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Bearer a.b.c")]
    public async Task Validate_WithABearerValueThatIsNoJwt_RefusesAsMalformed(string header)
    {
        var result = await Validate(header);

        Assert.Equal(ChannelTokenFailure.Malformed, result.Failure);
    }

    [Fact]
    public async Task Validate_WithAnotherIssuer_RefusesAsWrongIssuer()
    {
        var result = await Validate(Bearer(_key.Mint(Claims(issuer: "https://api.botframework.com.evil.example"))));

        Assert.Equal(ChannelTokenFailure.WrongIssuer, result.Failure);
    }

    [Fact]
    public async Task Validate_WithAnotherBotsAudience_RefusesAsWrongAudience()
    {
        var claims = Claims();
        claims["aud"] = "11111111-2222-3333-4444-555555555555";

        var result = await Validate(Bearer(_key.Mint(claims)));

        Assert.Equal(ChannelTokenFailure.WrongAudience, result.Failure);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(6, false)]
    public async Task Validate_AfterExpiry_AcceptsOnlyWithinFiveMinutesOfSkew(int minutesPastExpiry, bool accepted)
    {
        var token = _key.Mint(Claims(_clock.GetUtcNow() - TimeSpan.FromHours(1) - TimeSpan.FromMinutes(minutesPastExpiry)));

        var result = await Validate(Bearer(token));

        Assert.Equal(accepted, result.IsValid);
        if (!accepted) Assert.Equal(ChannelTokenFailure.Expired, result.Failure);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(6, false)]
    public async Task Validate_BeforeNotBefore_AcceptsOnlyWithinFiveMinutesOfSkew(int minutesEarly, bool accepted)
    {
        var token = _key.Mint(Claims(_clock.GetUtcNow() + TimeSpan.FromMinutes(minutesEarly)));

        var result = await Validate(Bearer(token));

        Assert.Equal(accepted, result.IsValid);
        if (!accepted) Assert.Equal(ChannelTokenFailure.NotYetValid, result.Failure);
    }

    [Fact]
    public async Task Validate_WithoutExpiry_RefusesAsExpired()
    {
        var claims = Claims();
        claims.Remove("exp");

        var result = await Validate(Bearer(_key.Mint(claims)));

        Assert.Equal(ChannelTokenFailure.Expired, result.Failure);
    }

    [Fact]
    public async Task Validate_SignedByAnotherKeyWithTheSameKid_RefusesAsBadSignature()
    {
        using var impostor = new ChannelKey(_key.KeyId, _key.Endorsements);

        var result = await Validate(Bearer(impostor.Mint(Claims())));

        Assert.Equal(ChannelTokenFailure.BadSignature, result.Failure);
    }

    [Fact]
    public async Task Validate_WithATamperedPayload_RefusesAsBadSignature()
    {
        var parts = _key.Mint(Claims()).Split('.');
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes(Claims(issuedAt: _clock.GetUtcNow().AddDays(30)).ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var result = await Validate(Bearer($"{parts[0]}.{forged}.{parts[2]}"));

        Assert.Equal(ChannelTokenFailure.BadSignature, result.Failure);
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public async Task Validate_SignedWithRs384OrRs512_Accepts(string alg)
    {
        var result = await Validate(Bearer(_key.Mint(Claims(), alg)));

        Assert.True(result.IsValid, result.Detail);
    }

    [Fact]
    public async Task Validate_WithAlgNone_RefusesAsDisallowedAlgorithm()
    {
        var result = await Validate(Bearer(_key.MintUnsigned(Claims())));

        Assert.Equal(ChannelTokenFailure.DisallowedAlgorithm, result.Failure);
    }

    [Fact]
    public async Task Validate_WithHs256KeyedByThePublicKey_RefusesAsDisallowedAlgorithm()
    {
        var publicKey = Encoding.UTF8.GetBytes(_key.ToJwk().ToJsonString());

        var result = await Validate(Bearer(_key.MintHmac(Claims(), publicKey)));

        Assert.Equal(ChannelTokenFailure.DisallowedAlgorithm, result.Failure);
    }

    [Fact]
    public async Task Validate_WhenTheKeyWasRotatedIn_RefetchesOnceAndAccepts()
    {
        Assert.True((await Validate(Bearer(_key.Mint(Claims())))).IsValid);
        using var rotated = new ChannelKey("key-2", ["msteams"]);
        _server.Publish(rotated);

        var result = await Validate(Bearer(rotated.Mint(Claims())));

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal(2, _server.KeySetFetches);
    }

    [Fact]
    public async Task Validate_WithUnknownKids_RefetchesAtMostOncePerFiveMinutes()
    {
        using var stranger = new ChannelKey("key-x", ["msteams"]);

        var first = await Validate(Bearer(stranger.Mint(Claims())));
        for (var i = 0; i < 10; i++) await Validate(Bearer(stranger.Mint(Claims(), kid: $"made-up-{i}")));
        var fetchesWithinInterval = _server.KeySetFetches;
        _clock.Advance(ChannelSigningKeys.ForcedRefreshInterval);
        await Validate(Bearer(stranger.Mint(Claims())));

        Assert.Equal(ChannelTokenFailure.UnknownKey, first.Failure);
        Assert.Equal(2, fetchesWithinInterval); // the first load, then one refetch for the unknown kid
        Assert.Equal(3, _server.KeySetFetches);
    }

    [Fact]
    public async Task Validate_ManyRequestsOnAColdCache_FetchTheKeySetOnce()
    {
        var token = Bearer(_key.Mint(Claims()));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Validate(token)));

        Assert.All(results, r => Assert.True(r.IsValid, r.Detail));
        Assert.Equal(1, _server.MetadataFetches);
        Assert.Equal(1, _server.KeySetFetches);
    }

    [Fact]
    public async Task Validate_ManyRequestsWithARotatedInKid_RefetchOnceAndAllAccept()
    {
        await Validate(Bearer(_key.Mint(Claims())));
        using var rotated = new ChannelKey("key-2", ["msteams"]);
        _server.Publish(rotated);
        var token = Bearer(rotated.Mint(Claims()));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Validate(token)));

        Assert.All(results, r => Assert.True(r.IsValid, r.Detail));
        Assert.Equal(2, _server.KeySetFetches);
    }

    [Fact]
    public async Task Validate_AfterADay_RefetchesTheKeySet()
    {
        await Validate(Bearer(_key.Mint(Claims())));
        await Validate(Bearer(_key.Mint(Claims())));
        _clock.Advance(ChannelSigningKeys.MaxAge);

        var result = await Validate(Bearer(_key.Mint(Claims())));

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal(2, _server.KeySetFetches);
    }

    [Fact]
    public async Task Validate_WhenTheKeyWasWithdrawnButStillCached_UntilTheDailyRefetch_Accepts()
    {
        await Validate(Bearer(_key.Mint(Claims())));
        _server.Withdraw(_key);
        Assert.True((await Validate(Bearer(_key.Mint(Claims())))).IsValid);
        _clock.Advance(ChannelSigningKeys.MaxAge);

        var result = await Validate(Bearer(_key.Mint(Claims())));

        Assert.Equal(ChannelTokenFailure.UnknownKey, result.Failure);
    }

    [Fact]
    public async Task Validate_ForAChannelTheKeyDoesNotEndorse_RefusesAsChannelNotEndorsed()
    {
        var result = await Validate(Bearer(_key.Mint(Claims())), channelId: "slack");

        Assert.Equal(ChannelTokenFailure.ChannelNotEndorsed, result.Failure);
    }

    [Fact]
    public async Task Validate_WithAKeyThatEndorsesNoChannel_RefusesAsChannelNotEndorsed()
    {
        using var bare = new ChannelKey("key-bare", []);
        _server.Publish(bare);

        var result = await Validate(Bearer(bare.Mint(Claims())));

        Assert.Equal(ChannelTokenFailure.ChannelNotEndorsed, result.Failure);
    }

    [Fact]
    public async Task Validate_WhenTheServiceUrlClaimNamesAnotherService_RefusesAsServiceUrlMismatch()
    {
        var result = await Validate(Bearer(_key.Mint(Claims())), serviceUrl: "https://attacker.example/emea/");

        Assert.Equal(ChannelTokenFailure.ServiceUrlMismatch, result.Failure);
    }

    [Fact]
    public async Task Validate_WithoutAServiceUrlClaim_RefusesAsServiceUrlMismatch()
    {
        var claims = Claims();
        claims.Remove("serviceurl");

        var result = await Validate(Bearer(_key.Mint(claims)));

        Assert.Equal(ChannelTokenFailure.ServiceUrlMismatch, result.Failure);
    }

    [Fact]
    public async Task Validate_WhenTheServiceUrlDiffersOnlyInCase_Accepts()
    {
        var result = await Validate(Bearer(_key.Mint(Claims())), serviceUrl: ServiceUrl.ToUpperInvariant());

        Assert.True(result.IsValid, result.Detail);
    }

    [Fact]
    public async Task Validate_ForASingleTenantBot_AcceptsTheTenantsIssuers()
    {
        var options = new BotFrameworkOptions { AppId = AppId, AppPassword = "secret", TenantId = TenantId, OpenIdMetadataUrl = _server.MetadataUrl };

        foreach (var issuer in new[] { "https://api.botframework.com", $"https://sts.windows.net/{TenantId}/", $"https://login.microsoftonline.com/{TenantId}/v2.0" })
        {
            var result = await Validate(Bearer(_key.Mint(Claims(issuer: issuer))), options: options);
            Assert.True(result.IsValid, $"{issuer}: {result.Detail}");
        }
    }

    [Fact]
    public async Task Validate_ForAMultiTenantBot_RefusesATenantIssuer()
    {
        var result = await Validate(Bearer(_key.Mint(Claims(issuer: $"https://sts.windows.net/{TenantId}/"))));

        Assert.Equal(ChannelTokenFailure.WrongIssuer, result.Failure);
    }

    [Fact]
    public async Task Validate_WithAConfiguredIssuer_AcceptsOnlyThatIssuer()
    {
        var options = new BotFrameworkOptions { AppId = AppId, AppPassword = "secret", TokenIssuer = "https://channel.test", OpenIdMetadataUrl = _server.MetadataUrl };

        var ours = await Validate(Bearer(_key.Mint(Claims(issuer: "https://channel.test"))), options: options);
        var microsofts = await Validate(Bearer(_key.Mint(Claims())), options: options);

        Assert.True(ours.IsValid, ours.Detail);
        Assert.Equal(ChannelTokenFailure.WrongIssuer, microsofts.Failure);
    }

    [Fact]
    public async Task Validate_WhenTheKeyServerIsDown_RefusesAsUnknownKey()
    {
        await _server.DisposeAsync();

        var result = await Validate(Bearer(_key.Mint(Claims())));

        Assert.Equal(ChannelTokenFailure.UnknownKey, result.Failure);
    }

    [Fact]
    public async Task Validate_WithoutAnAppId_IsABugInTheCaller()
    {
        var options = new BotFrameworkOptions { OpenIdMetadataUrl = _server.MetadataUrl };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Validate(Bearer(_key.Mint(Claims())), options: options));
    }

    private Task<ChannelTokenResult> Validate(string? authorization, string channelId = "msteams", string serviceUrl = ServiceUrl, BotFrameworkOptions? options = null)
    {
        options ??= new BotFrameworkOptions { AppId = AppId, AppPassword = "secret", OpenIdMetadataUrl = _server.MetadataUrl };
        return new ChannelTokenValidator(options, _keys, _clock).ValidateAsync(authorization, channelId, serviceUrl, CancellationToken.None);
    }

    private JsonObject Claims(DateTimeOffset? issuedAt = null, string issuer = "https://api.botframework.com") =>
        ChannelKey.Claims(AppId, ServiceUrl, issuedAt ?? _clock.GetUtcNow(), issuer);

    private static string Bearer(string token) => "Bearer " + token;
}
