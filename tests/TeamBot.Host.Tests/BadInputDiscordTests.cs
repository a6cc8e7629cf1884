using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TeamBot.Chat.Discord;
using TeamBot.Testing.Discord;

namespace TeamBot.Host.Tests;

/// <summary>A loopback Discord and the real host on it, with one handoff posted, shared by a whole corpus.</summary>
public sealed class DiscordCorpusFixture : IAsyncLifetime
{
    public const ulong Guild = 111_000_000_000_000_009;
    public const ulong Handoffs = 222_000_000_000_000_009;
    public const ulong SalesRole = 333_000_000_000_000_009;
    public const ulong Rep = 401_000_000_000_000_009;
    public const string Key = "discord-corpus-key-0123456789";
    public static readonly string Workspace = $"discord-{Guild}";

    public FakeDiscord Discord { get; private set; } = null!;

    public TestHost Host { get; private set; } = null!;

    /// <summary>The handoff card's message id.</summary>
    public ulong Card { get; private set; }

    public async Task InitializeAsync()
    {
        Discord = await FakeDiscord.StartAsync(TimeProvider.System, new FakeGuild(Guild, "Corpus"));
        Host = await TestHost.StartAsync(settings =>
        {
            Discord.Configure(settings);
            settings[$"Discord:Guilds:{Guild}:HandoffsChannel"] = Id(Handoffs);
            settings[$"Discord:Guilds:{Guild}:ApiKey"] = Key;
            settings[$"Discord:Guilds:{Guild}:Roles:Sales"] = Id(SalesRole);
        });
        await Discord.WaitLiveAsync();
        var card = await PostLeadAsync("""{"email":"corpus@acme.com","firstName":"Corpus","company":"Acme"}""");
        Card = ulong.Parse(card["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    /// <summary>Sends a lead through the webhook and returns the message Discord got for it.</summary>
    public async Task<JsonObject> PostLeadAsync(string json)
    {
        var accepted = await Host.PostLeadsAsync(json, Key, Workspace);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("leads")[0].GetProperty("id").GetInt64();
        return await Eventually.FoundAsync(() => Discord.Rest.Messages.FirstOrDefault(m => m["channel_id"]!.GetValue<string>() == Id(Handoffs)
            && m["embeds"]?[0]?["footer"]?["text"]?.GetValue<string>() is { } footer && footer.Contains($"#{id} ", StringComparison.Ordinal)), $"lead {id} is posted");
    }

    public async Task<double?> AverageRatingAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/workspaces/{Workspace}/reports/lead-quality?period=7d&by=source");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var response = await Host.Client.SendAsync(request);
        var average = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetProperty("averageRating");
        return average.ValueKind == JsonValueKind.Number ? average.GetDouble() : null;
    }

    /// <summary>A count read straight from the bot's database.</summary>
    public async Task<long> CountAsync(string sql) => (long)(await Host.ScalarAsync(sql))!;

    public static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Discord.DisposeAsync();
    }
}

/// <summary>
/// The bad-input corpus for Discord gateway events and interactions (issue #7, item 5): malformed MESSAGE_CREATE,
/// reaction and INTERACTION_CREATE payloads never crash or reconnect the bot; afterwards a valid reaction still counts;
/// an interaction that can be answered gets a private answer; and data in a handoff never mentions anyone.
/// </summary>
public sealed class BadInputDiscordTests(DiscordCorpusFixture fixture) : IClassFixture<DiscordCorpusFixture>
{
    private const ulong Guild = DiscordCorpusFixture.Guild;
    private const ulong Handoffs = DiscordCorpusFixture.Handoffs;
    private static readonly string Huge = new('x', 1_000_000);
    private static long _nextInteraction = 7_000_000;
    private static int _probes;

    /// <summary>An event: its type, its data (given the card's message id), and whether it is an interaction the bot must answer.</summary>
    public sealed record Case(string Type, Func<ulong, JsonObject> Data, bool Answered = false);

    private static readonly Dictionary<string, Case> Cases = BuildCases();

