using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using TeamBot.Chat.BotFramework.Connector;
using TeamBot.Testing;
using TeamBot.Testing.BotFramework;

namespace TeamBot.Chat.BotFramework.Tests;

/// <summary>The Connector client against a loopback Connector API and token endpoint; waits run on a virtual clock.</summary>
public sealed class ConnectorClientTests : IAsyncLifetime, IDisposable
{
    private const string Conversation = "19:ad9b1c3e2f@thread.tacv2;messageid=1700000000000";
    private const string TenantId = "0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c";

    private readonly ManualTimeProvider _clock = new() { AutoAdvance = true };
    private readonly HttpClient _http = new();
    private readonly TrustedServiceUrls _trusted = new();
    private FakeConnector _server = null!;
    private ConnectorClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeConnector.StartAsync(_clock);
        _trusted.Trust(_server.ServiceUrl);
        _client = Client(new BotFrameworkOptions { AppId = _server.AppId, AppPassword = _server.AppPassword, TokenEndpoint = _server.TokenEndpoint });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task SendToConversation_PostsTheActivityAsCamelCaseJsonWithTheBotsToken_AndReturnsItsId()
    {
        var sent = await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "New lead", TextFormat = "markdown" });

        var call = Assert.Single(_server.Calls);
        Assert.Equal("POST", call.Method);
        Assert.Equal(["v3", "conversations", Conversation, "activities"], call.Segments);
        Assert.Equal("Bearer token-1", call.Authorization);
        Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        Assert.Equal("""{"type":"message","text":"New lead","textFormat":"markdown"}""", call.Body);
        Assert.NotNull(sent.Id);
        Assert.Equal("New lead", _server.Activity(Conversation, sent.Id)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Calls_WithinTheTokensLifetime_ReuseOneToken()
    {
        await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "one" });
        await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "two" });

        Assert.Single(_server.TokenCalls);
        Assert.All(_server.Calls, c => Assert.Equal("Bearer token-1", c.Authorization));
    }

    [Fact]
    public async Task ReplyToActivity_PostsToTheActivityWithItsIdAsReplyToId()
    {
        var reply = await _client.ReplyToActivityAsync(_server.ServiceUrl, Conversation, "1:42", new OutgoingActivity { Text = "Claimed" });

        var call = Assert.Single(_server.Calls);
        Assert.Equal(["v3", "conversations", Conversation, "activities", "1:42"], call.Segments);
        Assert.Equal("1:42", call.Json!["replyToId"]!.GetValue<string>());
        Assert.NotNull(reply.Id);
    }

    [Fact]
    public async Task UpdateActivity_PutsTheWholeActivityInPlaceOfTheSentOne()
    {
        var card = new ConnectorAttachment("application/vnd.microsoft.card.adaptive", new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.5" });
        var sent = await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Attachments = [card] });

        await _client.UpdateActivityAsync(_server.ServiceUrl, Conversation, sent.Id!, new OutgoingActivity { Text = "Claimed by Ada" });

        Assert.Equal("PUT", _server.Calls[^1].Method);
        var stored = _server.Activity(Conversation, sent.Id!)!;
        Assert.Equal("Claimed by Ada", stored["text"]!.GetValue<string>());
        Assert.Null(stored["attachments"]);
    }

    [Fact]
    public async Task DeleteActivity_RemovesTheSentActivity()
    {
        var sent = await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "oops" });

        await _client.DeleteActivityAsync(_server.ServiceUrl, Conversation, sent.Id!);

        Assert.Equal("DELETE", _server.Calls[^1].Method);
        Assert.Null(_server.Activity(Conversation, sent.Id!));
    }

    [Fact]
    public async Task CreateConversation_ForATeamsDirectChat_SendsBotUserAndTenant_AndReturnsTheConversationId()
    {
        var bot = new ConnectorAccount("28:" + _server.AppId, "TeamBot");
        var user = new ConnectorAccount("29:1a2b3c", "Ada", "aad-object-id");

        var created = await _client.CreateConversationAsync(_server.ServiceUrl, ConversationParameters.TeamsDirect(bot, user, TenantId));
        await _client.SendToConversationAsync(_server.ServiceUrl, created.Id, new OutgoingActivity { Text = "Your stand-up is due" });

        var body = _server.Calls[0].Json!;
        Assert.Equal(["v3", "conversations"], _server.Calls[0].Segments);
        Assert.Equal("28:" + _server.AppId, body["bot"]!["id"]!.GetValue<string>());
        Assert.Equal("29:1a2b3c", Assert.Single(body["members"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.False(body["isGroup"]!.GetValue<bool>());
        Assert.Equal(TenantId, body["tenantId"]!.GetValue<string>());
        Assert.Equal(TenantId, body["channelData"]!["tenant"]!["id"]!.GetValue<string>());
        Assert.StartsWith("a:", created.Id, StringComparison.Ordinal);
        Assert.Equal(["v3", "conversations", created.Id, "activities"], _server.Calls[1].Segments);
    }

    [Fact]
    public async Task GetConversationMembers_ReturnsTheChannelsMembers()
    {
        _server.Members = [new JsonObject { ["id"] = "29:1a2b3c", ["name"] = "Ada", ["aadObjectId"] = "aad-1", ["userPrincipalName"] = "ada@example.com" }];

        var members = await _client.GetConversationMembersAsync(_server.ServiceUrl, Conversation);

        Assert.Equal(new ConnectorAccount("29:1a2b3c", "Ada", "aad-1", UserPrincipalName: "ada@example.com"), Assert.Single(members));
        Assert.Equal(["v3", "conversations", Conversation, "members"], _server.Calls[0].Segments);
    }

    [Fact]
    public async Task Ids_WithTeamsReservedCharacters_ArePercentEncodedOnTheWire()
    {
        await _client.ReplyToActivityAsync(_server.ServiceUrl, "19:a@thread.skype;messageid=17#x", "1:2#3", new OutgoingActivity { Text = "hi" });

        Assert.Equal("/teams/v3/conversations/19%3Aa%40thread.skype%3Bmessageid%3D17%23x/activities/1%3A2%233", Assert.Single(_server.Calls).Target);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ServiceUrl_WithOrWithoutATrailingSlash_ReachesTheSameRoute(bool trailingSlash)
    {
        var serviceUrl = trailingSlash ? _server.ServiceUrl : _server.ServiceUrl.TrimEnd('/');

        await _client.SendToConversationAsync(serviceUrl, "a:1", new OutgoingActivity { Text = "hi" });

        Assert.Equal("/teams/v3/conversations/a%3A1/activities", Assert.Single(_server.Calls).Target);
    }

    [Fact]
    public async Task Unauthorized_FetchesANewTokenOnce_AndRetriesWithIt()
    {
        await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "warm-up" });
        _server.Script(new ConnectorAnswer(401));

        var sent = await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "after rotation" });

        Assert.NotNull(sent.Id);
        Assert.Equal(2, _server.TokenCalls.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], _server.Calls.Select(c => c.Authorization));
    }

    [Fact]
    public async Task Unauthorized_AgainAfterANewToken_FailsWithoutAThirdToken()
    {
        _server.Script(new ConnectorAnswer(401));
        _server.Script(new ConnectorAnswer(401));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "x" }));

        Assert.Equal(401, error.Status);
        Assert.Equal(2, _server.TokenCalls.Count);
        Assert.Equal(2, _server.Calls.Count);
    }

    [Fact]
    public async Task TooManyRequests_WithRetryAfter_WaitsThatLongThenRetries()
    {
        _server.Script(new ConnectorAnswer(429, """{"error":{"code":"Throttled"}}""", new Dictionary<string, string> { ["Retry-After"] = "7" }));

        var sent = await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "x" });

        Assert.NotNull(sent.Id);
        Assert.Equal([429, 200], _server.Calls.Select(c => c.Status));
        Assert.Equal(TimeSpan.FromSeconds(7), _server.Calls[1].At - _server.Calls[0].At);
    }

    [Fact]
    public async Task ServerErrorTwice_ThenSuccess_SucceedsAfterGrowingWaits()
    {
        _server.Script(new ConnectorAnswer(500));
        _server.Script(new ConnectorAnswer(502));

        var sent = await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "x" });

        Assert.NotNull(sent.Id);
        var calls = _server.Calls;
        Assert.Equal([500, 502, 200], calls.Select(c => c.Status));
        var first = calls[1].At - calls[0].At;
        var second = calls[2].At - calls[1].At;
        Assert.InRange(first, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(second, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ServerErrors_OnEveryAttempt_GiveUpAfterFourAttempts()
    {
        for (var i = 0; i < 5; i++) _server.Script(new ConnectorAnswer(503, "busy"));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "x" }));

        Assert.Equal(503, error.Status);
        Assert.Equal(ConnectorClient.MaxAttempts, _server.Calls.Count);
    }

    [Fact]
    public async Task BadRequest_FailsAtOnceWithTheStatusAndBody()
    {
        const string body = """{"error":{"code":"BadArgument","message":"Unknown activity type"}}""";
        _server.Script(new ConnectorAnswer(400, body));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Type = "bogus" }));

        Assert.Equal(400, error.Status);
        Assert.Equal(body, error.Body);
        Assert.Equal("SendToConversation", error.Operation);
        Assert.Single(_server.Calls);
    }

    [Theory]
    [InlineData(412)]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task ThrottlingAndGatewayFailures_AreRetried(int status)
    {
        _server.Script(new ConnectorAnswer(status));

        var sent = await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "x" });

        Assert.NotNull(sent.Id);
        Assert.Equal([status, 200], _server.Calls.Select(c => c.Status));
    }

    [Fact]
    public async Task TooManyRequests_WithALongRetryAfter_WaitsAtMostTheLongestDelay()
    {
        _server.Script(new ConnectorAnswer(429, "", new Dictionary<string, string> { ["Retry-After"] = "3600" }));

        await _client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "x" });

        Assert.Equal(ConnectorClient.MaxDelay, _server.Calls[1].At - _server.Calls[0].At);
    }

    [Fact]
    public async Task Forbidden_WhenTheUserBlockedTheBot_FailsAtOnceAndSaysWritesAreBlocked()
    {
        _server.Script(new ConnectorAnswer(403, """{"error":{"code":"ConversationBlockedByUser","message":"User blocked the conversation with the bot.","subCode":"MessageWritesBlocked"}}"""));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => _client.SendToConversationAsync(_server.ServiceUrl, "a:1", new OutgoingActivity { Text = "x" }));

        Assert.True(error.WritesBlocked);
        Assert.Single(_server.Calls);
    }

    [Fact]
    public async Task Logs_NeverContainTheToken()
    {
        var logger = new RecordingLogger<ConnectorClient>();
        var tokenLogger = new RecordingLogger<BotTokenProvider>();
        var options = new BotFrameworkOptions { AppId = _server.AppId, AppPassword = _server.AppPassword, TokenEndpoint = _server.TokenEndpoint };
        var client = new ConnectorClient(_http, new BotTokenProvider(_http, options, _clock, tokenLogger), _trusted, _clock, logger);
        _server.Script(new ConnectorAnswer(401));
        _server.Script(new ConnectorAnswer(429, "", new Dictionary<string, string> { ["Retry-After"] = "1" }));

        await client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "x" });

        var messages = logger.Messages.Concat(tokenLogger.Messages).ToList();
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.DoesNotContain("token-", m, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.DoesNotContain(_server.AppPassword, m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UntrustedServiceUrl_IsRefusedWithoutAnyRequestOrToken()
    {
        var client = Client(new BotFrameworkOptions { AppId = _server.AppId, AppPassword = _server.AppPassword, TokenEndpoint = _server.TokenEndpoint }, new TrustedServiceUrls());

        await Assert.ThrowsAsync<UntrustedServiceUrlException>(() => client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "x" }));

        Assert.Empty(_server.Calls);
        Assert.Empty(_server.TokenCalls);
    }

    [Fact]
    public async Task WithoutAnAppId_SendsNoAuthorizationHeader_AndRequestsNoToken()
    {
        _server.RequireAuth = false;
        var client = Client(new BotFrameworkOptions { TokenEndpoint = _server.TokenEndpoint }, new TrustedServiceUrls());

        var sent = await client.SendToConversationAsync(_server.ServiceUrl, Conversation, new OutgoingActivity { Text = "local" });

        Assert.NotNull(sent.Id);
        Assert.Null(Assert.Single(_server.Calls).Authorization);
        Assert.Empty(_server.TokenCalls);
    }

    private ConnectorClient Client(BotFrameworkOptions options, TrustedServiceUrls? trusted = null) => new(
        _http,
        new BotTokenProvider(_http, options, _clock, NullLogger<BotTokenProvider>.Instance),
        trusted ?? _trusted,
        _clock,
        NullLogger<ConnectorClient>.Instance);
}
