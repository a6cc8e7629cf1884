using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TeamBot.Chat.Discord.Messages;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;
using TeamBot.Testing.Discord;

namespace TeamBot.Chat.Discord.Tests;

/// <summary>
/// Every request the real client sends to the loopback Discord, checked against Discord's published OpenAPI spec: the
/// operation exists, its path and query parameters fit, and its body validates (strictly: no property the spec does not
/// name, since Discord would drop it without a word). Inputs are ordinary and worst case (every field at its limit).
/// </summary>
public sealed class OpenApiConformanceTests : LoopbackRestTests
{
    private const string Workspace = "discord-7";
    private const ulong ApplicationId = 1_100_000_000_000_000_007;

    /// <summary>Interaction tokens are long and URL-safe; this one has the shape Discord gives.</summary>
    private const string Token = "aW50ZXJhY3Rpb246MTI0NTY3ODkwMTIzNDU2Nzg5MDpXZkR1Q2Z5c2VJd0x4a2t2Y0o3T1pPM0p6Z1hWbmdmUzRwZ2NhM0FXbHZCQm1oZ2VqUGNBb0p2cXF2M2dZb1p0-_";

    private static DiscordOpenApi Spec => DiscordOpenApi.Spec;

    private DiscordChatPlatform Platform() => new(Rest());

    /// <summary>The client, with the fake's buckets opened wide: a 429 and its retry are other tests' business.</summary>
    private DiscordRestClient Rest()
    {
        Fake.BucketLimit = 1000;
        return Client();
    }

    private static PlaceRef Channel(string id = "1100000000000000010") => new(DiscordChatPlatform.Platform, Workspace, id);

    // ---- the validator understands the spec, finds it, and can fail ----

    [Fact]
    public void Spec_UsesOnlyKeywordsTheValidatorUnderstands()
    {
        Assert.Empty(Spec.UnknownKeywords());
    }

