using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Chat.BotFramework.Activities;
using TeamBot.Chat.BotFramework.Adapter;
using TeamBot.Testing.BotFramework;

namespace TeamBot.Host.Tests.BotFramework;

/// <summary>
/// The real host on Teams, end to end: signed activities into <c>POST /api/messages</c>, the Connector API and the token
/// endpoint played by <see cref="FakeConnector"/>, and the channel's signing keys by <see cref="FakeBotFrameworkKeys"/>.
/// </summary>
public sealed partial class TeamsHostTests : IAsyncLifetime, IDisposable
{
    private const string Tenant = "8a1f0c2e-4b6d-4e3a-9c7b-2d1e0f3a4b5c";
    private const string Team = "19:team-acme@thread.tacv2";
    private const string Channel = "19:leads-channel@thread.tacv2";
    private static readonly string Workspace = BotFrameworkInboundSettings.ForTeam(Team);
    private const string Admin = "29:admin-user";
    private const string AdminAad = "00000000-0000-0000-0000-00000000000a";
    private const string Rep = "29:rep-user";
    private const string RepAad = "00000000-0000-0000-0000-00000000000b";
    private const string Marketer = "29:marketer-user";
    private const string MarketerEmail = "maria@acme.example";
    private const string AdminEmail = "alex@acme.example";

    private const string Lead = """
        {"leads":[{"email":"jane@acme.com","firstName":"Jane","lastName":"Doe","company":"Acme GmbH","source":"webinar","reason":"Asked for pricing"}]}
        """;

    private FakeConnector _connector = null!;
    private FakeBotFrameworkKeys _keys = null!;
    private ChannelKey _key = null!;
    private TestHost _host = null!;
    private int _nextActivity = 1000;

    private string BotId => "28:" + _connector.AppId;

    public async Task InitializeAsync()
    {
        _connector = await FakeConnector.StartAsync(TimeProvider.System);
        _connector.Members =
        [
            new JsonObject { ["id"] = Admin, ["name"] = "Alex Admin", ["aadObjectId"] = AdminAad, ["email"] = AdminEmail, ["userPrincipalName"] = AdminEmail },
            new JsonObject { ["id"] = Rep, ["name"] = "Sam Rep", ["aadObjectId"] = RepAad },
            new JsonObject { ["id"] = Marketer, ["name"] = "Maria Marketing", ["aadObjectId"] = "00000000-0000-0000-0000-00000000000c", ["email"] = MarketerEmail },
        ];
        _keys = await FakeBotFrameworkKeys.StartAsync();
        _key = new ChannelKey("key-1", ["msteams"]);
        _keys.Publish(_key);
        _host = await StartHostAsync();
    }

