using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TeamBot.Testing.BotFramework;

namespace TeamBot.Host.Tests.BotFramework;

/// <summary>The real host on a fake Teams channel (connector, token endpoint, signing keys), shared by a whole corpus.</summary>
public sealed class TeamsCorpusFixture : IAsyncLifetime, IDisposable
{
    public const string Tenant = "8a1f0c2e-4b6d-4e3a-9c7b-2d1e0f3a4b5c";
    public const string Team = "19:team-corpus@thread.tacv2";
    public const string Channel = "19:corpus-channel@thread.tacv2";
    public const string Admin = "29:admin-user";
    public const string AdminAad = "00000000-0000-0000-0000-00000000000a";

    private int _nextActivity = 5000;

    public FakeConnector Connector { get; private set; } = null!;

    public FakeBotFrameworkKeys Keys { get; private set; } = null!;

    public ChannelKey Key { get; } = new("key-1", ["msteams"]);

    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Connector = await FakeConnector.StartAsync(TimeProvider.System);
        Connector.Members = [new JsonObject { ["id"] = Admin, ["name"] = "Alex Admin", ["aadObjectId"] = AdminAad, ["email"] = "alex@acme.example" }];
        Keys = await FakeBotFrameworkKeys.StartAsync();
        Keys.Publish(Key);
        Host = await TestHost.StartAsync(settings =>
        {
            settings["BotFramework:AppId"] = Connector.AppId;
            settings["BotFramework:AppPassword"] = Connector.AppPassword;
            settings["BotFramework:TenantId"] = Tenant;
            settings["BotFramework:OpenIdMetadataUrl"] = Keys.MetadataUrl;
            settings["BotFramework:TokenEndpoint"] = Connector.TokenEndpoint;
            settings["BotFramework:Roles:Admin:0"] = "alex@acme.example";
        });
    }

    /// <summary>POSTs <paramref name="body"/> to /api/messages with a valid channel token.</summary>
    public async Task<HttpResponseMessage> PostAsync(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Key.Mint(ChannelKey.Claims(Connector.AppId, Connector.ServiceUrl, DateTimeOffset.UtcNow)));
        return await Host.Client.SendAsync(request);
    }

    /// <summary>A well-formed activity in the corpus channel, from the admin.</summary>
    public JsonObject Activity(string type) => new()
    {
        ["type"] = type,
        ["id"] = Interlocked.Increment(ref _nextActivity).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["serviceUrl"] = Connector.ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = Admin, ["name"] = "Alex Admin", ["aadObjectId"] = AdminAad },
        ["recipient"] = new JsonObject { ["id"] = "28:" + Connector.AppId, ["name"] = "TeamBot" },
        ["conversation"] = new JsonObject { ["id"] = Channel, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = Tenant },
        ["channelData"] = new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = Tenant },
            ["team"] = new JsonObject { ["id"] = Team, ["name"] = "Corpus" },
            ["channel"] = new JsonObject { ["id"] = Channel },
        },
    };

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Connector.DisposeAsync();
        await Keys.DisposeAsync();
    }

    public void Dispose() => Key.Dispose();
}

/// <summary>
/// The bad-input corpus for Bot Framework activities (issue #7, item 5): each malformed activity, sent with a valid
/// channel token, gets 400 with a specific reason (or 200 where the protocol has the bot ignore or answer it), never
/// 5xx; afterwards the bot still answers a valid message.
/// </summary>
public sealed class BadInputTeamsTests(TeamsCorpusFixture fixture) : IClassFixture<TeamsCorpusFixture>
{
    /// <summary>The body (given a valid activity to spoil), the status, and a fragment of the problem's detail (400) or of the invoke answer.</summary>
    public sealed record Case(Func<TeamsCorpusFixture, byte[]> Body, HttpStatusCode Status, string Says);

    private static readonly Dictionary<string, Case> Cases = BuildCases();

    public static TheoryData<string> Names => [.. Cases.Keys];

