using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Chat.Discord;
using TeamBot.Testing.Discord;

namespace TeamBot.Host.Tests;

/// <summary>
/// The real TeamBot host against a loopback Discord (gateway + REST): the guild becomes a workspace with slash commands,
/// a webhook lead becomes an embed with buttons in the configured channel, a reaction becomes a rating, a button press a
/// claim, a slash command gets the summary, and a dropped connection resumes and replays what was missed.
/// </summary>
public sealed class DiscordHostTests
{
    private const ulong Guild = 111_000_000_000_000_001;
    private const ulong Handoffs = 222_000_000_000_000_001;
    private const ulong SalesRole = 333_000_000_000_000_001;
    private const ulong MarketingRole = 333_000_000_000_000_002;
    private const ulong Rep = 401_000_000_000_000_001;
    private const ulong OtherRep = 401_000_000_000_000_002;
    private const ulong Marketer = 402_000_000_000_000_003;
    private const string Key = "discord-key-0123456789abcdef";
    private static readonly string Workspace = $"discord-{Guild}";

    private const string Lead = """
        {"leads":[{"email":"jane@acme.com","firstName":"Jane","lastName":"Doe","company":"Acme GmbH","source":"webinar",
          "reason":"Asked for pricing @everyone"}]}
        """;

    private static async Task<(FakeDiscord Discord, TestHost Host)> StartAsync(Action<IServiceCollection>? services = null, params FakeGuild[] otherGuilds)
    {
        var discord = await FakeDiscord.StartAsync(TimeProvider.System, [new FakeGuild(Guild, "Acme Revenue"), .. otherGuilds]);
        var host = await TestHost.StartAsync(settings =>
        {
            discord.Configure(settings);
            settings[$"Discord:Guilds:{Guild}:HandoffsChannel"] = Handoffs.ToString(CultureInfo.InvariantCulture);
            settings[$"Discord:Guilds:{Guild}:ApiKey"] = Key;
            settings[$"Discord:Guilds:{Guild}:Roles:Sales"] = SalesRole.ToString(CultureInfo.InvariantCulture);
            settings[$"Discord:Guilds:{Guild}:Roles:Marketing"] = MarketingRole.ToString(CultureInfo.InvariantCulture);
        }, services: services);
        await discord.WaitLiveAsync();
        return (discord, host);
    }

    private static async Task<JsonObject> PostLeadAsync(TestHost host, FakeDiscord discord)
    {
        var accepted = await host.PostLeadsAsync(Lead, Key, Workspace);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return await Eventually.FoundAsync(() => discord.Rest.Messages.FirstOrDefault(m => m["channel_id"]!.GetValue<string>() == Handoffs.ToString(CultureInfo.InvariantCulture) && m["embeds"] is not null),
            "the handoff is posted in the handoffs channel");
    }

