using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;

namespace TeamBot.Data.Tests;

/// <summary>Notes: the outbox messages of the rhythms (stand-ups, digests, alerts), and replies to them.</summary>
public sealed class NoteTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Note_WithThread_ThenNoteInThatThread_ArePostedInOrderUnderOneAnother(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Platform.FailWith = new ChatPlatformException("503", transient: true);
        await EnqueueAsync(world,
            new PostNote(TestWorld.WorkspaceId, NoteTarget.ToChannel("general"), "Stand-up time", [], "standup-run:1", "Stand-up, Monday", "standup-run:1"),
            new PostNote(TestWorld.WorkspaceId, NoteTarget.InThreadOf("standup-run:1"), "Summary", [], Sequence: "standup-run:1"));

        // The first note fails; the second must wait for it rather than find no thread to go into.
        await world.DispatchAsync();
        Assert.Empty(world.Platform.Posts);
        world.Platform.FailWith = null;
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await world.DispatchAsync();

        var posts = world.Platform.Posts.ToList();
        Assert.Equal(["Stand-up time", "Summary"], posts.Select(p => p.Message.Text));
        Assert.Equal("general", posts[0].Place.Id);
        Assert.Equal("thread-" + posts[0].Posted.MessageId, posts[1].Place.Id);

        var note = await world.InScopeAsync(sp => sp.GetRequiredService<IPostedMessageStore>().FindBySubjectAsync(TestWorld.WorkspaceId, "standup-run:1", CancellationToken.None));
        Assert.Equal(posts[0].Posted, note!.Message);
        Assert.Equal(PostedKind.Note, note.Kind);
        Assert.Equal(posts[1].Place.Id, note.Thread);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Note_ToPerson_GoesToTheirDirectMessages(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var sam = await world.PersonIdAsync("sam");
        await EnqueueAsync(world, new PostNote(TestWorld.WorkspaceId, NoteTarget.ToPerson(sam), "Your stand-up answers, please", []));
        await world.DispatchAsync();

        var post = Assert.Single(world.Platform.Posts);
        Assert.Equal("dm-sam", post.Place.Id);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Inbox_ReplyInNoteThread_DirectMessage_AndEdit_ReachTheConversationHandler(string provider)
    {
        var recorder = new RecordingHandler();
        await using var world = await TestWorld.CreateAsync(provider, services => services.AddSingleton<IConversationHandler>(recorder));
        await EnqueueAsync(world, new PostNote(TestWorld.WorkspaceId, NoteTarget.ToChannel("general"), "Stand-up", [], "standup-run:7", "Stand-up"));
        await world.DispatchAsync();
        var thread = world.Platform.Posts.Single().Posted.MessageId;
        var threadPlace = new PlaceRef("fake", TestWorld.WorkspaceId, "thread-" + thread);

        await world.SendAsync(new ThreadMessagePosted(threadPlace, TestWorld.User("sam"), "m1", "Shipping the webinar"));
        var direct = await world.SendAsync(new DirectMessagePosted(new PlaceRef("fake", TestWorld.WorkspaceId, "dm-ana"), TestWorld.User("ana"), "m2", "Blocked on pricing"));
        await world.SendAsync(new MessageEdited(threadPlace, TestWorld.User("sam"), "m1", "Shipping the webinar on Friday"));

        Assert.Collection(recorder.Seen,
            m => Assert.Equal(("sam", "standup-run:7", false, "Shipping the webinar"), (m.Person.PlatformUserId, m.Note?.Subject, m.Edited, m.Text)),
            m => Assert.Equal(("ana", null, false), (m.Person.PlatformUserId, m.Note?.Subject, m.Edited)),
            m => Assert.Equal(("sam", "standup-run:7", true, "m1"), (m.Person.PlatformUserId, m.Note?.Subject, m.Edited, m.MessageId)));
        Assert.Equal("noted", direct!.Message.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Inbox_DirectMessageNobodyTakes_PointsToHelp(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var reply = await world.SendAsync(new DirectMessagePosted(new PlaceRef("fake", TestWorld.WorkspaceId, "dm-ana"), TestWorld.User("ana"), "m2", "hello?"));
        Assert.Contains("/help", reply!.Message.Text);
    }

    private static Task EnqueueAsync(TestWorld world, params PostNote[] notes) =>
        world.InScopeAsync(async sp =>
        {
            foreach (var note in notes) await sp.GetRequiredService<IOutboxStore>().EnqueueAsync(TestWorld.WorkspaceId, note, world.Clock.GetUtcNow(), CancellationToken.None);
            return true;
        });

    private sealed class RecordingHandler : IConversationHandler
    {
        public List<ConversationMessage> Seen { get; } = [];

        public Task<ConversationHandled?> HandleAsync(ConversationMessage message, CancellationToken cancellationToken)
        {
            Seen.Add(message);
            return Task.FromResult<ConversationHandled?>(new ConversationHandled(message.Note is null ? ChatReply.Private("noted") : null));
        }
    }
}
