using System.Net;
using TeamBot.Chat.Discord.Messages;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Testing.Discord;

namespace TeamBot.Chat.Discord.Tests;

/// <summary>The REST client against a loopback Discord that checks headers and enforces rate limits; waits run on a jumping clock.</summary>
public sealed class RestClientTests : LoopbackRestTests
{
    private static DiscordMessageBody Text(string text) => new() { Content = text };

    [Fact]
    public async Task EveryCall_SendsBotAuthUserAgentAndVersionedPath()
    {
        var client = Client();

        var posted = await client.CreateMessageAsync(10, Text("hello"));
        await client.EditMessageAsync(10, posted.Id, Text("edited"));
        await client.AddOwnReactionAsync(10, posted.Id, new DiscordEmoji("🔥"));
        await client.GetReactionsAsync(10, posted.Id, new DiscordEmoji("🔥"));
        await client.StartThreadFromMessageAsync(10, posted.Id, "Lead #1");
        await client.OpenDmAsync(42);
        await client.BulkOverwriteGuildCommandsAsync(7, 8, [new ApplicationCommand("leads", "Lead reports")]);
        await client.RespondToInteractionAsync(99, "tok", new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource));
        await client.EditOriginalResponseAsync(7, "tok", Text("done"));
        await client.CreateFollowupAsync(7, "tok", Text("more"));
        await client.GetGatewayBotAsync();

