using System.Text.Json.Nodes;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;
using TeamBot.Testing.Discord;

namespace TeamBot.Chat.Discord.Tests;

/// <summary>The Discord chat platform against the loopback Discord REST fake: what reaches the wire, and how failures come back.</summary>
public sealed class DiscordChatPlatformTests : LoopbackRestTests
{
    private const string Workspace = "discord-7";

    private DiscordChatPlatform Platform(int maxRetries = 4) => new(Client(settings: new DiscordRestSettings { MaxRetries = maxRetries }));

    private static PlaceRef Channel(string id = "10") => new(DiscordChatPlatform.Platform, Workspace, id);

    private JsonNode LastBody() => Fake.Requests[^1].Json!;

    [Fact]
    public async Task Post_HandoffCard_SendsAValidEmbedWithButtonsAndASelect()
    {
        var posted = await Platform().PostAsync(Channel(), new OutgoingMessage(Card: DiscordCardsTests.HandoffLike()), "lead-1", default);

        var request = Fake.Requests.Single();
        Assert.Equal(("POST", "/api/v10/channels/10/messages", 200), (request.Method, request.Path, request.Status));
        var body = request.Json!;
        Assert.Equal("Ada Lovelace · Analytical Engines", body["embeds"]![0]!["title"]!.GetValue<string>());
        var rows = body["components"]!.AsArray();
        Assert.Equal([2, 2, 3], rows.Select(r => r!["components"]![0]!["type"]!.GetValue<int>()));
        Assert.Equal("rate|5", rows[0]!["components"]![1]!["custom_id"]!.GetValue<string>());
        Assert.Equal(new MessageRef("discord", Workspace, "10", Fake.Messages.Single()["id"]!.GetValue<string>()), posted);
    }