    [Fact]
    public async Task Webhook_Reaction_Button_SlashCommand_AndResume_ThroughTheRealHost()
    {
        var (discord, host) = await StartAsync();
        await using var _ = discord;
        await using var __ = host;

        // The guild became a workspace and got TeamBot's slash commands.
        var registration = await Eventually.FoundAsync(() => discord.Rest.Requests.FirstOrDefault(r => r.Method == "PUT" && r.Path == $"/api/v10/applications/{FakeDiscord.ApplicationId}/guilds/{Guild}/commands"), "the slash commands are registered");
        Assert.Contains(registration.Json!.AsArray(), c => c!["name"]!.GetValue<string>() == "leads");

        // A webhook lead becomes an embed with buttons; data never mentions anyone.
        var card = await PostLeadAsync(host, discord);
        Assert.Equal("Jane Doe · Acme GmbH", card["embeds"]![0]!["title"]!.GetValue<string>());
        Assert.Empty(card["allowed_mentions"]!["parse"]!.AsArray());
        var buttons = card["components"]!.AsArray().SelectMany(row => row!["components"]!.AsArray()).ToList();
        var claim = buttons.First(b => b!["custom_id"]?.GetValue<string>() == "claim")!;
        var messageId = ulong.Parse(card["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.NotNull(claim);
        // A thread was started from the handoff for the conversation about it.
        await Eventually.FoundAsync(() => discord.Rest.Requests.FirstOrDefault(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{Handoffs}/messages/{messageId}/threads"), "the lead's thread is started");

        // A sales rep's 🔥 becomes a "great" rating; the bot's own reaction does not count.
        await discord.ReactAsync(Guild, Handoffs, messageId, "🔥", FakeDiscord.BotUserId, roles: []);
        await discord.ReactAsync(Guild, Handoffs, messageId, "🔥", Rep, roles: [SalesRole], name: "Sam Carter");
        await Eventually.TrueAsync(async () => (await ReportAsync(host)).GetProperty("total").GetProperty("rated").GetInt32() == 1, "the reaction is recorded as a rating");

        // A marketer's rating is refused; a reaction has no private answer on Discord, so the refusal comes by DM.
        await discord.ReactAsync(Guild, Handoffs, messageId, "👍", Marketer, roles: [MarketingRole]);
        var dm = await Eventually.FoundAsync(() => discord.Rest.Requests.FirstOrDefault(r => r.Method == "POST" && r.Path == $"/api/v10/channels/9{Marketer}/messages"), "the refusal is sent by DM");
        Assert.Contains("Only sales reps can", dm.Body, StringComparison.Ordinal);
        Assert.Equal(1, (await ReportAsync(host)).GetProperty("total").GetProperty("rated").GetInt32());

        // A button press by another rep claims the lead; the answer is theirs only and the card is updated.
        var click = await discord.ClickAsync(Guild, Handoffs, messageId, "claim", OtherRep, roles: [SalesRole]);
        var answer = await discord.CallbackAsync(click);
        Assert.Equal(4, answer["type"]!.GetValue<int>());
        Assert.Equal(64, answer["data"]!["flags"]!.GetValue<int>());
        await Eventually.TrueAsync(async () => (await ReportAsync(host)).GetProperty("total").GetProperty("claimed").GetInt32() == 1, "the button press is recorded as a claim");
        await Eventually.FoundAsync(() => discord.Rest.Requests.FirstOrDefault(r => r.Method == "PATCH" && r.Path == $"/api/v10/channels/{Handoffs}/messages/{messageId}"), "the card is updated after the claim");

        // A control TeamBot does not know still gets an answer (Discord would show "This interaction failed").
        var unknown = await discord.CallbackAsync(await discord.ClickAsync(Guild, Handoffs, messageId, "", Rep, roles: [SalesRole]));
        Assert.Equal((4, 64), (unknown["type"]!.GetValue<int>(), unknown["data"]!["flags"]!.GetValue<int>()));

        // A slash command gets the lead-quality summary.
        var command = await discord.CommandAsync(Guild, Handoffs, Rep, "leads", "quality", new Dictionary<string, string> { ["period"] = "7d" }, roles: [SalesRole]);
        var summary = await discord.CallbackAsync(command);
        Assert.Equal(4, summary["type"]!.GetValue<int>());
        Assert.Contains("webinar", summary["data"]!.ToJsonString(), StringComparison.Ordinal);

        // Typing a lead number offers the workspace's leads; typing a reason offers its reasons.
        var typing = await discord.AutocompleteAsync(Guild, Handoffs, Rep, "leads", "claim", "lead", "jan");
        var offered = await discord.CallbackAsync(typing);
        Assert.Equal(8, offered["type"]!.GetValue<int>());
        var lead = Assert.Single(offered["data"]!["choices"]!.AsArray())!;
        Assert.Equal("Jane Doe · Acme GmbH", lead["name"]!.GetValue<string>()[(lead["value"]!.GetValue<string>().Length + 2)..]);
        var reasons = (await discord.CallbackAsync(await discord.AutocompleteAsync(Guild, Handoffs, Rep, "leads", "reason", "reason", "budget")))["data"]!["choices"]!.AsArray();
        Assert.Contains(reasons, r => r!["value"]!.GetValue<string>() == "no-budget");
        Assert.Contains(registration.Json!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "leads")!["options"]!.AsArray()
            .Single(o => o!["name"]!.GetValue<string>() == "claim")!["options"]!.AsArray(), o => o!["autocomplete"]?.GetValue<bool>() == true);

        // The connection drops; a reaction made meanwhile is replayed when the bot resumes.
        await discord.DropAsync();
        await discord.ReactAsync(Guild, Handoffs, messageId, "🔥", Rep, added: false);
        await discord.WaitLiveAsync();
        await Eventually.TrueAsync(async () => (await ReportAsync(host)).GetProperty("total").GetProperty("rated").GetInt32() == 0, "the removal made while disconnected is replayed and retracts the rating");
        Assert.Equal(1, discord.Identifies);
        Assert.True(discord.Resumes >= 1);
    }

    [Fact]
    public async Task ReactionsChangedWhileTheBotWasAway_AreReadBack_AfterARestart_AndAfterASessionThatCouldNotResume()
    {
        var (discord, host) = await StartAsync();
        await using var _ = discord;
        await using var __ = host;
        var card = await PostLeadAsync(host, discord);
        var messageId = ulong.Parse(card["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        await discord.ReactAsync(Guild, Handoffs, messageId, "🔥", Rep, roles: [SalesRole]);
        await Eventually.TrueAsync(async () => (await ReportAsync(host)).GetProperty("total").GetProperty("rated").GetInt32() == 1, "the live reaction counts");

        // TeamBot is down while the rep changes their mind: 🔥 becomes 👎. No session will replay that.
        await host.StopAsync();
        await discord.ReactAsync(Guild, Handoffs, messageId, "🔥", Rep, added: false);
        await discord.ReactAsync(Guild, Handoffs, messageId, "👎", Rep, roles: [SalesRole]);
        // Reading back costs a request per emoji and reaction type; the fake's 5-per-5-s on every route would stretch this test.
        discord.Rest.BucketLimit = 50;
        await host.StartAgainAsync();
        // Between the retraction and the new rating there is a moment with no rating at all (average null).
        await Eventually.TrueAsync(async () => (await ReportAsync(host)).GetProperty("total").GetProperty("averageRating") is { ValueKind: JsonValueKind.Number } average && average.GetDouble() == 2.0,
            "the change made while TeamBot was down is read back: one poor rating instead of a great one", TimeSpan.FromSeconds(30));
        Assert.Equal(1, (await ReportAsync(host)).GetProperty("total").GetProperty("rated").GetInt32());
        Assert.Equal(2, discord.Identifies);

        // The session is lost (resume refused); the 👎 is taken back meanwhile and the new session reads that back too.
        await discord.InvalidateSessionAsync();
        await discord.ReactAsync(Guild, Handoffs, messageId, "👎", Rep, added: false);
        await Eventually.TrueAsync(async () => (await ReportAsync(host)).GetProperty("total").GetProperty("rated").GetInt32() == 0, "the removal is read back after re-identifying", TimeSpan.FromSeconds(30));
        Assert.Equal(3, discord.Identifies);
    }

    [Fact]
    public async Task ControlsThatAskForText_OpenAModal_AndTheSubmitRecordsTheOutcome()
    {
        var (discord, host) = await StartAsync();
        await using var _ = discord;
        await using var __ = host;
        var card = await PostLeadAsync(host, discord);
        var messageId = ulong.Parse(card["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        // Outcomes are offered once the lead is claimed: the updated card carries the select.
        await discord.CallbackAsync(await discord.ClickAsync(Guild, Handoffs, messageId, "claim", Rep, roles: [SalesRole]));
        var updated = await Eventually.FoundAsync(() => discord.Rest.Requests.LastOrDefault(r => r.Method == "PATCH" && r.Path == $"/api/v10/channels/{Handoffs}/messages/{messageId}" && r.Body.Contains("\"outcome\"", StringComparison.Ordinal)), "the card offers outcomes");
        var select = updated.Json!["components"]!.AsArray().SelectMany(row => row!["components"]!.AsArray()).First(c => c!["custom_id"]?.GetValue<string>() == "outcome")!;
        var won = select["options"]!.AsArray().Select(o => o!["value"]!.GetValue<string>()).First(v => v.StartsWith("won", StringComparison.Ordinal));

        var click = await discord.ClickAsync(Guild, Handoffs, messageId, "outcome", Rep, roles: [SalesRole], values: [won]);
        var modal = await discord.CallbackAsync(click);
        Assert.Equal(9, modal["type"]!.GetValue<int>());
        var input = modal["data"]!["components"]![0]!["components"]![0]!;
        Assert.Equal("Amount won (e.g. 12000)", input["label"]!.GetValue<string>());
        Assert.True(input["required"]!.GetValue<bool>());

        var submit = await discord.SubmitModalAsync(Guild, Handoffs, messageId, modal["data"]!["custom_id"]!.GetValue<string>(), "12000", Rep, roles: [SalesRole]);
        var reply = await discord.CallbackAsync(submit);
        Assert.Equal(4, reply["type"]!.GetValue<int>());
        await Eventually.TrueAsync(async () => (await ReportAsync(host)).GetProperty("total").GetProperty("won").GetInt32() == 1, "the outcome with its amount is recorded");
        Assert.Equal(12000m, (await ReportAsync(host)).GetProperty("total").GetProperty("wonAmount").GetDecimal());
    }

    [Fact]
    public async Task ASlowAnswer_IsDeferredWithinDiscordsDeadline_ThenEditedIn()
    {
        // Every answer counts as slow here: the bot must defer first, then fill in the answer.
        var (discord, host) = await StartAsync(services => services.AddSingleton(new DiscordBotTiming(TimeSpan.Zero)));
        await using var _ = discord;
        await using var __ = host;
        var card = await PostLeadAsync(host, discord);
        var messageId = ulong.Parse(card["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);

        // A public answer: a private "thinking…" first, then the answer as a followup everyone sees.
        var command = await discord.CommandAsync(Guild, Handoffs, Rep, "leads", "quality", new Dictionary<string, string> { ["period"] = "7d" }, roles: [SalesRole]);
        var deferred = await discord.CallbackAsync(command);
        Assert.Equal(5, deferred["type"]!.GetValue<int>());
        Assert.Equal(64, deferred["data"]!["flags"]!.GetValue<int>());
        var followup = await Eventually.FoundAsync(() => discord.Rest.Requests.FirstOrDefault(r => r.Method == "POST" && r.Path == $"/api/v10/webhooks/{FakeDiscord.ApplicationId}/token-{command}"), "the answer follows the defer");
        Assert.Contains("webinar", followup.Body, StringComparison.Ordinal);
        Assert.Null(followup.Json!["flags"]);
        var edited = discord.Rest.Requests.Single(r => r.Method == "PATCH" && r.Path == $"/api/v10/webhooks/{FakeDiscord.ApplicationId}/token-{command}/messages/@original");
        Assert.Contains("posted below", edited.Body, StringComparison.Ordinal);

        // A component: acknowledged without a loading state (type 6), the private answer follows as an ephemeral followup.
        var click = await discord.ClickAsync(Guild, Handoffs, messageId, "claim", OtherRep, roles: [SalesRole]);
        Assert.Equal(6, (await discord.CallbackAsync(click))["type"]!.GetValue<int>());
        var answer = await Eventually.FoundAsync(() => discord.Rest.Requests.FirstOrDefault(r => r.Method == "POST" && r.Path == $"/api/v10/webhooks/{FakeDiscord.ApplicationId}/token-{click}"), "the claim's answer follows");
        Assert.Equal(64, answer.Json!["flags"]!.GetValue<int>());
        await Eventually.TrueAsync(async () => (await ReportAsync(host)).GetProperty("total").GetProperty("claimed").GetInt32() == 1, "the deferred claim is recorded");
    }

    [Fact]
    public async Task Forget_AfterDiscordArchivedTheLeadsThread_StillRedactsTheNotesInIt_AndRenamesTheThread()
    {
        var (discord, host) = await StartAsync();
        await using var _ = discord;
        await using var __ = host;
        var card = await PostLeadAsync(host, discord);
        var messageId = ulong.Parse(card["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var thread = await Eventually.FoundAsync(() => discord.Rest.Requests.FirstOrDefault(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{Handoffs}/messages/{messageId}/threads") is { Status: 200 } ? messageId.ToString(CultureInfo.InvariantCulture) : null,
            "the lead's thread is started");

        // A poor rating asks the rep why, in the lead's thread: a message TeamBot posted about the lead.
        await discord.ReactAsync(Guild, Handoffs, messageId, "👎", Rep, roles: [SalesRole]);
        var prompt = await Eventually.FoundAsync(() => discord.Rest.Messages.FirstOrDefault(m => m["channel_id"]!.GetValue<string>() == thread), "the reason prompt is posted in the thread");
        var leadId = card["embeds"]![0]!["footer"]!["text"]!.GetValue<string>().Split('#', ' ')[2];
        Assert.Equal($"Lead #{leadId}: Jane Doe (Acme GmbH)", discord.Rest.ThreadName(messageId));
        // A day later Discord has archived the quiet thread.
        discord.Rest.ArchiveThread(messageId);

        var command = await discord.CommandAsync(Guild, Handoffs, Rep, "privacy", "forget",
            new Dictionary<string, string> { ["email"] = "jane@acme.com", ["confirm"] = "yes" }, roles: [SalesRole], permissions: DiscordInbound.AdministratorPermission);
        Assert.Contains("Erased", (await discord.CallbackAsync(command)).ToJsonString(), StringComparison.Ordinal);

        var promptEdit = $"/api/v10/channels/{thread}/messages/{prompt["id"]!.GetValue<string>()}";
        var redaction = await Eventually.FoundAsync(() => discord.Rest.Requests.FirstOrDefault(r => r.Method == "PATCH" && r.Path == promptEdit && r.Status == 200),
            "the prompt in the archived thread is redacted");
        Assert.Contains("personal data was erased", redaction.Body, StringComparison.Ordinal);
        Assert.Contains(discord.Rest.Requests, r => r.Method == "PATCH" && r.Path == $"/api/v10/channels/{thread}" && r.Body == "{\"archived\":false}");

        // The thread's name said who the lead was: it no longer does. And the old thread goes back to the archive.
        await Eventually.TrueAsync(() => Task.FromResult(discord.Rest.ThreadName(messageId) == $"Lead #{leadId} (personal data erased)"), "the thread is renamed");
        await Eventually.TrueAsync(() => Task.FromResult(discord.Rest.IsArchived(messageId)), "the thread is archived again");
        Assert.DoesNotContain(discord.Rest.Requests, r => r.Status is not (200 or 400) && r.Method == "PATCH");
    }

    [Fact]
    public async Task SetupChannel_TheGuildDoesNotHave_IsRefusedWithItsChannels_AndOneItHasIsTaken()
    {
        var (discord, host) = await StartForSetupAsync();
        await using var _ = discord;
        await using var __ = host;
        const ulong Marketing = 222_000_000_000_000_002, Voice = 222_000_000_000_000_003, Unknown = 222_000_000_000_000_099;
        discord.Rest.SetGuildChannels(Guild, (Handoffs, 0, "leads"), (Marketing, 5, "marketing-news"), (Voice, 2, "Lounge"));

        Task<string> SetupMarketingAsync(ulong channel) => SetupReplyAsync(discord, "marketing", Handoffs, new() { ["channel"] = $"<#{channel}>" });

        // A typo, and a voice channel (no threads there): refused, naming the text and announcement channels by name.
        foreach (var wrong in new[] { Unknown, Voice })
        {
            var refused = await SetupMarketingAsync(wrong);
            Assert.Contains($"channel: '{wrong}' is not one of the workspace's channels (#leads, #marketing-news). Nothing was changed.", refused, StringComparison.Ordinal);
        }
        Assert.Contains("Marketing notices will be posted in channel #marketing-news", await SetupMarketingAsync(Marketing), StringComparison.Ordinal);
        Assert.Contains(discord.Rest.Requests, r => r.Method == "GET" && r.Path == $"/api/v10/guilds/{Guild}/channels");

        // A server with no channel a handoff can go to says so, instead of an empty list.
        discord.Rest.SetGuildChannels(Guild, (Voice, 2, "Lounge"));
        Assert.Contains("The workspace has no channel TeamBot can post marketing in", await SetupMarketingAsync(Voice), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupChannel_WhereTheBotLacksPermissions_IsTaken_AndTheReplyAndSetupShowNameWhatIsMissing()
    {
        var (discord, host) = await StartForSetupAsync();
        await using var _ = discord;
        await using var __ = host;
        const ulong Marketing = 222_000_000_000_000_002, NewLeads = 222_000_000_000_000_004, BotRole = 333_000_000_000_000_009;
        const ulong Everyone = DiscordPermissions.ViewChannel | DiscordPermissions.SendMessages | DiscordPermissions.EmbedLinks
                               | DiscordPermissions.ReadMessageHistory | DiscordPermissions.AddReactions;
        discord.Rest.SetGuildChannels(Guild, (Handoffs, 0, "leads"), (Marketing, 0, "marketing"), (NewLeads, 0, "new-leads"));
        // A server whose @everyone may read, write and react, but not open threads; TeamBot's role adds nothing; #new-leads takes no embeds.
        discord.Rest.SetGuildRoles(Guild, ownerId: 999, (Guild, Everyone), (BotRole, 0));
        discord.Rest.SetMemberRoles(Guild, FakeDiscord.BotUserId, BotRole);
        discord.Rest.SetChannelOverwrites(NewLeads, (Guild, 0, 0, DiscordPermissions.EmbedLinks));
        Task<string> SetupAsync(string which, ulong channel) => SetupReplyAsync(discord, which, channel);

        // Taken, with what is missing and what it means.
        var handoffs = await SetupAsync("handoffs", NewLeads);
        Assert.Contains("Handoffs will be posted in this channel", handoffs, StringComparison.Ordinal);
        Assert.Contains("⚠️ In this channel TeamBot lacks these permissions: Embed Links, Create Public Threads, Send Messages in Threads. "
                        + "Until a server admin gives them to TeamBot (the channel's settings, Permissions, or TeamBot's role), what needs them fails there", handoffs, StringComparison.Ordinal);
        var workspace = await host.Services.GetRequiredService<TeamBot.Core.Workspaces.IWorkspaceStore>().FindAsync(Workspace, default);
        Assert.Equal(NewLeads.ToString(CultureInfo.InvariantCulture), workspace!.Places.Handoffs);

        // Marketing notices are posts only: nothing is missing for them where @everyone may post.
        var marketing = await SetupAsync("marketing", Marketing);
        Assert.Contains("Marketing notices will be posted in this channel", marketing, StringComparison.Ordinal);
        Assert.DoesNotContain("lacks", marketing, StringComparison.Ordinal);

        // The admin gives TeamBot's role the thread permissions: asking again names only what is still missing, then nothing.
        discord.Rest.SetGuildRoles(Guild, ownerId: 999, (Guild, Everyone), (BotRole, DiscordPermissions.CreatePublicThreads | DiscordPermissions.SendMessagesInThreads));
        var again = await SetupAsync("handoffs", NewLeads);
        Assert.Contains("Handoffs already go to this channel", again, StringComparison.Ordinal);
        Assert.Contains("lacks this permission: Embed Links. Until a server admin gives it to TeamBot", again, StringComparison.Ordinal);
        discord.Rest.SetChannelOverwrites(NewLeads);
        Assert.DoesNotContain("lacks", await SetupAsync("handoffs", NewLeads), StringComparison.Ordinal);

        // /setup show tells it for every channel: here TeamBot was shut out of #marketing since.
        discord.Rest.HideChannel(Marketing);
        var show = await SetupAsync("show", NewLeads);
        Assert.Contains($"Handoffs: channel {NewLeads}\n", show, StringComparison.Ordinal);
        Assert.Contains($"Marketing notices: channel {Marketing} (TeamBot lacks View Channel there)", show, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatRemovesTeamBot_RefusesWebhookLeads_StoringNothing_UntilTeamBotIsAddedAgain()
    {
        var (discord, host) = await StartAsync();
        await using var _ = discord;
        await using var __ = host;
        // A lead accepted first: the webhook remembers that the workspace takes leads.
        await PostLeadAsync(host, discord);
        async Task<DateTimeOffset?> LeftAtAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<Core.Workspaces.IWorkspaceStore>().FindAsync(Workspace, CancellationToken.None))!.LeftAt;
        }
        async Task<int> LeadsAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Data.TeamBotDbContext>().Database
                .SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM leads WHERE workspace_id = {Workspace}").SingleAsync();
        }
        int Registrations() => discord.Rest.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith($"/guilds/{Guild}/commands", StringComparison.Ordinal));
        const string Another = """{"leads":[{"email":"max@acme.com","company":"Acme GmbH","source":"webinar"}]}""";

        // Told after the write, as the webhook's cache is.
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<Core.Workspaces.WorkspaceChanges>().Changed += id =>
        {
            if (id == Workspace) recorded.TrySetResult();
        };

        // An outage of the server is not a removal.
        await discord.DispatchAsync("GUILD_DELETE", new JsonObject { ["id"] = Guild.ToString(CultureInfo.InvariantCulture), ["unavailable"] = true });
        // The bot is removed: Discord sends GUILD_DELETE without "unavailable".
        await discord.DispatchAsync("GUILD_DELETE", new JsonObject { ["id"] = Guild.ToString(CultureInfo.InvariantCulture) });
        await recorded.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.NotNull(await LeftAtAsync());

        using (var refused = await host.PostLeadsAsync(Another, Key, Workspace))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("TeamBot is not in the server", problem.GetProperty("title").GetString());
            Assert.Contains("TeamBot is not in the server of Acme Revenue", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("add TeamBot to the server before sending leads", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(1, await LeadsAsync());
        Assert.Equal(1, Registrations());

        // Added again: GUILD_CREATE. The workspace takes leads, and its commands are registered again.
        await discord.DispatchAsync("GUILD_CREATE", new JsonObject
        {
            ["id"] = Guild.ToString(CultureInfo.InvariantCulture),
            ["name"] = "Acme Revenue",
            ["unavailable"] = false,
            ["threads"] = new JsonArray(),
            ["channels"] = new JsonArray(),
        });
        await Eventually.TrueAsync(async () => await LeftAtAsync() is null, "the workspace takes leads again");
        using (var accepted = await host.PostLeadsAsync(Another, Key, Workspace)) Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(2, await LeadsAsync());
        await Eventually.TrueAsync(() => Task.FromResult(Registrations() == 2), "the slash commands are registered again");
    }

    [Fact]
    public async Task AServerThatRemovedTeamBotWhileItWasOffline_IsFoundMissingFromReady_AndTakesLeadsAgainWhenBack()
    {
        const ulong OtherGuild = 111_000_000_000_000_002;
        var other = $"discord-{OtherGuild}";
        var (discord, host) = await StartAsync(otherGuilds: new FakeGuild(OtherGuild, "Other Co"));
        await using var _ = discord;
        await using var __ = host;
        async Task<DateTimeOffset?> LeftAtAsync(string workspace)
        {
            await using var scope = host.Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<Core.Workspaces.IWorkspaceStore>().FindAsync(workspace, CancellationToken.None))!.LeftAt;
        }
        await Eventually.TrueAsync(() => Task.FromResult(discord.Rest.Requests.Any(r => r.Method == "PUT" && r.Path.EndsWith($"/guilds/{OtherGuild}/commands", StringComparison.Ordinal))),
            "the other server is announced");

        // While TeamBot is down, the other server removes it: the next session's READY no longer lists it.
        await host.StopAsync();
        discord.Guilds = [new FakeGuild(Guild, "Acme Revenue")];
        await host.StartAgainAsync();
        await Eventually.TrueAsync(async () => await LeftAtAsync(other) is not null, "the server missing from READY is recorded as left");
        Assert.Null(await LeftAtAsync(Workspace));
        using (var accepted = await host.PostLeadsAsync(Lead, Key, Workspace)) Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // Added again.
        await discord.DispatchAsync("GUILD_CREATE", new JsonObject
        {
            ["id"] = OtherGuild.ToString(CultureInfo.InvariantCulture),
            ["name"] = "Other Co",
            ["unavailable"] = false,
            ["threads"] = new JsonArray(),
            ["channels"] = new JsonArray(),
        });
        await Eventually.TrueAsync(async () => await LeftAtAsync(other) is null, "the server is back");

        // Removed again while the connection was down, and the session could not be resumed: the new READY tells.
        discord.Guilds = [new FakeGuild(Guild, "Acme Revenue")];
        await discord.InvalidateSessionAsync();
        await Eventually.TrueAsync(async () => await LeftAtAsync(other) is not null, "the server missing from the new session's READY is recorded as left");
        Assert.Null(await LeftAtAsync(Workspace));
    }

    [Fact]
    public async Task ARemovalTheDatabaseCouldNotRecord_IsRecordedOnALaterTry()
    {
        var failures = 0;
        var (discord, host) = await StartAsync(services =>
        {
            services.AddSingleton(DiscordBotTiming.Default with { WorkspaceRetry = TimeSpan.FromMilliseconds(200) });
            // The first write of the removal fails, as a locked or full database would make it.
            services.AddScoped(sp => ActivatorUtilities.CreateInstance<DiscordWorkspaces>(sp, new FailingFirstLeave(
                sp.GetRequiredService<Core.Workspaces.IWorkspaceStore>(), () => Interlocked.Increment(ref failures) == 1)));
        });
        await using var _ = discord;
        await using var __ = host;
        await Eventually.TrueAsync(() => Task.FromResult(discord.Rest.Requests.Any(r => r.Method == "PUT" && r.Path.EndsWith($"/guilds/{Guild}/commands", StringComparison.Ordinal))),
            "the server is announced");

        await discord.DispatchAsync("GUILD_DELETE", new JsonObject { ["id"] = Guild.ToString(CultureInfo.InvariantCulture) });

        await Eventually.TrueAsync(async () =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<Core.Workspaces.IWorkspaceStore>().FindAsync(Workspace, CancellationToken.None))!.LeftAt is not null;
        }, "the removal is recorded on the next try");
        Assert.Equal(2, Volatile.Read(ref failures));
        using var refused = await host.PostLeadsAsync(Lead, Key, Workspace);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    /// <summary>The real store, whose first recording of a removal throws.</summary>
    private sealed class FailingFirstLeave(Core.Workspaces.IWorkspaceStore inner, Func<bool> fail) : Core.Workspaces.IWorkspaceStore
    {
        public Task<bool> SetLeftAsync(string workspaceId, DateTimeOffset? at, CancellationToken cancellationToken) =>
            at is not null && fail() ? throw new InvalidOperationException("database is locked") : inner.SetLeftAsync(workspaceId, at, cancellationToken);

        public Task<Core.Workspaces.Workspace?> FindAsync(string workspaceId, CancellationToken cancellationToken) => inner.FindAsync(workspaceId, cancellationToken);

        public Task<Core.Workspaces.Workspace?> FindByPlatformAsync(string platform, string workspaceId, CancellationToken cancellationToken) =>
            inner.FindByPlatformAsync(platform, workspaceId, cancellationToken);

        public Task<IReadOnlyList<Core.Workspaces.Workspace>> ListByPlatformAsync(string platform, CancellationToken cancellationToken) =>
            inner.ListByPlatformAsync(platform, cancellationToken);

        public Task UpsertAsync(Core.Workspaces.Workspace workspace, CancellationToken cancellationToken) => inner.UpsertAsync(workspace, cancellationToken);

        public Task<byte[]?> GetApiKeyHashAsync(string workspaceId, CancellationToken cancellationToken) => inner.GetApiKeyHashAsync(workspaceId, cancellationToken);

        public Task SetApiKeyHashAsync(string workspaceId, byte[] hash, CancellationToken cancellationToken) => inner.SetApiKeyHashAsync(workspaceId, hash, cancellationToken);
    }

    [Fact]
    public async Task ADmTeamBotOpenedForAServer_StillBelongsToIt_AfterARestart_InAProcessServingSeveral()
    {
        const ulong OtherGuild = 111_000_000_000_000_002;
        var (discord, host) = await StartAsync(otherGuilds: new FakeGuild(OtherGuild, "Other Co"));
        await using var _ = discord;
        await using var __ = host;
        var dm = "9" + Rep.ToString(CultureInfo.InvariantCulture);
        JsonObject Typed(ulong id, ulong? guild, string channel, string text = "/setup show") => new()
        {
            ["id"] = id.ToString(CultureInfo.InvariantCulture),
            ["channel_id"] = channel,
            ["guild_id"] = guild?.ToString(CultureInfo.InvariantCulture),
            ["type"] = 0,
            ["author"] = new JsonObject { ["id"] = Rep.ToString(CultureInfo.InvariantCulture), ["username"] = "rep" },
            ["member"] = guild is null ? null : new JsonObject { ["roles"] = new JsonArray(SalesRole.ToString(CultureInfo.InvariantCulture)) },
            ["content"] = text,
            ["mentions"] = new JsonArray(),
        };
        int Answers() => discord.Rest.Messages.Count(m => m["channel_id"]!.GetValue<string>() == dm && m["content"]?.GetValue<string>().Replace("\\", "", StringComparison.Ordinal).Contains($"Workspace {Workspace}", StringComparison.Ordinal) == true);
        Task BothServersKnownAsync(int times) => Eventually.TrueAsync(() => Task.FromResult(discord.Rest.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith($"/guilds/{OtherGuild}/commands", StringComparison.Ordinal)) == times),
            "both servers are announced");

        // Typed in the server, /setup show answers privately: by DM, in the DM channel TeamBot opens for this server.
        await BothServersKnownAsync(1);
        await discord.DispatchAsync("MESSAGE_CREATE", Typed(880_000_000_000_000_001, Guild, Handoffs.ToString(CultureInfo.InvariantCulture)));
        await Eventually.TrueAsync(() => Task.FromResult(Answers() == 1), "the answer comes by DM");

        // After a restart the process knows two servers and has not seen the rep in either: the DM still belongs to the first.
        await host.StopAsync();
        await host.StartAgainAsync();
        await BothServersKnownAsync(2);
        await discord.WaitLiveAsync();
        await discord.DispatchAsync("MESSAGE_CREATE", Typed(880_000_000_000_000_002, null, dm));
        await Eventually.TrueAsync(() => Task.FromResult(Answers() == 2), "the DM is answered for its server after the restart");

        // Nor once the rep is seen in the other server: the server that wrote in the DM channel comes first, as before the restart.
        await host.StopAsync();
        await host.StartAgainAsync();
        await BothServersKnownAsync(3);
        await discord.WaitLiveAsync();
        await discord.DispatchAsync("MESSAGE_CREATE", Typed(880_000_000_000_000_003, OtherGuild, "222000000000000050", "hello"));
        await discord.DispatchAsync("MESSAGE_CREATE", Typed(880_000_000_000_000_004, null, dm));
        await Eventually.TrueAsync(() => Task.FromResult(Answers() == 3), "the DM is answered for its server when the rep was seen in the other");
    }

    /// <summary>A host whose slash commands are registered, and that answers in the first callback (no defer), however slow the machine.</summary>
    private static async Task<(FakeDiscord Discord, TestHost Host)> StartForSetupAsync()
    {
        var (discord, host) = await StartAsync(services => services.AddSingleton(new DiscordBotTiming(TimeSpan.FromMinutes(1))));
        await Eventually.FoundAsync(() => discord.Rest.Requests.FirstOrDefault(r => r.Method == "PUT" && r.Path.EndsWith($"/guilds/{Guild}/commands", StringComparison.Ordinal)), "the slash commands are registered");
        return (discord, host);
    }

    /// <summary>An admin's /setup in a channel, and the reply's text as a person reads it (Discord's markdown escapes removed).</summary>
    private static async Task<string> SetupReplyAsync(FakeDiscord discord, string which, ulong channel, Dictionary<string, string>? options = null) =>
        (await discord.CallbackAsync(await discord.CommandAsync(Guild, channel, Rep, "setup", which, options ?? [], permissions: DiscordInbound.AdministratorPermission)))
            ["data"]!["content"]!.GetValue<string>().Replace("\\", "", StringComparison.Ordinal);

    private static async Task<JsonElement> ReportAsync(TestHost host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/workspaces/{Workspace}/reports/lead-quality?period=7d&by=source");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

}