    [Fact]
    public void FindSpecFile_WhereThereIsNone_FailsNamingWhereItLooked()
    {
        var error = Assert.Throws<FileNotFoundException>(() => DiscordOpenApi.FindSpecFile(Path.GetTempPath()));

        Assert.Contains("shared/discord-openapi.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/v10/channels/10/messages", "/channels/{channel_id}/messages")]
    [InlineData("PATCH", "/api/v10/webhooks/7/" + Token + "/messages/@original", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")]
    [InlineData("PATCH", "/api/v10/webhooks/7/" + Token + "/messages/12", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")]
    [InlineData("POST", "/api/v10/webhooks/7/" + Token, "/webhooks/{webhook_id}/{webhook_token}")]
    [InlineData("POST", "/api/v10/interactions/99/" + Token + "/callback", "/interactions/{interaction_id}/{interaction_token}/callback")]
    [InlineData("POST", "/users/@me/channels", "/users/@me/channels")]
    [InlineData("PUT", "/api/v10/channels/10/messages/11/reactions/%F0%9F%94%A5/@me", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me")]
    public void FindOperation_MatchesConcretePathsToTemplates_LiteralsFirst(string method, string path, string template)
    {
        Assert.Equal(template, Spec.FindOperation(method, path)?.Template);
    }

    [Fact]
    public void FindOperation_EveryTemplateInTheSpec_IsFoundFromAConcretePath()
    {
        var templates = Spec.Document["paths"]!.AsObject().Select(p => p.Key).ToList();

        var missed = templates.Where(t => Spec.FindOperation(Method(t), Regex.Replace(t, "{[^}]+}", "1"))?.Template != t).ToList();

        Assert.Empty(missed);

        string Method(string template) => Spec.Document["paths"]![template]!.AsObject().First(p => p.Key != "parameters").Key;
    }

    [Fact]
    public void Validate_RepeatedAllowedUsersAndTooManyEmbeds_Fail()
    {
        var embeds = string.Join(',', Enumerable.Repeat("""{"title": "t"}""", 11));

        var errors = Spec.ValidateRequest("POST", "/channels/10/messages", null, $$$"""{"embeds": [{{{embeds}}}], "allowed_mentions": {"users": ["1", "1"]}}""");

        Assert.Contains(errors, e => e.Path == "$.embeds" && e.Message.Contains("maxItems is 10", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.allowed_mentions.users[1]" && e.Message.Contains("unique", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ContentOverTheLimit_Fails()
    {
        var errors = Followup(new JsonObject { ["content"] = new string('a', 2001), ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() } });

        Assert.Contains(errors, e => e.Path == "$.content" && e.Message.Contains("maxLength is 2000", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ContentOfTheWrongType_Fails()
    {
        var errors = Spec.ValidateRequest("POST", "/channels/10/messages", null, """{"content": 5}""");

        Assert.Contains(errors, e => e.Path == "$.content" && e.Message.Contains("string or null", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EmbedFieldWithoutValue_Fails()
    {
        var errors = Spec.ValidateRequest("POST", "/channels/10/messages", null, """{"embeds": [{"title": "t", "fields": [{"name": "n"}]}]}""");

        Assert.Contains(errors, e => e.Path == "$.embeds[0].fields[0]" && e.Message.Contains("'value'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownPropertyWhereAdditionalPropertiesIsFalse_Fails()
    {
        // The spec closes only InnerErrors; the check itself is what matters here.
        var schema = JsonNode.Parse("""{"$ref": "#/components/schemas/InnerErrors"}""")!;

        var errors = Spec.Validate(JsonNode.Parse("""{"_errors": [], "extra": 1}"""), schema);

        Assert.Equal([new SchemaError("$.extra", "is not allowed: the object takes no properties besides those it names.")], errors);
    }

    [Fact]
    public void Validate_MisspeltProperty_FailsOnlyWhenStrict()
    {
        const string body = """{"content": "hi", "allowed_mention": {"parse": []}}""";

        Assert.Empty(Spec.ValidateRequest("POST", "/channels/10/messages", null, body));
        Assert.Contains(Spec.ValidateRequest("POST", "/channels/10/messages", null, body, strict: true), e => e.Path == "$.allowed_mention");
    }

    [Fact]
    public void Validate_ButtonWithAStyleDiscordDoesNotHave_FailsInsideTheOneOf()
    {
        var errors = Spec.ValidateRequest("POST", "/channels/10/messages", null,
            """{"components": [{"type": 1, "components": [{"type": 2, "style": 9, "custom_id": "x", "label": "Go"}]}]}""");

        Assert.Contains(errors, e => e.Path == "$.components[0].components[0].style");
        Assert.DoesNotContain(errors, e => e.Message.Contains("[14]", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SnowflakeThatIsNotANumber_FailsItsPattern()
    {
        var errors = Spec.ValidateRequest("POST", "/users/@me/channels", null, """{"recipient_id": "ada"}""");

        Assert.Contains(errors, e => e.Path == "$.recipient_id");
    }

    [Fact]
    public void Validate_ThreadNameTooLongAndAnArchiveDurationDiscordDoesNotOffer_BothFail()
    {
        var errors = Spec.ValidateRequest("POST", "/channels/10/messages/11/threads", null, $$"""{"name": "{{new string('n', 101)}}", "auto_archive_duration": 30}""");

        Assert.Contains(errors, e => e.Path == "$.name");
        Assert.Contains(errors, e => e.Path == "$.auto_archive_duration");
    }

    [Fact]
    public void ValidateRequest_UnknownOperationBadPathIdOrMissingBody_Fails()
    {
        Assert.NotEmpty(Spec.ValidateRequest("POST", "/channels/10/nothing", null, "{}"));
        Assert.Contains(Spec.ValidateRequest("POST", "/channels/general/messages", null, """{"content": "x"}"""), e => e.Path == "path {channel_id}");
        Assert.Contains(Spec.ValidateRequest("GET", "/channels/10/messages/11/reactions/x", "?limit=101", null), e => e.Path == "query limit");
        Assert.NotEmpty(Spec.ValidateRequest("POST", "/users/@me/channels", null, null));
        Assert.NotEmpty(Spec.ValidateRequest("PUT", "/channels/10/messages/11/reactions/x/@me", null, "{}"));
    }

    [Fact]
    public void Validate_KeywordOrFormatItDoesNotKnow_Throws()
    {
        Assert.Throws<NotSupportedException>(() => Spec.Validate(JsonValue.Create(1), JsonNode.Parse("""{"multipleOf": 2}""")!));
        Assert.Throws<NotSupportedException>(() => Spec.Validate(JsonValue.Create("x"), JsonNode.Parse("""{"format": "hostname"}""")!));
        Assert.Throws<NotSupportedException>(() => Spec.Validate(JsonValue.Create("x"), JsonNode.Parse("""{"$ref": "https://example.com/schema"}""")!));
    }

    // ---- every body the client sends ----

    [Fact]
    public async Task CreateMessage_HandoffCardWithNotifiedUsers_Conforms()
    {
        var message = new OutgoingMessage("New lead for @everyone", DiscordCardsTests.HandoffLike(), [new Mention("1100000000000000001", "Rep"), new Mention("1100000000000000002", "Lead")]);

        await Platform().PostAsync(Channel(), message, "lead-1", default);
        await Rest().CreateMessageAsync(1_100_000_000_000_000_010, DiscordCards.ToBody(message));

        AssertEveryRequestConforms(2);
    }

    [Fact]
    public async Task CreateMessage_WorstCaseCards_Conform()
    {
        await Platform().PostAsync(Channel(), new OutgoingMessage(Long("Text *with* <@1> markdown ", 2500), WorstCaseCard(actions: 30, choices: 0), ManyNotified(80)), "worst-buttons", default);
        await Platform().PostAsync(Channel(), new OutgoingMessage(Card: WorstCaseCard(actions: 4, choices: 5)), new string('k', 200), default);
        await Platform().PostAsync(Channel(), new OutgoingMessage(Long("Everyone, look: ", 3000), Notify: ManyNotified(120)), "everyone", default);
        await Platform().PostAsync(Channel(), new OutgoingMessage(Long("🔥", 3000)), "emoji", default);
        await Platform().PostAsync(Channel(), new OutgoingMessage(), "empty", default);

        AssertEveryRequestConforms(5);
    }

    [Fact]
    public async Task EditMessage_CardTextAndRemovedCard_Conform()
    {
        var platform = Platform();
        var posted = await platform.PostAsync(Channel(), new OutgoingMessage(Card: DiscordCardsTests.HandoffLike()), "lead-1", default);

        await platform.UpdateAsync(posted, new OutgoingMessage(Card: WorstCaseCard(actions: 4, choices: 5)), default);
        await platform.UpdateAsync(posted, new OutgoingMessage("Claimed by Ada", Notify: [new Mention("1100000000000000001", "Ada")]), default);
        await Rest().EditMessageAsync(1_100_000_000_000_000_010, ulong.Parse(posted.MessageId, CultureInfo.InvariantCulture), DiscordCards.ToBody(new OutgoingMessage(Card: WorstCaseCard(actions: 30, choices: 0))));

        AssertEveryRequestConforms(4);
    }

    [Fact]
    public async Task UnarchiveAndArchiveThread_Conform()
    {
        var platform = Platform();
        var root = await platform.PostAsync(Channel(), new OutgoingMessage("root"), "root", default);
        var thread = await platform.OpenThreadAsync(root, "Lead #1", default);
        Fake.ArchiveThread(ulong.Parse(thread.Id, CultureInfo.InvariantCulture));

        await Rest().ModifyThreadAsync(ulong.Parse(thread.Id, CultureInfo.InvariantCulture), archived: false);
        await Rest().ModifyThreadAsync(ulong.Parse(thread.Id, CultureInfo.InvariantCulture), archived: true);

        AssertEveryRequestConforms(4);
    }

    [Fact]
    public async Task RenameThread_OpenAndArchived_Conforms_AndTakesTheName()
    {
        var platform = Platform();
        var root = await platform.PostAsync(Channel(), new OutgoingMessage("root"), "root", default);
        var thread = await platform.OpenThreadAsync(root, "Lead #1: Jane Doe (Acme GmbH)", default);
        var id = ulong.Parse(thread.Id, CultureInfo.InvariantCulture);

        await platform.RenameThreadAsync(thread, "Lead #1 (personal data erased)", default);
        Assert.Equal("Lead #1 (personal data erased)", Fake.ThreadName(id));

        // Archived: the first try is refused (50083), the second carries archived: false. A long name is cut to Discord's 100.
        Fake.ArchiveThread(id);
        var cut = new string('x', 99) + "…";
        await platform.RenameThreadAsync(thread, new string('x', 150), default);
        Assert.Equal(cut, Fake.ThreadName(id));
        var sent = Fake.Requests[^2].Json!;
        Assert.Equal((cut, false), (sent["name"]!.GetValue<string>(), sent["archived"]!.GetValue<bool>()));
        // And archived again, so that a rename does not bring an old thread back to the channel's list.
        Assert.Equal("{\"archived\":true}", Fake.Requests[^1].Body);
        Assert.True(Fake.IsArchived(id));

        AssertEveryRequestConforms(6, refusedForState: 1);
    }

    [Fact]
    public async Task ListChannels_ReadsTheGuildsChannels_TextAndAnnouncementOnly_AndConforms()
    {
        Fake.SetGuildChannels(7, (1_100_000_000_000_000_010, 0, "leads"), (1_100_000_000_000_000_011, 2, "Lounge"),
            (1_100_000_000_000_000_012, 4, "Sales"), (1_100_000_000_000_000_013, 5, "news"));

        var channels = await Platform().ListChannelsAsync(Workspace, default);

        Assert.Equal([new ChatChannel("1100000000000000010", "#leads"), new ChatChannel("1100000000000000013", "#news")], channels);
        AssertEveryRequestConforms(1);
    }

    [Fact]
    public async Task MissingPermissions_ReadsTheChannelTheGuildAndTheBotsRoles_AndConforms()
    {
        const ulong Bot = 1_100_000_000_000_000_080, BotRole = 1_100_000_000_000_000_081, Leads = 1_100_000_000_000_000_010;
        Fake.SetGuildChannels(7, (Leads, 0, "leads"));
        Fake.SetGuildRoles(7, ownerId: 1_100_000_000_000_000_070, (7, DiscordPermissions.Used), (BotRole, 0));
        Fake.SetMemberRoles(7, Bot, BotRole);
        Fake.SetChannelOverwrites(Leads, (7, 0, 0, DiscordPermissions.EmbedLinks | DiscordPermissions.CreatePublicThreads));
        var platform = new DiscordChatPlatform(Rest(), new DiscordGuilds(new DiscordOptions()) { BotUserId = Bot });

        Assert.Equal(["Embed Links", "Create Public Threads"], await platform.MissingPermissionsAsync(Workspace, Leads.ToString(CultureInfo.InvariantCulture), ChannelUse.Handoffs, default));
        Assert.Equal(["Create Public Threads"], await platform.MissingPermissionsAsync(Workspace, Leads.ToString(CultureInfo.InvariantCulture), ChannelUse.General, default));
        AssertEveryRequestConforms(6);

        // A channel the bot cannot see (403 Missing Access) lacks View Channel; one that cannot be read at all, or a
        // workspace that is not a guild's, cannot be told.
        Fake.HideChannel(Leads);
        Assert.Equal(["View Channel"], await platform.MissingPermissionsAsync(Workspace, Leads.ToString(CultureInfo.InvariantCulture), ChannelUse.General, default));
        Assert.Null(await platform.MissingPermissionsAsync(Workspace, "1100000000000000099", ChannelUse.Handoffs, default));
        Assert.Null(await platform.MissingPermissionsAsync("local", Leads.ToString(CultureInfo.InvariantCulture), ChannelUse.Handoffs, default));
        Assert.Null(await Platform().MissingPermissionsAsync(Workspace, Leads.ToString(CultureInfo.InvariantCulture), ChannelUse.Handoffs, default));
    }

    [Fact]
    public async Task ListChannels_WhenTheGuildCannotBeRead_IsNull_SoAnIdIsTakenAsGiven()
    {
        // The fake knows no channels of guild 7: 404 Unknown Guild, as for a guild the bot is not in.
        Assert.Null(await Platform().ListChannelsAsync(Workspace, default));
        Assert.Null(await Platform().ListChannelsAsync("local", default));
    }

    [Fact]
    public async Task EditMessage_WithABodyThatWasPosted_SendsNoCreateOnlyFields()
    {
        var client = Rest();
        var body = DiscordCards.ToBody(new OutgoingMessage("hello")) with { Nonce = "lead-1", EnforceNonce = true };
        var posted = await client.CreateMessageAsync(1_100_000_000_000_000_010, body);

        await client.EditMessageAsync(posted.ChannelId, posted.Id, body with { Content = "edited" });

        AssertEveryRequestConforms(2);
    }

    [Fact]
    public async Task ThreadDmAndReaction_Conform()
    {
        var platform = Platform();
        var posted = await platform.PostAsync(Channel(), new OutgoingMessage("root"), "root", default);
        var messageId = ulong.Parse(posted.MessageId, CultureInfo.InvariantCulture);

        await platform.OpenThreadAsync(posted, Long("Lead: Ada Lovelace · ", 300), default);
        foreach (var minutes in new[] { 60, 1440, 4320, 10080 })
        {
            // A message has at most one thread (Discord answers 160004 to a second one), so each length gets its own message.
            var root = await platform.PostAsync(Channel(), new OutgoingMessage($"root {minutes}"), $"root-{minutes}", default);
            await Rest().StartThreadFromMessageAsync(1_100_000_000_000_000_010, ulong.Parse(root.MessageId, CultureInfo.InvariantCulture), "t", minutes);
        }
        await platform.OpenDirectAsync(Workspace, "110000000000000001", default); // 18 digits: the fake answers with "9" + the id, which must fit a snowflake.
        await platform.AddReactionAsync(posted, "🔥", default);
        await platform.AddReactionAsync(posted, "<:teambot:1100000000000000099>", default);
        await Rest().GetReactionsAsync(1_100_000_000_000_000_010, messageId, new DiscordEmoji("🔥"));
        await Rest().GetGatewayBotAsync();

        AssertEveryRequestConforms(15);
    }

    [Fact]
    public async Task BulkOverwrite_TheWholeCommandCatalog_Conforms()
    {
        await Rest().BulkOverwriteGuildCommandsAsync(ApplicationId, 1_100_000_000_000_000_008, DiscordCommands.Registration());

        AssertEveryRequestConforms(1);
    }

    [Fact]
    public async Task InteractionCallbacks_RepliesAndDefers_Conform()
    {
        var client = Rest();
        var card = new OutgoingMessage(Long("Done ", 2500), WorstCaseCard(actions: 4, choices: 5), ManyNotified(3));

        await client.RespondToInteractionAsync(99, Token, DiscordReplies.ToCallback(ChatReply.Public("Claimed.")));
        await client.RespondToInteractionAsync(99, Token, DiscordReplies.ToCallback(ChatReply.Private("Only you see this.")));
        await client.RespondToInteractionAsync(99, Token, DiscordReplies.ToCallback(new ChatReply(card, ReplyVisibility.Private)));
        await client.RespondToInteractionAsync(99, Token, DiscordReplies.ToCallback(ChatReply.PublicCard(WorstCaseCard(actions: 30, choices: 0))));
        await client.RespondToInteractionAsync(99, Token, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource));
        await client.RespondToInteractionAsync(99, Token, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new DiscordMessageBody { Flags = DiscordReplies.EphemeralFlag }));
        await client.RespondToInteractionAsync(99, Token, new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage));
        await client.RespondToInteractionAsync(99, Token, new InteractionResponse(InteractionCallbackType.UpdateMessage, DiscordCards.ToBody(card)));
        await client.RespondToInteractionAsync(99, Token, new InteractionResponse(InteractionCallbackType.Pong));

        AssertEveryRequestConforms(9);
    }

    [Fact]
    public async Task InteractionCallbacks_EveryTypeTheClientOffers_ConformsWithoutData()
    {
        var client = Rest();
        var types = Enum.GetValues<InteractionCallbackType>();

        foreach (var type in types) await client.RespondToInteractionAsync(99, Token, new InteractionResponse(type));

        AssertEveryRequestConforms(types.Length);
    }

    [Fact]
    public async Task ModalsAndSuggestions_Conform()
    {
        var client = Rest();
        foreach (var (customId, value) in new[] { ("outcome", "won!Amount won (e.g. 12000)"), ("note|v+Why was it lost?", (string?)null) })
        {
            var control = DiscordCards.ParseCustomId(customId, value)!;
            await client.RespondWithModalAsync(99, Token, DiscordModals.For(customId, value, control)!);
        }
        await client.RespondWithChoicesAsync(99, Token, [.. Enumerable.Range(1, 30).Select(i => new ApplicationCommandChoice(Long($"#{i} Ada Lovelace · ", 100), i.ToString(CultureInfo.InvariantCulture)))]);
        await client.RespondWithChoicesAsync(99, Token, []);

        AssertEveryRequestConforms(4);
    }

    [Fact]
    public async Task OriginalEditAndFollowup_Conform()
    {
        var client = Rest();
        var worst = DiscordCards.ToBody(new OutgoingMessage(Long("Result ", 2500), WorstCaseCard(actions: 4, choices: 5), ManyNotified(20)));

        await client.EditOriginalResponseAsync(ApplicationId, Token, DiscordCards.ToBody(new OutgoingMessage("Done.")));
        await client.EditOriginalResponseAsync(ApplicationId, Token, worst);
        await client.CreateFollowupAsync(ApplicationId, Token, worst with { Flags = DiscordReplies.EphemeralFlag });
        await client.CreateFollowupAsync(ApplicationId, Token, DiscordCards.ToBody(new OutgoingMessage(Card: WorstCaseCard(actions: 30, choices: 0))));

        AssertEveryRequestConforms(4);
    }

    // ---- helpers ----

    /// <summary>Every request conforms, and the fake took all of them but <paramref name="refusedForState"/> (400s the test expects, such as an edit in an archived thread).</summary>
    private void AssertEveryRequestConforms(int expected, int refusedForState = 0)
    {
        var requests = Fake.Requests;
        Assert.Equal(expected, requests.Count);
        Assert.Equal(refusedForState, requests.Count(r => r.Status == 400));
        Assert.All(requests.Where(r => r.Status != 400), r => Assert.True(r.Status is 200 or 204, $"{r.Method} {r.Path} got {r.Status}: the fake refused it."));
        var failures = requests
            .SelectMany(r => Spec.ValidateRequest(r.Method, r.Path, r.Query, r.Body, strict: true).Select(e => $"{r.Method} {r.Path} {e}\n  body: {r.Body}"))
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static IReadOnlyList<SchemaError> Followup(JsonObject body) =>
        Spec.ValidateRequest("POST", $"/webhooks/{ApplicationId}/{Token}", null, body.ToJsonString());

    private static string Long(string unit, int length)
    {
        var text = string.Concat(Enumerable.Repeat(unit, (length / unit.Length) + 1));
        return text[..length];
    }

    private static List<Mention> ManyNotified(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new Mention((1_100_000_000_000_000_000UL + (ulong)i).ToString(CultureInfo.InvariantCulture), $"User {i}"))];

    /// <summary>Every text far over its limit, full of markdown and mention-looking text; more controls than fit.</summary>
    private static ChatCard WorstCaseCard(int actions, int choices) => new()
    {
        Title = Long("Title @everyone **bold** ", 400),
        Subtitle = Long("Subtitle <@&1> ", 400),
        Text = Long("Description [link](https://x.example) ", 5000),
        Url = "https://crm.example/" + new string('a', 512 - "https://crm.example/".Length),
        UrlLabel = Long("Open in the CRM ", 120),
        Footer = Long("Footer `code` ", 3000),
        Color = CardColor.Danger,
        Fields = [.. Enumerable.Range(0, 30).Select(i => new CardField(Long($"Name {i} _x_ ", 300), Long($"Value {i} ~~y~~ ", 1200), i % 2 == 0))],
        Actions = [.. Enumerable.Range(0, actions).Select(i => new CardAction($"act|{i}+~%", Long("🔥 Label ", 100), (ActionStyle)(i % 4), Long($"value {i} ", 40), i % 3 == 0 ? new CardInput("Why?", true) : null))],
        Choices = [.. Enumerable.Range(0, choices).Select(c => new CardChoice($"choice-{c}", Long("Pick one… ", 200),
            [.. Enumerable.Range(0, 30).Select(o => new ChoiceOption(Long($"Option {o} ", 150), $"value-{o}", Long("Description ", 150), o == 0 ? new CardInput("Amount", true) : null))]))],
    };
}