    public static TheoryData<string> Names => [.. Cases.Keys];

    private static Dictionary<string, Case> BuildCases()
    {
        string Id(ulong id) => DiscordCorpusFixture.Id(id);
        JsonObject Member(JsonNode? roles = null) => new()
        {
            ["user"] = new JsonObject { ["id"] = Id(DiscordCorpusFixture.Rep), ["username"] = "rep" },
            ["roles"] = roles ?? new JsonArray(Id(DiscordCorpusFixture.SalesRole)),
            ["permissions"] = "0",
        };
        JsonObject Message(Action<JsonObject>? change = null)
        {
            var data = new JsonObject
            {
                ["id"] = "880000000000000001",
                ["channel_id"] = Id(Handoffs),
                ["guild_id"] = Id(Guild),
                ["type"] = 0,
                ["author"] = new JsonObject { ["id"] = Id(DiscordCorpusFixture.Rep), ["username"] = "rep" },
                ["member"] = Member(),
                ["content"] = "hello",
                ["mentions"] = new JsonArray(),
            };
            change?.Invoke(data);
            return data;
        }
        JsonObject Reaction(ulong card, Action<JsonObject>? change = null)
        {
            var data = new JsonObject
            {
                ["user_id"] = Id(DiscordCorpusFixture.Rep),
                ["channel_id"] = Id(Handoffs),
                ["message_id"] = Id(card),
                ["guild_id"] = Id(Guild),
                ["emoji"] = new JsonObject { ["id"] = null, ["name"] = "👍" },
                ["member"] = Member(),
                ["burst"] = false,
                ["type"] = 0,
            };
            change?.Invoke(data);
            return data;
        }
        JsonObject Interaction(int type, JsonNode? data, ulong? card, Action<JsonObject>? change = null)
        {
            var id = (ulong)Interlocked.Increment(ref _nextInteraction);
            var payload = new JsonObject
            {
                ["id"] = Id(id),
                ["application_id"] = Id(FakeDiscord.ApplicationId),
                ["type"] = type,
                ["token"] = $"token-{id}",
                ["version"] = 1,
                ["guild_id"] = Id(Guild),
                ["channel_id"] = Id(Handoffs),
                ["member"] = Member(),
                ["data"] = data,
            };
            if (card is { } c) payload["message"] = new JsonObject { ["id"] = Id(c), ["channel_id"] = Id(Handoffs) };
            change?.Invoke(payload);
            return payload;
        }
        JsonObject Command(string name, JsonNode? options) => new() { ["id"] = "700", ["name"] = name, ["type"] = 1, ["options"] = options };
        JsonArray Sub(string sub, JsonNode? options) => new(new JsonObject { ["name"] = sub, ["type"] = 1, ["options"] = options });

        var cases = new Dictionary<string, Case>();
        void Add(string name, string type, Func<ulong, JsonObject> data, bool answered = false) => cases.Add(name, new Case(type, data, answered));

        // MESSAGE_CREATE: a message in the handoffs channel (or a DM) that is malformed.
        Add("message: empty", "MESSAGE_CREATE", _ => new JsonObject());
        Add("message: id is an object", "MESSAGE_CREATE", _ => Message(m => m["id"] = new JsonObject()));
        Add("message: channel id is text", "MESSAGE_CREATE", _ => Message(m => m["channel_id"] = "handoffs"));
        Add("message: content is a number", "MESSAGE_CREATE", _ => Message(m => m["content"] = 42));
        Add("message: 1 MB content", "MESSAGE_CREATE", _ => Message(m => m["content"] = Huge));
        Add("message: no author", "MESSAGE_CREATE", _ => Message(m => m.Remove("author")));
        Add("message: author is text", "MESSAGE_CREATE", _ => Message(m => m["author"] = "rep"));
        // From another person: the roles of a message's author stand for that person until the next event says otherwise.
        Add("message: roles are numbers", "MESSAGE_CREATE", _ => Message(m =>
        {
            m["author"] = new JsonObject { ["id"] = "401000000000000777", ["username"] = "other" };
            m["member"] = new JsonObject { ["roles"] = new JsonArray(1, 2) };
        }));
        Add("message: roles are numbers, from the rep", "MESSAGE_CREATE", _ => Message(m => m["member"] = Member(new JsonArray(1, 2))));
        Add("message: no roles, from the rep", "MESSAGE_CREATE", _ => Message(m => m["member"] = Member(new JsonArray())));
        Add("message: roles are an object", "MESSAGE_CREATE", _ => Message(m => m["member"] = Member(new JsonObject())));
        Add("message: mentions is an object", "MESSAGE_CREATE", _ => Message(m => m["mentions"] = new JsonObject()));
        Add("message: mentions are text", "MESSAGE_CREATE", _ => Message(m => m["mentions"] = new JsonArray("everyone", 5)));
        Add("message: type is text", "MESSAGE_CREATE", _ => Message(m => m["type"] = "DEFAULT"));
        Add("message: control characters and mentions", "MESSAGE_CREATE", _ => Message(m => m["content"] = "\u0000\u001b[31m @everyone <@&1> <script>"));
        Add("message: DM command with no guild", "MESSAGE_CREATE", _ => Message(m =>
        {
            m.Remove("guild_id");
            m.Remove("member");
            m["channel_id"] = "990000000000000001";
            m["content"] = "/leads claim lead:'; DROP TABLE leads;--";
        }));
        Add("message update: empty", "MESSAGE_UPDATE", _ => new JsonObject());

        // Reactions.
        Add("reaction: empty", "MESSAGE_REACTION_ADD", _ => new JsonObject());
        Add("reaction: user id is text", "MESSAGE_REACTION_ADD", card => Reaction(card, r => r["user_id"] = "abc"));
        Add("reaction: unknown message", "MESSAGE_REACTION_ADD", card => Reaction(card, r => r["message_id"] = "123456"));
        Add("reaction: no emoji", "MESSAGE_REACTION_ADD", card => Reaction(card, r => r.Remove("emoji")));
        Add("reaction: emoji is text", "MESSAGE_REACTION_ADD", card => Reaction(card, r => r["emoji"] = "👍"));
        Add("reaction: 1 MB emoji name", "MESSAGE_REACTION_ADD", card => Reaction(card, r => r["emoji"] = new JsonObject { ["name"] = Huge }));
        Add("reaction: custom emoji with a bad id", "MESSAGE_REACTION_ADD", card => Reaction(card, r => r["emoji"] = new JsonObject { ["id"] = "x", ["name"] = "<@&1>" }));
        Add("reaction: roles are numbers", "MESSAGE_REACTION_ADD", card => Reaction(card, r => r["member"] = Member(new JsonArray(1, 2))));
        Add("reaction: member is an array", "MESSAGE_REACTION_ADD", card => Reaction(card, r => r["member"] = new JsonArray()));
        Add("reaction: unknown guild", "MESSAGE_REACTION_ADD", card => Reaction(card, r => r["guild_id"] = "999"));
        Add("reaction: burst is text", "MESSAGE_REACTION_ADD", card => Reaction(card, r => r["burst"] = "yes"));
        Add("reaction remove: empty", "MESSAGE_REACTION_REMOVE", _ => new JsonObject());
        Add("reaction remove: unknown message", "MESSAGE_REACTION_REMOVE", card => Reaction(card, r => r["message_id"] = "123456"));

        // Interactions.
        Add("interaction: empty", "INTERACTION_CREATE", _ => new JsonObject());
        Add("interaction: no token", "INTERACTION_CREATE", card => Interaction(3, new JsonObject { ["custom_id"] = "claim", ["component_type"] = 2 }, card, i => i.Remove("token")));
        Add("interaction: unknown type", "INTERACTION_CREATE", card => Interaction(99, new JsonObject(), card));
        Add("button: unknown custom id", "INTERACTION_CREATE", card => Interaction(3, new JsonObject { ["custom_id"] = "frobnicate", ["component_type"] = 2 }, card), answered: true);
        Add("button: sql custom id", "INTERACTION_CREATE", card => Interaction(3, new JsonObject { ["custom_id"] = "claim:'; DROP TABLE leads;--", ["component_type"] = 2 }, card), answered: true);
        Add("button: 1 MB custom id", "INTERACTION_CREATE", card => Interaction(3, new JsonObject { ["custom_id"] = Huge, ["component_type"] = 2 }, card), answered: true);
        Add("button: custom id is a number", "INTERACTION_CREATE", card => Interaction(3, new JsonObject { ["custom_id"] = 5, ["component_type"] = 2 }, card), answered: true);
        Add("button: no data", "INTERACTION_CREATE", card => Interaction(3, null, card), answered: true);
        Add("button: on an unknown message", "INTERACTION_CREATE", _ => Interaction(3, new JsonObject { ["custom_id"] = "claim", ["component_type"] = 2 }, 123456), answered: true);
        Add("button: roles are numbers", "INTERACTION_CREATE", card => Interaction(3, new JsonObject { ["custom_id"] = "claim", ["component_type"] = 2 }, card, i => i["member"] = Member(new JsonArray(1))), answered: true);
        Add("select: values is an object", "INTERACTION_CREATE", card => Interaction(3, new JsonObject { ["custom_id"] = "rate", ["component_type"] = 3, ["values"] = new JsonObject() }, card), answered: true);
        Add("select: unknown value", "INTERACTION_CREATE", card => Interaction(3, new JsonObject { ["custom_id"] = "rate", ["component_type"] = 3, ["values"] = new JsonArray("<@&1>") }, card), answered: true);
        Add("command: unknown name", "INTERACTION_CREATE", _ => Interaction(2, Command("frobnicate", null), null), answered: true);
        Add("command: no name", "INTERACTION_CREATE", _ => Interaction(2, new JsonObject { ["id"] = "700", ["type"] = 1 }, null), answered: true);
        Add("command: unknown subcommand", "INTERACTION_CREATE", _ => Interaction(2, Command("leads", Sub("frobnicate", null)), null), answered: true);
        Add("command: options is an object", "INTERACTION_CREATE", _ => Interaction(2, Command("leads", new JsonObject()), null), answered: true);
        Add("command: option value is an object", "INTERACTION_CREATE", _ => Interaction(2, Command("leads", Sub("claim", new JsonArray(new JsonObject { ["name"] = "lead", ["type"] = 4, ["value"] = new JsonObject() }))), null), answered: true);
        Add("command: 1 MB option value", "INTERACTION_CREATE", _ => Interaction(2, Command("leads", Sub("quality", new JsonArray(new JsonObject { ["name"] = "period", ["type"] = 3, ["value"] = Huge }))), null), answered: true);
        Add("command: sql option value", "INTERACTION_CREATE", _ => Interaction(2, Command("leads", Sub("claim", new JsonArray(new JsonObject { ["name"] = "lead", ["type"] = 3, ["value"] = "1; DROP TABLE leads" }))), null), answered: true);
        Add("command: option without a name", "INTERACTION_CREATE", _ => Interaction(2, Command("leads", Sub("claim", new JsonArray(new JsonObject { ["type"] = 3, ["value"] = "1" }))), null), answered: true);
        Add("command: no member nor user", "INTERACTION_CREATE", _ => Interaction(2, Command("help", null), null, i => i.Remove("member")), answered: true);
        Add("command: from an unknown guild", "INTERACTION_CREATE", _ => Interaction(2, Command("help", null), null, i => i["guild_id"] = "999"), answered: true);
        Add("autocomplete: unknown option", "INTERACTION_CREATE", _ => Interaction(4, Command("leads", Sub("claim", new JsonArray(new JsonObject { ["name"] = "nope", ["type"] = 3, ["value"] = "x", ["focused"] = true }))), null), answered: true);
        Add("autocomplete: 1 MB typed", "INTERACTION_CREATE", _ => Interaction(4, Command("leads", Sub("claim", new JsonArray(new JsonObject { ["name"] = "lead", ["type"] = 3, ["value"] = Huge, ["focused"] = true }))), null), answered: true);
        Add("modal: no components", "INTERACTION_CREATE", card => Interaction(5, new JsonObject { ["custom_id"] = "won" }, card), answered: true);
        Add("modal: components are text", "INTERACTION_CREATE", card => Interaction(5, new JsonObject { ["custom_id"] = "won", ["components"] = "x" }, card), answered: true);
        Add("modal: 1 MB text", "INTERACTION_CREATE", card => Interaction(5, new JsonObject
        {
            ["custom_id"] = "won",
            ["components"] = new JsonArray(new JsonObject { ["type"] = 1, ["components"] = new JsonArray(new JsonObject { ["type"] = 4, ["custom_id"] = "text", ["value"] = Huge }) }),
        }, card), answered: true);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task MalformedEvent_NeitherCrashesNorReconnects_AndAValidReactionStillCounts(string name)
    {
        var bad = Cases[name];
        var discord = fixture.Discord;
        var resumes = discord.Resumes;
        var data = bad.Data(fixture.Card);

        await discord.DispatchAsync(bad.Type, data);

        if (bad.Answered)
        {
            var id = ulong.Parse(data["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var answer = await discord.CallbackAsync(id, TimeSpan.FromSeconds(5));
            var type = answer["type"]!.GetValue<int>();
            Assert.True(type is 4 or 8 or 9, $"{name}: callback type {type}");
            if (type == 4)
            {
                Assert.Equal(64, answer["data"]!["flags"]!.GetValue<int>());
                Assert.False(string.IsNullOrWhiteSpace(answer["data"]!["content"]?.GetValue<string>()), $"{name}: {answer.ToJsonString()}");
                Assert.Empty(answer["data"]!["allowed_mentions"]!["parse"]!.AsArray());
            }
        }

        // The event loop is alive and in order: a valid rating made after the bad event counts. The rep turns the card's
        // rating to 🔥 great and 👎 poor in turn, so the average goes up, then down (whatever else rated the card).
        var great = Interlocked.Increment(ref _probes) % 2 == 0;
        var average = await fixture.AverageRatingAsync();
        await discord.ReactAsync(Guild, Handoffs, fixture.Card, great ? "👎" : "🔥", DiscordCorpusFixture.Rep, added: false);
        await discord.ReactAsync(Guild, Handoffs, fixture.Card, great ? "🔥" : "👎", DiscordCorpusFixture.Rep, roles: [DiscordCorpusFixture.SalesRole]);
        await Eventually.TrueAsync(async () => await fixture.AverageRatingAsync() is { } now && (average is null || (great ? now > average : now < average)),
            $"{name}: a valid reaction still counts", TimeSpan.FromSeconds(10));
        // Only the rep ever rated: no bad event was taken for a rating by someone else (an id that did not parse, say).
        Assert.Equal(1, await fixture.CountAsync("SELECT count(DISTINCT person_id) FROM ratings"));
        Assert.Equal(1, discord.Identifies);
        Assert.Equal(resumes, discord.Resumes);
    }

    [Fact]
    public async Task HostileLeadText_IsEscaped_AndMentionsNoOne()
    {
        const string evil = "@everyone @here <@123> <@&456> **bold** [x](https://evil.example) `code`";
        var body = JsonSerializer.Serialize(new { email = "hostile@acme.com", firstName = evil, company = evil, reason = evil, fields = new { note = evil } });

        var message = await fixture.PostLeadAsync(body);

        Assert.Empty(message["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Null(message["allowed_mentions"]!["roles"]);
        Assert.True(message["allowed_mentions"]!["users"] is null or JsonArray { Count: 0 });
        var embeds = message["embeds"]!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.DoesNotContain("@everyone", embeds.Replace("\\\\@everyone", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("<@123>", embeds, StringComparison.Ordinal);
        Assert.DoesNotContain("**bold**", embeds, StringComparison.Ordinal);
        Assert.Contains(DiscordCards.Literal("**bold**"), message["embeds"]![0]!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Replace("\\\\", "\\", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(evil, message["content"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
    }
}