    [Fact]
    public async Task Post_DataWithEveryone_PingsNobody()
    {
        var card = new ChatCard { Title = "@everyone", Text = "**@here** <@1>" };

        await Platform().PostAsync(Channel(), new OutgoingMessage("@everyone look", card), "k", default);

        var mentions = LastBody()["allowed_mentions"]!;
        Assert.Equal("""{"parse":[]}""", mentions.ToJsonString());
        Assert.Equal(@"\@everyone look", LastBody()["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_WithNotify_PingsExactlyTheNotifiedUsers()
    {
        await Platform().PostAsync(Channel(), new OutgoingMessage("Your lead @everyone", Notify: [new Mention("501", "Ada"), new Mention("502", "Bob")]), "k", default);

        Assert.Equal("""{"parse":[],"users":["501","502"]}""", LastBody()["allowed_mentions"]!.ToJsonString());
        Assert.StartsWith("<@501> <@502> ", LastBody()["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_RetriedWithTheSameIdempotencyKey_YieldsOneMessage()
    {
        var platform = Platform();
        var key = "outbox:lead-42:handoff-post:workspace-discord-7";

        var first = await platform.PostAsync(Channel(), new OutgoingMessage("hi"), key, default);
        var again = await platform.PostAsync(Channel(), new OutgoingMessage("hi"), key, default);

        Assert.Equal(first, again);
        Assert.Single(Fake.Messages);
        Assert.All(Fake.Requests, r =>
        {
            Assert.Equal(DiscordChatPlatform.Nonce(key), r.Json!["nonce"]!.GetValue<string>());
            Assert.True(r.Json["enforce_nonce"]!.GetValue<bool>());
        });
        Assert.Equal(25, DiscordChatPlatform.Nonce(key).Length);
    }

    [Fact]
    public async Task Update_Thread_Direct_Reaction_HitTheirRoutes()
    {
        var platform = Platform();
        var root = await platform.PostAsync(Channel(), new OutgoingMessage("root"), "k", default);

        await platform.UpdateAsync(root, new OutgoingMessage("edited @everyone"), default);
        var thread = await platform.OpenThreadAsync(root, new string('n', 150), default);
        var dm = await platform.OpenDirectAsync(Workspace, "77", default);
        await platform.AddReactionAsync(root, "🔥", default);
        await platform.AddReactionAsync(root, "<:teambot:123>", default);

        var id = root.MessageId;
        Assert.Equal(
        [
            $"POST /api/v10/channels/10/messages",
            $"PATCH /api/v10/channels/10/messages/{id}",
            $"POST /api/v10/channels/10/messages/{id}/threads",
            "POST /api/v10/users/@me/channels",
            $"PUT /api/v10/channels/10/messages/{id}/reactions/%F0%9F%94%A5/@me",
            $"PUT /api/v10/channels/10/messages/{id}/reactions/teambot:123/@me",
        ], Fake.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.All(Fake.Requests, r => Assert.True(r.Status is 200 or 204, $"{r.Method} {r.Path} got {r.Status}"));
        Assert.Equal("""{"parse":[]}""", Fake.Requests[1].Json!["allowed_mentions"]!.ToJsonString());
        Assert.Equal(100, Fake.Requests[2].Json!["name"]!.GetValue<string>().Length);
        Assert.Equal("77", Fake.Requests[3].Json!["recipient_id"]!.GetValue<string>());
        Assert.Equal(new PlaceRef("discord", Workspace, "977"), dm);
        Assert.Equal(Workspace, thread.Workspace);
        Assert.Equal(["@me"], Fake.ReactionsOn(10, ulong.Parse(id, System.Globalization.CultureInfo.InvariantCulture), "🔥"));
    }

    /// <summary>A handoff, its thread with a note of TeamBot's in it, and Discord having archived the thread since.</summary>
    private async Task<(DiscordChatPlatform Platform, PlaceRef Thread, MessageRef Note)> NoteInAnArchivedThreadAsync()
    {
        var platform = Platform();
        var root = await platform.PostAsync(Channel(), new OutgoingMessage("root"), "k", default);
        var thread = await platform.OpenThreadAsync(root, "Lead #7: Ada Lovelace", default);
        var note = await platform.PostAsync(thread, new OutgoingMessage("Ada asked for a call"), "note", default);
        Fake.ArchiveThread(ulong.Parse(thread.Id, System.Globalization.CultureInfo.InvariantCulture));
        return (platform, thread, note);
    }

    [Fact]
    public async Task Update_InAThreadDiscordArchived_UnarchivesTheThread_Edits_AndArchivesItAgain()
    {
        var (platform, thread, note) = await NoteInAnArchivedThreadAsync();
        var threadId = ulong.Parse(thread.Id, System.Globalization.CultureInfo.InvariantCulture);

        await platform.UpdateAsync(note, new OutgoingMessage("(Removed: this lead's personal data was erased.)"), default);

        var calls = Fake.Requests.Skip(3).Select(r => $"{r.Method} {r.Path} {r.Status}").ToList();
        Assert.Equal(
        [
            $"PATCH /api/v10/channels/{thread.Id}/messages/{note.MessageId} 400",
            $"PATCH /api/v10/channels/{thread.Id} 200",
            $"PATCH /api/v10/channels/{thread.Id}/messages/{note.MessageId} 200",
            $"PATCH /api/v10/channels/{thread.Id} 200",
        ], calls);
        Assert.Equal("{\"archived\":false}", Fake.Requests[4].Body);
        Assert.Contains("personal data was erased", Fake.Requests[5].Json!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        // An edit does not bring an old thread back to the channel's list.
        Assert.Equal("{\"archived\":true}", Fake.Requests[6].Body);
        Assert.True(Fake.IsArchived(threadId));
    }

    [Fact]
    public async Task Update_InAnArchivedThread_WhereArchivingAgainIsRefused_IsStillDone()
    {
        var (platform, thread, note) = await NoteInAnArchivedThreadAsync();
        Fake.Script(r => r.Method == "PATCH" && r.Path == $"/api/v10/channels/{thread.Id}" && r.Body.Contains("true", StringComparison.Ordinal),
            new ScriptedResponse(403, "{\"message\":\"Missing Permissions\",\"code\":50013}"));

        await platform.UpdateAsync(note, new OutgoingMessage("(Removed)"), default);

        Assert.Equal(403, Fake.Requests[^1].Status);
        Assert.Equal(200, Fake.Requests[^2].Status);
        Assert.False(Fake.IsArchived(ulong.Parse(thread.Id, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Update_InAnArchivedThreadThatIsLocked_SaysWhatItNeeds()
    {
        var (platform, thread, note) = await NoteInAnArchivedThreadAsync();
        Fake.Script(r => r.Method == "PATCH" && r.Path == $"/api/v10/channels/{thread.Id}", new ScriptedResponse(403, "{\"message\":\"Missing Permissions\",\"code\":50013}"));

        var error = await Assert.ThrowsAsync<ChatPlatformException>(() => platform.UpdateAsync(note, new OutgoingMessage("(Removed)"), default));

        Assert.False(error.Transient);
        Assert.Contains("is locked", error.Message, StringComparison.Ordinal);
        Assert.Contains("Manage Threads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_RefusedForAnotherReason_DoesNotTouchTheThread()
    {
        var platform = Platform();
        var root = await platform.PostAsync(Channel(), new OutgoingMessage("root"), "k", default);
        Fake.Script(r => r.Method == "PATCH", new ScriptedResponse(403, "{\"message\":\"Missing Access\",\"code\":50001}"));

        await Assert.ThrowsAsync<ChatPlatformException>(() => platform.UpdateAsync(root, new OutgoingMessage("edited"), default));

        Assert.Equal(["POST", "PATCH"], Fake.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Update_ToACardWithoutControls_ClearsTheOldButtonsAndText()
    {
        var platform = Platform();
        var root = await platform.PostAsync(Channel(), new OutgoingMessage("old text", DiscordCardsTests.HandoffLike()), "k", default);

        await platform.UpdateAsync(root, new OutgoingMessage(Card: new ChatCard { Title = "Closed" }), default);

        var edit = LastBody();
        Assert.Equal("", edit["content"]!.GetValue<string>());
        Assert.Empty(edit["components"]!.AsArray());
        Assert.Equal("Closed", edit["embeds"]![0]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenThread_Twice_ReturnsTheThreadDiscordAlreadyMade()
    {
        var platform = Platform();
        var root = await platform.PostAsync(Channel(), new OutgoingMessage("root"), "k", default);
        Fake.Script(r => r.Path.EndsWith("/threads", StringComparison.Ordinal),
            new ScriptedResponse(400, """{"message":"A thread has already been created for this message","code":160004}"""));

        var thread = await platform.OpenThreadAsync(root, "Lead #1", default);

        Assert.Equal(root.MessageId, thread.Id);
    }

    [Fact]
    public async Task Post_Forbidden_IsPermanentAndNamesTheChannelAndPermission()
    {
        Fake.Script(r => r.Method == "POST", new ScriptedResponse(403, """{"message":"Missing Permissions","code":50013}"""));

        var ex = await Assert.ThrowsAsync<ChatPlatformException>(() => Platform().PostAsync(Channel("10"), new OutgoingMessage("hi"), "k", default));

        Assert.False(ex.Transient);
        Assert.Contains("10", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Send Messages", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_RateLimitedBeyondRetries_IsTransientWithRetryAfter()
    {
        Fake.Script(r => r.Method == "POST", FakeDiscordRest.RateLimited(2.5));

        var ex = await Assert.ThrowsAsync<ChatPlatformException>(() => Platform(maxRetries: 0).PostAsync(Channel(), new OutgoingMessage("hi"), "k", default));

        Assert.True(ex.Transient);
        Assert.Equal(TimeSpan.FromSeconds(2.5), ex.RetryAfter);
    }

    [Fact]
    public async Task Post_BadGateway_IsTransient()
    {
        Fake.Script(r => r.Method == "POST", new ScriptedResponse(502, """{"message":"Bad Gateway"}"""));

        var ex = await Assert.ThrowsAsync<ChatPlatformException>(() => Platform(maxRetries: 0).PostAsync(Channel(), new OutgoingMessage("hi"), "k", default));

        Assert.True(ex.Transient);
    }

    [Fact]
    public async Task Update_UnknownMessage_IsPermanent()
    {
        Fake.Script(r => r.Method == "PATCH", new ScriptedResponse(404, """{"message":"Unknown Message","code":10008}"""));

        var ex = await Assert.ThrowsAsync<ChatPlatformException>(() =>
            Platform().UpdateAsync(new MessageRef("discord", Workspace, "10", "99"), new OutgoingMessage("x"), default));

        Assert.False(ex.Transient);
        Assert.Contains("no longer exists", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ToAPlaceThatIsNotADiscordId_FailsPermanentlyWithoutACall()
    {
        var ex = await Assert.ThrowsAsync<ChatPlatformException>(() => Platform().PostAsync(Channel("general"), new OutgoingMessage("hi"), "k", default));

        Assert.False(ex.Transient);
        Assert.Empty(Fake.Requests);
    }

    [Fact]
    public void Pace_IsFiveMessagesPerFiveSecondsPerChannel() =>
        Assert.Equal(new PostingPace(5, TimeSpan.FromSeconds(5)), Platform().PaceFor(Channel()));
}