    private Task<TestHost> StartHostAsync(Action<IServiceCollection>? services = null) =>
        TestHost.StartAsync(settings =>
        {
            settings["BotFramework:AppId"] = _connector.AppId;
            settings["BotFramework:AppPassword"] = _connector.AppPassword;
            settings["BotFramework:TenantId"] = Tenant;
            settings["BotFramework:OpenIdMetadataUrl"] = _keys.MetadataUrl;
            settings["BotFramework:TokenEndpoint"] = _connector.TokenEndpoint;
            // By email: Teams never sends one with an activity, so this works only through the member list read at install.
            settings["BotFramework:Roles:Admin:0"] = AdminEmail;
            settings["BotFramework:Roles:Sales:0"] = RepAad;
            settings["BotFramework:Roles:Marketing:0"] = MarketerEmail;
        }, services: services);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _connector.DisposeAsync();
        await _keys.DisposeAsync();
    }

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task Install_Setup_WebhookCard_Reaction_CardAction_AndQuality_ThroughTheRealHost()
    {
        // Installed in the team: the workspace exists and the channel is greeted.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Install())).StatusCode);
        var welcome = Sent(Channel).Single();
        Assert.Contains(Workspace, Text(welcome), StringComparison.Ordinal);

        // The admin binds the handoffs channel; the key arrives privately, the channel never sees it.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(ChannelPost(Admin, AdminAad, "<at>TeamBot</at> setup handoffs", mention: true))).StatusCode);
        var created = _connector.Calls.Single(c => c.Method == "POST" && c.Segments is ["v3", "conversations"]);
        Assert.Equal(Admin, created.Json!["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(Tenant, created.Json!["tenantId"]!.GetValue<string>());
        var privateAnswer = _connector.Calls.Last(c => c.Method == "POST" && c.Segments.Count == 4 && c.Segments[2].StartsWith("a:", StringComparison.Ordinal));
        var key = KeyPattern().Match(Text(privateAnswer)).Groups["key"].Value;
        Assert.False(string.IsNullOrEmpty(key), Text(privateAnswer));
        Assert.Contains(Workspace, Text(privateAnswer), StringComparison.Ordinal);
        Assert.DoesNotContain(_connector.Calls, c => c.Segments.Count > 2 && c.Segments[2].StartsWith(Channel, StringComparison.Ordinal) && c.Body.Contains(key, StringComparison.Ordinal));

        // A webhook lead becomes an Adaptive Card in the channel: a new post, the card alone.
        var accepted = await _host.PostLeadsAsync(Lead, key, Uri.EscapeDataString(Workspace));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var cardPost = await Eventually.FoundAsync(() => Sent(Channel).FirstOrDefault(c => c.Json!["attachments"] is JsonArray { Count: 1 }), "the handoff card is posted in the channel");
        var cardId = CardIdOf(cardPost);
        var card = cardPost.Json!["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", card["contentType"]!.GetValue<string>());
        Assert.Equal("1.5", card["content"]!["version"]!.GetValue<string>());
        Assert.Contains("Jane", card.ToJsonString(), StringComparison.Ordinal);

        // A 👍 from the rep is a rating; taking it back retracts it.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Reaction(Rep, RepAad, cardId, "like", added: true))).StatusCode);
        await Eventually.TrueAsync(async () => (await ReportAsync(key)).GetProperty("total").GetProperty("rated").GetInt32() == 1, "the reaction is recorded as a rating");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Reaction(Rep, RepAad, cardId, "like", added: false))).StatusCode);
        await Eventually.TrueAsync(async () => (await ReportAsync(key)).GetProperty("total").GetProperty("rated").GetInt32() == 0, "removing the reaction retracts the rating");

        // The card's claim button: answered in the HTTP response with the updated card, and the card is updated in place.
        var claim = ActionNamed(card["content"]!, "claim");
        var response = await PostAsync(Invoke(Rep, RepAad, cardId, claim["verb"]!.GetValue<string>(), claim["data"]?.DeepClone().AsObject()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var invokeAnswer = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(200, invokeAnswer!["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", invokeAnswer["type"]!.GetValue<string>());
        Assert.Contains("Sam Rep", invokeAnswer["value"]!.ToJsonString(), StringComparison.Ordinal);
        await Eventually.FoundAsync(() => _connector.Calls.FirstOrDefault(c => c.Method == "PUT" && c.Segments[2] == Channel && c.Segments[4] == cardId), "the card is updated in place");
        await Eventually.TrueAsync(async () => (await ReportAsync(key)).GetProperty("total").GetProperty("claimed").GetInt32() == 1, "the card action is recorded as a claim");

        // An unknown verb is an error in the invoke response.
        var unknown = await (await PostAsync(Invoke(Rep, RepAad, cardId, "launch-rockets", null))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(400, unknown!["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", unknown["type"]!.GetValue<string>());

        // Marketing asks how good the leads were, in the channel: the answer is a reply in the thread.
        var ask = ChannelPost(Marketer, "00000000-0000-0000-0000-00000000000c", "<at>TeamBot</at> leads quality", mention: true);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(ask)).StatusCode);
        var askId = ask["id"]!.GetValue<string>();
        var summary = await Eventually.FoundAsync(() => _connector.Calls.LastOrDefault(c => c.Method == "POST" && c.Segments.Count == 5 && c.Segments[4] == askId), "the quality summary is a reply");
        Assert.Contains("webinar", Text(summary), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterARestart_TheStoredConversationReference_StillCarriesHandoffs()
    {
        var key = await InstallAndSetUpAsync();
        await _host.RestartAsync();
        var before = _connector.Calls.Count;

        Assert.Equal(HttpStatusCode.Accepted, (await _host.PostLeadsAsync(Lead, key, Uri.EscapeDataString(Workspace))).StatusCode);

        // No activity arrived since the restart: the service URL is trusted again because the reference was stored.
        var card = await Eventually.FoundAsync(() => Sent(Channel).FirstOrDefault(c => c.Json!["attachments"] is JsonArray), "the handoff card after the restart");
        Assert.StartsWith("Bearer token-", card.Authorization, StringComparison.Ordinal);
        Assert.True(_connector.Calls.Count > before);
    }

    [Fact]
    public async Task ASlowAnswer_StillReturnsInTime_AndFinishesProactively()
    {
        await _host.DisposeAsync();
        _host = await StartHostAsync(services => services.AddSingleton(new BotFrameworkTiming(TimeSpan.Zero)));

        // Nothing waits: the channel has its 200 at once, and the greeting follows on its own.
        var started = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Install())).StatusCode);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(15));
        await Eventually.FoundAsync(() => Sent(Channel).FirstOrDefault(), "the greeting, sent after the answer");
    }

    [Fact]
    public async Task WithoutAnAppId_LocalToolsAreServed_WithoutTokens_ButNothingElse()
    {
        await _host.DisposeAsync();
        _connector.RequireAuth = false;
        _host = await TestHost.StartAsync(settings =>
        {
            settings["BotFramework:Roles:Admin:0"] = AdminAad;
            settings["BotFramework:Roles:Sales:0"] = RepAad;
        });

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Install(), authorization: null)).StatusCode);
        Assert.Null(Assert.Single(Sent(Channel)).Authorization);

        // setup typed as a reply under the greeting still binds the channel, not that thread.
        var reply = ChannelPost(Admin, AdminAad, "<at>TeamBot</at> setup handoffs", mention: true);
        reply["conversation"]!["id"] = $"{Channel};messageid=1001";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(reply, authorization: null)).StatusCode);
        var key = KeyPattern().Match(Text(await Eventually.FoundAsync(
            () => _connector.Calls.LastOrDefault(c => c.Segments.Count == 4 && c.Segments[2].StartsWith("a:", StringComparison.Ordinal)), "the key"))).Groups["key"].Value;
        Assert.Equal(HttpStatusCode.Accepted, (await _host.PostLeadsAsync(Lead, key, Uri.EscapeDataString(Workspace))).StatusCode);
        await Eventually.FoundAsync(() => Sent(Channel).FirstOrDefault(c => c.Json!["attachments"] is JsonArray), "the card, in the channel itself");

        // A serviceUrl elsewhere, or a request through a proxy, is refused: nothing vouches for them.
        var elsewhere = ChannelPost(Admin, AdminAad, "<at>TeamBot</at> help", mention: true);
        elsewhere["serviceUrl"] = "https://smba.trafficmanager.net/emea/";
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(elsewhere, authorization: null)).StatusCode);
        using var proxied = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(ChannelPost(Admin, AdminAad, "<at>TeamBot</at> help", mention: true).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client.SendAsync(proxied)).StatusCode);
    }

    [Fact]
    public async Task AGroupChat_IsNotServed_AndSaysSo()
    {
        var chat = Base("message", Rep, RepAad, "19:group-chat@thread.v2");
        chat["conversation"]!["conversationType"] = "groupChat";
        chat["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Tenant } };
        chat["text"] = "<at>TeamBot</at> leads quality";
        chat["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>TeamBot</at>", ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = "TeamBot" } });

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(chat)).StatusCode);
        var answer = Assert.Single(_connector.Calls);
        Assert.Contains("not in group chats", Text(answer), StringComparison.Ordinal);
        Assert.Equal(["v3", "conversations", "19:group-chat@thread.v2", "activities", chat["id"]!.GetValue<string>()], answer.Segments);
    }

    /// <summary>Installs the app in the team and has the admin bind the channel; returns the webhook key sent privately.</summary>
    private async Task<string> InstallAndSetUpAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Install())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(ChannelPost(Admin, AdminAad, "<at>TeamBot</at> setup handoffs", mention: true))).StatusCode);
        var privateAnswer = await Eventually.FoundAsync(
            () => _connector.Calls.LastOrDefault(c => c.Method == "POST" && c.Segments.Count == 4 && c.Segments[2].StartsWith("a:", StringComparison.Ordinal)),
            "the private answer with the key");
        return KeyPattern().Match(Text(privateAnswer)).Groups["key"].Value;
    }

    /// <summary>
    /// Issue 7, item 2, on Teams: the Connector stops answering for 60 s (each call hangs until TeamBot's 30-s timeout).
    /// Leads sent meanwhile are accepted and queued; /healthz says degraded and why; afterwards the cards go out in order, once each.
    /// </summary>
    [Fact]
    public async Task ConnectorTimesOutForAMinute_PostsQueue_ThenDrainInOrderOnce_AndHealthSaysSo()
    {
        var key = await InstallAndSetUpAsync();
        _connector.Stalling = true;
        var outage = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 1; i <= 5; i++)
        {
            var accepted = await _host.PostLeadsAsync($$"""{"leads":[{"email":"lead{{i}}@acme.com","firstName":"Lead","lastName":"{{i}}"}]}""", key, Uri.EscapeDataString(Workspace));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        var degraded = await Eventually.ElementAsync(async () =>
        {
            var health = await _host.Client.GetFromJsonAsync<JsonElement>("/healthz");
            return health.GetProperty("status").GetString() == "degraded" ? health : (JsonElement?)null;
        }, "the health check reports the outage", TimeSpan.FromSeconds(55));
        Assert.Contains("timed out", degraded.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Sent(Channel), c => c.Json!["attachments"] is JsonArray { Count: 1 });

        await Task.Delay(TimeSpan.FromSeconds(60) - outage.Elapsed);
        _connector.Stalling = false;
        Assert.InRange(_connector.Stalled, 1, 3);

        await Eventually.FoundAsync(() =>
        {
            var posted = Sent(Channel).Where(c => c.Json!["attachments"] is JsonArray { Count: 1 }).ToList();
            return posted.Count >= 5 ? posted : null;
        }, "the queue drains after the outage", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var leads = Sent(Channel).Where(c => c.Json!["attachments"] is JsonArray { Count: 1 })
            .Select(c => int.Parse(LeadNumber().Match(c.Body).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, leads.Count);
        Assert.Equal(leads.Order().ToList(), leads);
        Assert.Equal(5, leads.Distinct().Count());
        await Eventually.TrueAsync(async () => (await _host.Client.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("status").GetString() == "healthy", "healthy again");
    }

    [GeneratedRegex(@"Lead #(\d+)")]
    private static partial Regex LeadNumber();

    [Fact]
    public async Task EveryBadToken_Is401_AndNothingHappens()
    {
        var activity = ChannelPost(Admin, AdminAad, "<at>TeamBot</at> help", mention: true);
        var now = DateTimeOffset.UtcNow;
        var serviceUrl = _connector.ServiceUrl;
        using var stranger = new ChannelKey("key-1", ["msteams"]); // same kid, another key: the signature fails
        using var slackOnly = new ChannelKey("key-slack", ["slack"]);
        _keys.Publish(slackOnly);
        var bad = new Dictionary<string, string?>
        {
            ["no token"] = null,
            ["not bearer"] = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("a:b")),
            ["wrong issuer"] = "Bearer " + _key.Mint(ChannelKey.Claims(_connector.AppId, serviceUrl, now, issuer: "https://evil.example")),
            ["wrong audience"] = "Bearer " + _key.Mint(ChannelKey.Claims(Guid.NewGuid().ToString(), serviceUrl, now)),
            ["expired"] = "Bearer " + _key.Mint(ChannelKey.Claims(_connector.AppId, serviceUrl, now.AddHours(-2), lifetime: TimeSpan.FromHours(1))),
            ["bad signature"] = "Bearer " + stranger.Mint(ChannelKey.Claims(_connector.AppId, serviceUrl, now)),
            ["wrong endorsement"] = "Bearer " + slackOnly.Mint(ChannelKey.Claims(_connector.AppId, serviceUrl, now)),
            ["serviceUrl mismatch"] = "Bearer " + _key.Mint(ChannelKey.Claims(_connector.AppId, "https://smba.evil.example/teams/", now)),
            ["unsigned"] = "Bearer " + _key.MintUnsigned(ChannelKey.Claims(_connector.AppId, serviceUrl, now)),
        };
        foreach (var (name, authorization) in bad)
        {
            var response = await PostAsync(activity, authorization);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {response.StatusCode}");
        }
        Assert.Empty(_connector.Calls);
        Assert.Empty(_connector.TokenCalls);

        // The same activity with a good token is served.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(activity)).StatusCode);
        await Eventually.FoundAsync(() => _connector.Calls.Count > 0 ? _connector.Calls[0] : null, "the help answer");
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? authorization = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        authorization = authorization == "" ? "Bearer " + _key.Mint(ChannelKey.Claims(_connector.AppId, _connector.ServiceUrl, DateTimeOffset.UtcNow)) : authorization;
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await _host.Client.SendAsync(request);
    }

    private JsonObject Base(string type, string from, string? aad, string conversationId) => new()
    {
        ["type"] = type,
        ["id"] = (++_nextActivity).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["serviceUrl"] = _connector.ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = from, ["name"] = from == Admin ? "Alex Admin" : from == Rep ? "Sam Rep" : "Maria Marketing", ["aadObjectId"] = aad },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "TeamBot" },
        ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = Tenant },
        ["channelData"] = new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = Tenant },
            ["team"] = new JsonObject { ["id"] = Team, ["name"] = "Acme Revenue" },
            ["channel"] = new JsonObject { ["id"] = Channel },
        },
    };

    private JsonObject Install()
    {
        var activity = Base("conversationUpdate", Admin, AdminAad, Channel);
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = BotId });
        activity["channelData"]!["eventType"] = "teamMemberAdded";
        return activity;
    }

    private JsonObject ChannelPost(string from, string aad, string text, bool mention)
    {
        var id = (_nextActivity + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var activity = Base("message", from, aad, $"{Channel};messageid={id}");
        activity["text"] = text;
        if (mention)
        {
            activity["entities"] = new JsonArray(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = "<at>TeamBot</at>",
                ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = "TeamBot" },
            });
        }
        return activity;
    }

    private JsonObject Reaction(string from, string aad, string messageId, string type, bool added)
    {
        var activity = Base("messageReaction", from, aad, $"{Channel};messageid={messageId}");
        activity["replyToId"] = messageId;
        activity[added ? "reactionsAdded" : "reactionsRemoved"] = new JsonArray(new JsonObject { ["type"] = type });
        return activity;
    }

    private JsonObject Invoke(string from, string aad, string messageId, string verb, JsonObject? data)
    {
        var activity = Base("invoke", from, aad, $"{Channel};messageid={messageId}");
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = messageId;
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data ?? new JsonObject() },
            ["trigger"] = "manual",
        };
        return activity;
    }

    /// <summary>The card's action whose verb is <paramref name="verb"/>, wherever the card puts it.</summary>
    private static JsonObject ActionNamed(JsonNode card, string verb) =>
        Descendants(card).OfType<JsonObject>().First(o => o["type"]?.GetValue<string>() == "Action.Execute" && o["verb"]?.GetValue<string>() == verb);

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var d in Descendants(child)) yield return d;
        }
    }

    private IEnumerable<ConnectorCall> Sent(string conversation) =>
        _connector.Calls.Where(c => c.Method == "POST" && c.Segments.Count == 4 && c.Segments[2] == conversation && c.Segments[3] == "activities");

    /// <summary>The id the fake gave the posted activity: its calls are numbered in order, so read it back from the store.</summary>
    private string CardIdOf(ConnectorCall post)
    {
        for (var i = 1; i < 1000; i++)
        {
            var id = $"1:{i}";
            if (_connector.Activity(Channel, id) is { } stored && stored.ToJsonString() == post.Json!.ToJsonString()) return id;
        }
        throw new InvalidOperationException("The card is not stored.");
    }

    /// <summary>What a person reads: text messages are XML with character references, cards JSON.</summary>
    private static string Text(ConnectorCall call) =>
        WebUtility.HtmlDecode(call.Json!["text"]?.GetValue<string>() ?? call.Json!["attachments"]?.ToJsonString() ?? "");

    private async Task<JsonElement> ReportAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/workspaces/{Uri.EscapeDataString(Workspace)}/reports/lead-quality?period=7d&by=source");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }


    [GeneratedRegex("(?<key>tb_[A-Za-z0-9_-]{20,})")]
    private static partial Regex KeyPattern();
}