    private static Dictionary<string, Case> BuildCases()
    {
        var cases = new Dictionary<string, Case>();
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        void Raw(string name, string body, string says) => cases.Add(name, new Case(_ => Utf8(body), HttpStatusCode.BadRequest, says));
        void Spoilt(string name, string type, Action<JsonObject> spoil, HttpStatusCode status, string says) =>
            cases.Add(name, new Case(f =>
            {
                var activity = f.Activity(type);
                spoil(activity);
                return Utf8(activity.ToJsonString());
            }, status, says));
        void Bad(string name, string type, Action<JsonObject> spoil, string says) => Spoilt(name, type, spoil, HttpStatusCode.BadRequest, says);

        // Not an activity at all.
        Raw("empty body", "", "is not JSON");
        Raw("truncated JSON", "{\"type\":\"message\",", "is not JSON");
        Raw("an array", "[]", "must be a JSON object, not");
        Raw("a string", "\"message\"", "must be a JSON object, not");
        Raw("a number", "42", "must be a JSON object, not");
        Raw("null", "null", "must be a JSON object, not");
        Raw("10,000-deep nesting", "{\"type\":\"message\",\"channelData\":" + new string('[', 10_000) + new string(']', 10_000) + "}", "is not JSON");
        Raw("single quotes", "{'type':'message'}", "is not JSON");
        Raw("duplicate type", "{\"type\":\"message\",\"type\":\"invoke\"}", "Duplicate");
        cases.Add("invalid UTF-8", new Case(_ => [.. Utf8("{\"type\":\"message\",\"text\":\""), 0xC3, 0x28, .. Utf8("\"}")], HttpStatusCode.BadRequest, "is not valid UTF-8 (byte"));

        // Missing or wrong fields.
        Bad("no type", "message", a => a.Remove("type"), "has no type");
        Bad("empty type", "", _ => { }, "has no type");
        Bad("type is a number", "message", a => a["type"] = 1, "has no type");
        Bad("type is null", "message", a => a["type"] = null, "has no type");
        Bad("no conversation", "message", a => a.Remove("conversation"), "needs conversation.id");
        Bad("conversation without id", "message", a => a["conversation"]!.AsObject().Remove("id"), "needs conversation.id");
        Bad("conversation is text", "message", a => a["conversation"] = Channel(), "has the wrong shape");
        Bad("conversation id is a number", "message", a => a["conversation"]!["id"] = 5, "has the wrong shape");
        Bad("no serviceUrl", "message", a => a.Remove("serviceUrl"), "needs serviceUrl");
        Bad("serviceUrl is a number", "message", a => a["serviceUrl"] = 5, "has the wrong shape");
        Bad("from is text", "message", a => a["from"] = "alex", "has the wrong shape");
        Bad("from id is an object", "message", a => a["from"]!["id"] = new JsonObject(), "has the wrong shape");
        Bad("entities is an object", "message", a => a["entities"] = new JsonObject(), "has the wrong shape");
        Bad("entity is text", "message", a => a["entities"] = new JsonArray("mention"), "has the wrong shape");
        Bad("text is a number", "message", a => a["text"] = 42, "has the wrong shape");
        Bad("text is an array", "message", a => a["text"] = new JsonArray("a"), "has the wrong shape");
        Bad("text over 40,000 characters", "message", a => a["text"] = new string('x', 40_001), "at most 40000 are accepted");
        Bad("membersAdded is an object", "conversationUpdate", a => a["membersAdded"] = new JsonObject(), "has the wrong shape");
        Bad("reactionsAdded is text", "messageReaction", a => a["reactionsAdded"] = "like", "has the wrong shape");
        Ok("channelData is an array", "message", a => a["channelData"] = new JsonArray());
        Bad("timestamp is not a time", "message", a => a["timestamp"] = "yesterday", "$.timestamp has the wrong shape");
        Bad("recipient is a number", "message", a => a["recipient"] = 5, "has the wrong shape");

        // Well-formed activities the bot ignores or answers (200).
        void Ok(string name, string type, Action<JsonObject> change, string says = "") => Spoilt(name, type, change, HttpStatusCode.OK, says);
        Ok("unknown type", "frobnicate", _ => { });
        Ok("typing", "typing", _ => { });
        Ok("message with no text", "message", _ => { });
        Ok("message: control characters", "message", a => a["text"] = "<at>TeamBot</at> help\u0000\u001b[31m");
        Ok("message: mention injection", "message", a => a["text"] = "<at>TeamBot</at> leads assign lead:1 rep:<at>everyone</at>");
        Ok("message: sql", "message", a => a["text"] = "<at>TeamBot</at> leads claim lead:'; DROP TABLE leads;--");
        Ok("message: 1 MB of markup", "message", a => a["text"] = string.Concat(Enumerable.Repeat("<b>x</b>", 4000)));
        Ok("reaction on an unknown message", "messageReaction", a =>
        {
            a["replyToId"] = "1:999999";
            a["reactionsAdded"] = new JsonArray(new JsonObject { ["type"] = "like" });
        });
        Ok("reaction of an unknown kind", "messageReaction", a => a["reactionsAdded"] = new JsonArray(new JsonObject { ["type"] = "<script>" }));
        Ok("conversationUpdate with garbage members", "conversationUpdate", a => a["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "" }));
        Ok("invoke: unknown name", "invoke", a => a["name"] = "frobnicate/action", "does not handle the invoke 'frobnicate/action'");
        Ok("invoke: action without value", "invoke", a => a["name"] = "adaptiveCard/action", "The action has no verb.");
        Ok("invoke: action without replyToId", "invoke", a =>
        {
            a["name"] = "adaptiveCard/action";
            a["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "claim" } };
        }, "does not name the message it was on");
        Ok("invoke: unknown verb", "invoke", a =>
        {
            a["name"] = "adaptiveCard/action";
            a["replyToId"] = "1:999999";
            a["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "'; DROP TABLE leads;--" } };
        }, "does not know the action");
        Ok("invoke: value is text", "invoke", a =>
        {
            a["name"] = "adaptiveCard/action";
            a["value"] = "claim";
        }, "The action has no verb.");
        return cases;

        static string Channel() => TeamsCorpusFixture.Channel;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task MalformedActivity_GetsASpecificAnswer_AndTheBotStillServes(string name)
    {
        var bad = Cases[name];

        var response = await fixture.PostAsync(bad.Body(fixture));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == bad.Status, $"{name}: {(int)response.StatusCode} {body}");
        if (bad.Status == HttpStatusCode.BadRequest)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
            Assert.True(detail.Contains(bad.Says, StringComparison.Ordinal), $"{name}: expected \"{bad.Says}\" in: {detail}");
        }
        else if (bad.Says.Length > 0)
        {
            Assert.True(body.Contains(bad.Says, StringComparison.Ordinal), $"{name}: expected \"{bad.Says}\" in: {body}");
        }
        Assert.DoesNotContain("Something went wrong", body, StringComparison.Ordinal);

        // The bot still serves: a valid message is accepted.
        var help = fixture.Activity("message");
        help["text"] = "<at>TeamBot</at> help";
        help["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>TeamBot</at>", ["mentioned"] = new JsonObject { ["id"] = "28:" + fixture.Connector.AppId, ["name"] = "TeamBot" } });
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostAsync(Encoding.UTF8.GetBytes(help.ToJsonString()))).StatusCode);
    }
}