        Assert.Equal(11, Fake.Requests.Count);
        Assert.All(Fake.Requests, r =>
        {
            Assert.True(r.Status is 200 or 204, $"{r.Method} {r.Path} got {r.Status}");
            Assert.Equal("Bot " + Fake.Token, r.Headers["Authorization"]);
            Assert.Matches(@"^DiscordBot \(https://[^,]+, \d+\.\d+[^,]*\)$", r.Headers["User-Agent"]);
            Assert.StartsWith("/api/v10/", r.Path, StringComparison.Ordinal);
            if (r.Body.Length > 0) Assert.StartsWith("application/json", r.Headers["Content-Type"], StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task CreateMessage_UserTextWithEveryone_SendsParseEmptyAndANonce()
    {
        await Client().CreateMessageAsync(10, Text("@everyone free pizza"));

        var body = Fake.Requests.Single().Json!;
        Assert.Equal("[]", body["allowed_mentions"]!["parse"]!.ToJsonString());
        Assert.True(body["enforce_nonce"]!.GetValue<bool>());
        Assert.InRange(body["nonce"]!.GetValue<string>().Length, 1, 25);
    }

    [Fact]
    public async Task CreateMessage_RetriedAfterAServerError_PostsOnce()
    {
        Fake.Script(r => r.Method == "POST", new ScriptedResponse(502, "{\"message\":\"Bad Gateway\"}"));
        var client = Client();

        await client.CreateMessageAsync(10, Text("once") with { Nonce = "lead-1-post" });
        await client.CreateMessageAsync(10, Text("once") with { Nonce = "lead-1-post" });

        Assert.Equal(3, Fake.Requests.Count);
        Assert.Single(Fake.Messages);
        Assert.All(Fake.Requests, r => Assert.Equal("lead-1-post", r.Json!["nonce"]!.GetValue<string>()));
    }

    [Fact]
    public async Task EditMessage_WithoutAllowedMentions_StillSendsThem()
    {
        await Client().EditMessageAsync(10, 11, Text("@everyone edited") with { AllowedMentions = null });

        Assert.Equal("{\"parse\":[]}", Fake.Requests.Single().Json!["allowed_mentions"]!.ToJsonString());
    }

    [Fact]
    public async Task Status429_WaitsAtLeastRetryAfterThenRetries()
    {
        Fake.Script(r => r.Method == "POST", FakeDiscordRest.RateLimited(2.5));
        var client = Client();

        await client.CreateMessageAsync(10, Text("hi"));

        var requests = Fake.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task GlobalRateLimit_PausesEveryQueue()
    {
        Fake.Script(r => r.Path.Contains("/channels/10/", StringComparison.Ordinal), FakeDiscordRest.RateLimited(3, global: true, scope: "global"));
        var client = Client();
        var start = Clock.GetUtcNow();

        await client.CreateMessageAsync(10, Text("a"));
        await client.CreateMessageAsync(20, Text("b"));

        var other = Fake.Requests.Single(r => r.Path.Contains("/channels/20/", StringComparison.Ordinal));
        Assert.True(other.At - start >= TimeSpan.FromSeconds(3), "a global 429 must also hold requests to other channels");
    }

    [Fact]
    public async Task RemainingZero_BlocksTheSameChannelButNotAnother()
    {
        Fake.BucketLimit = 1;
        Fake.BucketWindow = TimeSpan.FromSeconds(2);
        var client = Client();
        var start = Clock.GetUtcNow();

        await client.CreateMessageAsync(10, Text("first"));
        await client.CreateMessageAsync(20, Text("other channel"));
        await client.CreateMessageAsync(10, Text("second"));

        var requests = Fake.Requests;
        Assert.All(requests, r => Assert.NotEqual(429, r.Status));
        Assert.Equal(start, requests[1].At);
        Assert.True(requests[2].At - start >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ABurstToOneChannel_FollowsTheHeadersWithoutA429()
    {
        var client = Client();
        var start = Clock.GetUtcNow();

        for (var i = 0; i < 23; i++) await client.CreateMessageAsync(10, Text($"lead {i}"));

        Assert.Equal(0, Fake.TooManyRequests);
        Assert.Equal(23, Fake.Messages.Count);
        var elapsed = Fake.Requests[^1].At - start;
        Assert.InRange(elapsed.TotalSeconds, 20, 22);
    }

    [Fact]
    public async Task Status401_StopsAllUseOfTheToken()
    {
        var client = Client(token: "wrong-token");

        await Assert.ThrowsAsync<DiscordTokenRejectedException>(() => client.CreateMessageAsync(10, Text("a")));
        var again = await Assert.ThrowsAsync<DiscordTokenRejectedException>(() => client.OpenDmAsync(5));

        Assert.Single(Fake.Requests);
        Assert.True(client.TokenRejected);
        Assert.Contains("Discord:Token", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status401_OnAnExpiredInteractionToken_LeavesTheBotTokenInUse()
    {
        var client = Client();
        Fake.Script(r => r.Path.StartsWith("/api/v10/webhooks/", StringComparison.Ordinal), new ScriptedResponse(401, "{\"message\":\"Invalid Webhook Token\",\"code\":50027}"));

        var expired = await Assert.ThrowsAsync<DiscordApiException>(() => client.EditOriginalResponseAsync(600, "old-token", Text("late")));
        await client.CreateMessageAsync(10, Text("still working"));

        Assert.Equal(50027, expired.Code);
        Assert.False(client.TokenRejected);
        Assert.Single(Fake.Messages);
    }

    [Fact]
    public async Task InvalidRequestGuard_TripsLongBeforeDiscordsBan()
    {
        for (var i = 0; i < 3; i++) Fake.Script(_ => true, new ScriptedResponse(403, "{\"message\":\"Missing Permissions\",\"code\":50013}"));
        var client = Client(settings: new DiscordRestSettings { InvalidRequestLimit = 3 });

        for (var i = 0; i < 3; i++)
        {
            var denied = await Assert.ThrowsAsync<DiscordApiException>(() => client.CreateMessageAsync(10, Text("x")));
            Assert.Equal(50013, denied.Code);
        }
        await Assert.ThrowsAsync<DiscordInvalidRequestGuardException>(() => client.CreateMessageAsync(10, Text("x")));
        Assert.Equal(3, Fake.Requests.Count);

        Clock.Advance(TimeSpan.FromMinutes(10));
        await client.CreateMessageAsync(10, Text("x"));
        Assert.Equal(4, Fake.Requests.Count);
        Assert.True(new DiscordRestSettings().InvalidRequestLimit <= 1000);
    }

    [Fact]
    public async Task SharedScope429s_DoNotCountTowardTheGuard()
    {
        for (var i = 0; i < 3; i++) Fake.Script(_ => true, FakeDiscordRest.RateLimited(0.1, scope: "shared"));
        var client = Client(settings: new DiscordRestSettings { InvalidRequestLimit = 2 });

        await client.CreateMessageAsync(10, Text("x"));

        Assert.Equal(200, Fake.Requests[^1].Status);
    }

    [Theory]
    [InlineData("🔥", "%F0%9F%94%A5")]
    [InlineData("👍🏽", "%F0%9F%91%8D%F0%9F%8F%BD")]
    public async Task UnicodeEmoji_IsPercentEncodedUtf8InThePath(string emoji, string encoded)
    {
        await Client().AddOwnReactionAsync(10, 11, new DiscordEmoji(emoji));

        Assert.Equal($"/api/v10/channels/10/messages/11/reactions/{encoded}/@me", Fake.Requests.Single().Path);
        Assert.Equal(encoded, new DiscordEmoji(emoji).ToPathSegment());
    }

    [Fact]
    public async Task CustomEmoji_IsNameColonIdInThePath()
    {
        await Client().AddOwnReactionAsync(10, 11, new DiscordEmoji("hot_lead", 123456789012345678));

        Assert.Equal("/api/v10/channels/10/messages/11/reactions/hot_lead:123456789012345678/@me", Fake.Requests.Single().Path);
    }

    [Fact]
    public async Task GetReactions_ReadsEveryPage()
    {
        for (ulong u = 1; u <= 230; u++) Fake.AddReaction(10, 11, "🔥", 1000 + u);

        var users = await Client().GetReactionsAsync(10, 11, new DiscordEmoji("🔥"));

        Assert.Equal(230, users.Count);
        Assert.Equal(230, users.Select(u => u.Id).Distinct().Count());
        Assert.Equal(3, Fake.Requests.Count);
        Assert.Contains("after=1100", Fake.Requests[1].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayBot_ReadsUrlAndSessionStartLimit()
    {
        Fake.SessionStartRemaining = 7;
        Fake.MaxConcurrency = 16;

        var info = await Client().GetGatewayBotAsync();

        Assert.Equal(Fake.GatewayUrl, info.Url);
        Assert.Equal(new SessionStartLimit(1000, 7, TimeSpan.FromHours(4), 16), info.SessionStartLimit);
    }

    [Fact]
    public async Task AMessageOverTheLimits_IsRefusedBeforeItIsSent()
    {
        var problem = await Assert.ThrowsAsync<DiscordMessageInvalidException>(() => Client().CreateMessageAsync(10, Text(new string('x', 2001))));

        Assert.Contains("content", problem.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.Requests);
    }

    [Fact]
    public async Task AServerErrorOnAFollowup_IsNotRetried()
    {
        Fake.Script(_ => true, new ScriptedResponse(500, "{\"message\":\"oops\"}"));

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => Client().CreateFollowupAsync(7, "tok", Text("x")));

        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Single(Fake.Requests);
    }
}
