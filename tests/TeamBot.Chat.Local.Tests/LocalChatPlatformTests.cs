using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;
using TeamBot.Testing;

namespace TeamBot.Chat.Local.Tests;

/// <summary>The local chat as a platform: what TeamBot posts there, and how it behaves like a real one.</summary>
public sealed class LocalChatPlatformTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("teambot-localchat-").FullName;
    private readonly LocalChatStore _store;
    private readonly LocalChatEvents _events = new();
    private readonly LocalChatPlatform _platform;

    public LocalChatPlatformTests()
    {
        _store = new LocalChatStore(Path.Combine(_directory, "localchat.db"));
        var options = new LocalChatOptions
        {
            People = [new LocalPerson { Id = "sam", Name = "Sam Carter", Roles = ["sales"] }],
            PostsPerSecond = 5,
        };
        // The platform only needs the inbox for the bot's own reactions; an empty container is enough to build it.
        var scopes = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();
        _platform = new LocalChatPlatform(_store, _events, new LocalChatDirectory(options), scopes, new ManualClock());
    }

    private static PlaceRef Place(string id) => new("local", "local", id);

    [Fact]
    public async Task Post_WithAKeyAlreadyUsed_ReturnsTheFirstMessage_AndShowsItOnce()
    {
        using var subscription = _events.Subscribe();
        var first = await _platform.PostAsync(Place("handoffs"), new OutgoingMessage("hello"), "handoff-1", CancellationToken.None);
        var again = await _platform.PostAsync(Place("handoffs"), new OutgoingMessage("hello again"), "handoff-1", CancellationToken.None);

        Assert.Equal(first, again);
        var message = Assert.Single(_store.ListChannel("handoffs", 10));
        Assert.Equal("hello", message.Text);
        Assert.True(subscription.Reader.TryRead(out var created));
        Assert.Equal("message.created", created.Type);
        Assert.False(subscription.Reader.TryRead(out _), "a repeated post is not announced again");
    }

    [Fact]
    public async Task Threads_AreRepliesUnderTheRoot_AndOpeningTwiceGivesTheSameThread()
    {
        var root = await _platform.PostAsync(Place("handoffs"), new OutgoingMessage("root"), "k1", CancellationToken.None);
        var thread = await _platform.OpenThreadAsync(root, "Lead #1", CancellationToken.None);
        Assert.Equal(thread, await _platform.OpenThreadAsync(root, "Lead #1", CancellationToken.None));

        await _platform.PostAsync(thread, new OutgoingMessage("reply", Notify: [new Mention("sam", "Sam Carter")]), "k2", CancellationToken.None);

        var messages = _store.ListChannel("handoffs", 10);
        Assert.Equal(2, messages.Count);
        Assert.Equal(long.Parse(root.MessageId, System.Globalization.CultureInfo.InvariantCulture), messages[1].ThreadOf);
        Assert.Contains("Sam Carter", messages[1].NotifyJson);
    }

    [Fact]
    public async Task Post_ToAPlaceThatDoesNotExist_IsRefusedForGood()
    {
        var error = await Assert.ThrowsAsync<ChatPlatformException>(() =>
            _platform.PostAsync(Place("nowhere"), new OutgoingMessage("x"), "k", CancellationToken.None));

        Assert.False(error.Transient);
    }

    [Fact]
    public async Task DirectMessages_GoToThePersonsChannel()
    {
        var place = await _platform.OpenDirectAsync("local", "sam", CancellationToken.None);
        await _platform.PostAsync(place, new OutgoingMessage("psst"), "k", CancellationToken.None);

        Assert.Equal("@sam", place.Id);
        Assert.Equal("psst", Assert.Single(_store.ListChannel("@sam", 10)).Text);
    }

    [Fact]
    public async Task Controls_ShownOnceStayClickable_AfterTheCardChanges()
    {
        var card = new ChatCard
        {
            Title = "Lead",
            Actions = [new CardAction("claim", "Claim"), new CardAction("rate", "Great", Value: "5")],
            Choices = [new CardChoice("outcome", "Outcome", [new ChoiceOption("Won", "won", Input: new CardInput("Amount", true))])],
        };
        var posted = await _platform.PostAsync(Place("handoffs"), new OutgoingMessage(Card: card), "k", CancellationToken.None);
        await _platform.UpdateAsync(posted, new OutgoingMessage(Card: card with { Actions = [] }), CancellationToken.None);
        var id = long.Parse(posted.MessageId, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(_store.HasControl(id, LocalChatPlatform.Control("claim", null, takesInput: false)));
        Assert.True(_store.HasControl(id, LocalChatPlatform.Control("rate", "5", takesInput: false)));
        Assert.True(_store.HasControl(id, LocalChatPlatform.Control("outcome", "won", takesInput: true)));
        Assert.False(_store.HasControl(id, LocalChatPlatform.Control("rate", "6", takesInput: false)));
        Assert.NotNull(_store.Get(id)!.EditedAt);
    }

    [Fact]
    public void Reactions_AreOnePerPersonAndEmoji_AndCanBeRemoved()
    {
        var (message, _) = _store.Insert(new LocalMessage(0, "general", null, "sam", "Sam", false, "hi", null, null, null, DateTimeOffset.UnixEpoch, null), null);

        Assert.True(_store.AddReaction(message.Id, "🔥", "sam", "Sam", DateTimeOffset.UnixEpoch));
        Assert.False(_store.AddReaction(message.Id, "🔥", "sam", "Sam", DateTimeOffset.UnixEpoch));
        Assert.Single(_store.ReactionsFor([message.Id]));
        Assert.True(_store.RemoveReaction(message.Id, "🔥", "sam"));
        Assert.False(_store.RemoveReaction(message.Id, "🔥", "sam"));
        Assert.Empty(_store.ReactionsFor([message.Id]));
    }

    [Fact]
    public void Pace_ComesFromTheOptions()
    {
        Assert.Equal(new PostingPace(5, TimeSpan.FromSeconds(1)), _platform.PaceFor(Place("handoffs")));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
