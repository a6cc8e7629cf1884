using Microsoft.Extensions.Logging.Abstractions;
using TeamBot.Chat.BotFramework.Connector;
using TeamBot.Testing;
using TeamBot.Testing.BotFramework;

namespace TeamBot.Chat.BotFramework.Tests;

/// <summary>The outbound client-credentials token, fetched from a loopback token endpoint.</summary>
public sealed class BotTokenProviderTests : IAsyncLifetime, IDisposable
{
    private readonly ManualClock _clock = new();
    private readonly HttpClient _http = new();
    private FakeConnector _server = null!;

    public async Task InitializeAsync() => _server = await FakeConnector.StartAsync(_clock);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task GetToken_PostsTheClientCredentialsFormForTheBotFrameworkScope()
    {
        var token = await Provider().GetTokenAsync();

        Assert.Equal("token-1", token);
        var form = Assert.Single(_server.TokenCalls).Form;
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = _server.AppId,
                ["client_secret"] = _server.AppPassword,
                ["scope"] = "https://api.botframework.com/.default",
            },
            form);
    }

    [Fact]
    public async Task GetToken_CalledAgainWithinItsLifetime_ReusesTheCachedToken()
    {
        var provider = Provider();

        var first = await provider.GetTokenAsync();
        _clock.Advance(TimeSpan.FromMinutes(54));
        var second = await provider.GetTokenAsync();

        Assert.Equal(first, second);
        Assert.Single(_server.TokenCalls);
    }

    [Fact]
    public async Task GetToken_WithinFiveMinutesOfExpiry_FetchesANewToken()
    {
        var provider = Provider();

        await provider.GetTokenAsync();
        _clock.Advance(TimeSpan.FromMinutes(55) + TimeSpan.FromSeconds(1));
        var renewed = await provider.GetTokenAsync();

        Assert.Equal("token-2", renewed);
        Assert.Equal(2, _server.TokenCalls.Count);
    }

    [Fact]
    public async Task GetToken_ConcurrentCallersWhileNoTokenIsCached_ShareOneRequest()
    {
        var provider = Provider();
        _server.HoldTokens = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 20).Select(_ => provider.GetTokenAsync()).ToList();
        await _server.WaitForTokenRequestsAsync();
        _server.HoldTokens.SetResult();
        var tokens = await Task.WhenAll(callers);

        Assert.All(tokens, t => Assert.Equal("token-1", t));
        Assert.Equal(1, _server.TokenRequestsStarted);
    }

    [Fact]
    public async Task Invalidate_WithTheRejectedToken_MakesTheNextCallFetchANewOne()
    {
        var provider = Provider();
        var rejected = await provider.GetTokenAsync();

        provider.Invalidate(rejected);
        var renewed = await provider.GetTokenAsync();

        Assert.Equal("token-2", renewed);
    }

    [Fact]
    public async Task Invalidate_WithAnOlderToken_KeepsTheNewerOne()
    {
        var provider = Provider();
        var old = await provider.GetTokenAsync();
        provider.Invalidate(old);
        var current = await provider.GetTokenAsync();

        provider.Invalidate(old);

        Assert.Equal(current, await provider.GetTokenAsync());
        Assert.Equal(2, _server.TokenCalls.Count);
    }

    [Fact]
    public async Task GetToken_WithoutAnAppId_ReturnsNoTokenAndAsksForNone()
    {
        var provider = new BotTokenProvider(_http, new BotFrameworkOptions { TokenEndpoint = _server.TokenEndpoint }, _clock, NullLogger<BotTokenProvider>.Instance);

        Assert.Null(await provider.GetTokenAsync());
        Assert.False(provider.Enabled);
        Assert.Empty(_server.TokenCalls);
    }

    [Fact]
    public async Task GetToken_WithAWrongPassword_ThrowsTheEndpointsErrorWithoutTheSecret()
    {
        var options = new BotFrameworkOptions { AppId = _server.AppId, AppPassword = "wrong-secret", TokenEndpoint = _server.TokenEndpoint };
        var provider = new BotTokenProvider(_http, options, _clock, NullLogger<BotTokenProvider>.Instance);

        var error = await Assert.ThrowsAsync<BotTokenException>(() => provider.GetTokenAsync());

        Assert.Equal(401, error.Status);
        Assert.Contains("invalid_client", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetToken_AfterAFailedFetch_TriesAgainOnTheNextCall()
    {
        var options = new BotFrameworkOptions { AppId = _server.AppId, AppPassword = "wrong-secret", TokenEndpoint = _server.TokenEndpoint };
        var provider = new BotTokenProvider(_http, options, _clock, NullLogger<BotTokenProvider>.Instance);

        await Assert.ThrowsAsync<BotTokenException>(() => provider.GetTokenAsync());
        await Assert.ThrowsAsync<BotTokenException>(() => provider.GetTokenAsync());

        Assert.Equal(2, _server.TokenCalls.Count);
    }

    private BotTokenProvider Provider() => new(
        _http,
        new BotFrameworkOptions { AppId = _server.AppId, AppPassword = _server.AppPassword, TokenEndpoint = _server.TokenEndpoint },
        _clock,
        NullLogger<BotTokenProvider>.Instance);
}
