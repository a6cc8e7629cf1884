using TeamBot.Core.Commands;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Chat;

/// <summary>
/// The inbound half of the chat seam. Adapters hand every neutral event here and show the reply the way their
/// platform does (publicly, or only to the person who acted).
/// </summary>
public sealed class ChatInbox(
    IWorkspaceStore workspaces,
    IPeopleStore people,
    IPostedMessageStore postedMessages,
    ILeadStore leads,
    FeedbackService feedback,
    CommandRouter commands,
    ReactionMap reactions,
    IEnumerable<IConversationHandler> conversations,
    IWorkspaceSettings settings,
    IUnitOfWork unitOfWork)
{
    /// <summary>
    /// Whether the event may share a transaction with others (<see cref="HandleTogetherAsync"/>): reactions that mean
    /// nothing, or give or take back a rating that asks for no reason. A claim or a release changes SLA timers, which are
    /// kept outside TeamBot's transaction; a poor rating also asks its rater in the lead's thread.
    /// </summary>
    public bool CanShareCommit(ChatEvent chatEvent) => chatEvent is ReactionChanged r && reactions.Lookup(r.Emoji) switch
    {
        null => true,
        ReactionMeaning.Rate rate => !Ratings.NeedsReason(rate.Rating),
        _ => false,
    };

    /// <summary>
    /// Handles the events in order in one transaction, so that they pay for one commit (group commit), and returns each
    /// one's reply. Nothing is kept when one fails: the caller handles them again one by one.
    /// </summary>
    public async Task<IReadOnlyList<ChatReply?>> HandleTogetherAsync(IReadOnlyList<ChatEvent> events, CancellationToken cancellationToken)
    {
        var replies = await unitOfWork.InTransactionAsync<IReadOnlyList<ChatReply?>>(async ct =>
        {
            _shared = new SharedLookups();
            try
            {
                // The leads of the cards reacted on, read together rather than one event at a time.
                var cards = events.OfType<ReactionChanged>().Where(r => !r.User.IsBot && reactions.Lookup(r.Emoji) is not null).Select(r => r.Message).Distinct().ToList();
                foreach (var (message, lead) in await feedback.FindHandoffLeadsAsync(cards, ct)) _shared.Leads[message] = lead;
                return await feedback.RefreshingCardsOnceAsync<IReadOnlyList<ChatReply?>>(async () =>
                {
                    var each = new List<ChatReply?>(events.Count);
                    foreach (var chatEvent in events) each.Add(await HandleAsync(chatEvent, ct));
                    return each;
                }, ct);
            }
            finally
            {
                _shared = null;
            }
        }, cancellationToken);
        // What the events queued was signalled to the outbox after this commit (IUnitOfWork.AfterCommit).
        return replies;
    }

    public async Task<ChatReply?> HandleAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        // The bot's own reactions, messages and clicks never count.
        if (chatEvent.User.IsBot) return null;

        var workspace = await SharedAsync(s => s.Workspaces, chatEvent.Place.Workspace, () => workspaces.FindAsync(chatEvent.Place.Workspace, cancellationToken));
        if (workspace is null || workspace.Platform != chatEvent.Place.Platform)
        {
            return ChatReply.Private("TeamBot is not set up in this workspace yet; ask an admin to connect it.");
        }
        var person = await SharedAsync(s => s.People, (workspace.Id, chatEvent.User),
            () => people.ResolveAsync(workspace.Id, chatEvent.User, settings.Calendar(workspace.Id).DefaultAvailability(workspace.TimeZoneId), cancellationToken));

        return chatEvent switch
        {
            CommandInvoked c => await commands.HandleAsync(new CommandContext(workspace, person, c.Place, c.Command), cancellationToken),
            ReactionChanged r => await OnReactionAsync(r, person, cancellationToken),
            CardActionInvoked a => await OnActionAsync(a, person, cancellationToken),
            ThreadMessagePosted t => await OnThreadMessageAsync(workspace, t, person, cancellationToken),
            DirectMessagePosted d => await OnConversationAsync(new ConversationMessage(workspace, person, d.Place, d.MessageId, d.Text, null, false), cancellationToken) is { } handled
                ? handled.Reply
                : ChatReply.Private("I take commands here: try /help."),
            MessageEdited e => await OnEditedAsync(workspace, e, person, cancellationToken),
            _ => null,
        };
    }

    private async Task<ChatReply?> OnReactionAsync(ReactionChanged reaction, Person person, CancellationToken cancellationToken)
    {
        var meaning = reactions.Lookup(reaction.Emoji);
        if (meaning is null) return null;
        var lead = await HandoffLeadAsync(reaction.Message, cancellationToken);
        if (lead is null) return null;

        return (meaning, reaction.Added) switch
        {
            (ReactionMeaning.Claim, true) => await feedback.ClaimAsync(lead, person, FeedbackSource.Reaction, cancellationToken),
            (ReactionMeaning.Claim, false) => await feedback.ReleaseAsync(lead, person, FeedbackSource.Reaction, cancellationToken),
            (ReactionMeaning.Rate rate, true) => await feedback.RateAsync(lead, person, rate.Rating, FeedbackSource.Reaction, ReactionMap.Normalize(reaction.Emoji), cancellationToken),
            (ReactionMeaning.Rate, false) => await feedback.RetractAsync(lead, person, ReactionMap.Normalize(reaction.Emoji), cancellationToken),
            _ => null,
        };
    }

    private async Task<ChatReply?> OnActionAsync(CardActionInvoked action, Person person, CancellationToken cancellationToken)
    {
        var posted = await FindPostedAsync(action.Message, cancellationToken);
        if (posted?.LeadId is not { } leadId) return ChatReply.Private("This message is not linked to a lead any more.");
        var lead = await leads.GetAsync(leadId, cancellationToken);
        if (lead is null) return ChatReply.Private("This lead no longer exists.");

        var (choice, input) = SplitValue(action.Value);
        return (posted.Kind, action.ActionId) switch
        {
            (PostedKind.Handoff, HandoffCards.ClaimAction) => await feedback.ClaimAsync(lead, person, FeedbackSource.Button, cancellationToken),
            (PostedKind.Handoff, HandoffCards.RateAction) => Ratings.TryParse(choice ?? "", out var rating)
                ? await feedback.RateAsync(lead, person, rating, FeedbackSource.Button, null, cancellationToken)
                : ChatReply.Private("That rating is not one TeamBot knows."),
            (PostedKind.Handoff, HandoffCards.OutcomeAction) => await OutcomeAsync(lead, person, choice, input, cancellationToken),
            (PostedKind.ReasonPrompt, HandoffCards.ReasonAction) => posted.PersonId is { } asked && asked != person.Id && person.Is(TeamRoles.Sales)
                ? ChatReply.Private($"This question is for someone else. To give your own reason, use /leads reason lead:{lead.Id} reason:<code>.")
                : await feedback.GiveReasonAsync(lead, person, choice ?? "", input, cancellationToken),
            _ => ChatReply.Private("That control is not one TeamBot knows."),
        };
    }

    private Task<ChatReply> OutcomeAsync(Lead lead, Person person, string? outcome, string? input, CancellationToken cancellationToken)
    {
        var lost = FeedbackService.TryParseStage(outcome ?? "", out var stage) && stage == LeadStage.Lost;
        return feedback.RecordOutcomeAsync(lead, person, outcome ?? "", lost ? null : input, lost ? input : null, cancellationToken);
    }

    private async Task<ChatReply?> OnThreadMessageAsync(Workspace workspace, ThreadMessagePosted message, Person person, CancellationToken cancellationToken)
    {
        var lead = await leads.FindByThreadAsync(message.Thread, cancellationToken);
        if (lead is not null)
        {
            await feedback.CommentAsync(lead, person, message, cancellationToken);
            return null;
        }
        var note = await postedMessages.FindByThreadAsync(message.Thread, cancellationToken);
        return note is null ? null : (await OnConversationAsync(new ConversationMessage(workspace, person, message.Thread, message.MessageId, message.Text, note, false), cancellationToken))?.Reply;
    }

    private async Task<ChatReply?> OnEditedAsync(Workspace workspace, MessageEdited message, Person person, CancellationToken cancellationToken)
    {
        // Edits of comments on a lead are not tracked: the comment keeps what was first said.
        if (await leads.FindByThreadAsync(message.Place, cancellationToken) is not null) return null;
        var note = await postedMessages.FindByThreadAsync(message.Place, cancellationToken);
        return (await OnConversationAsync(new ConversationMessage(workspace, person, message.Place, message.MessageId, message.Text, note, true), cancellationToken))?.Reply;
    }

    /// <summary>The first feature that takes the message answers it; null when none took it.</summary>
    private async Task<ConversationHandled?> OnConversationAsync(ConversationMessage message, CancellationToken cancellationToken)
    {
        foreach (var handler in conversations)
        {
            if (await handler.HandleAsync(message, cancellationToken) is { } handled) return handled;
        }
        return null;
    }

    /// <summary>
    /// A card is visible a moment before TeamBot has written down what it posted: a click in that moment looks
    /// again briefly before concluding the message is not linked. (Only clicks: controls exist only on TeamBot's
    /// own messages, while reactions on everyone else's messages must not wait.)
    /// </summary>
    private async Task<PostedMessage?> FindPostedAsync(MessageRef message, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var posted = await postedMessages.FindAsync(message, cancellationToken);
            if (posted is not null || attempt == 4) return posted;
            await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken);
        }
    }

    private Task<Lead?> HandoffLeadAsync(MessageRef message, CancellationToken cancellationToken) => SharedAsync(s => s.Leads, message, async () =>
    {
        var posted = await postedMessages.FindAsync(message, cancellationToken);
        return posted is { Kind: PostedKind.Handoff, LeadId: { } id } ? await leads.GetAsync(id, cancellationToken) : null;
    });

    /// <summary>
    /// What the events of one <see cref="HandleTogetherAsync"/> looked up, read once for all of them. Only events that change
    /// no workspace, person or lead share a transaction (<see cref="CanShareCommit"/>), so each stays true until it ends.
    /// </summary>
    private sealed class SharedLookups
    {
        public Dictionary<string, Workspace?> Workspaces { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string Workspace, ChatUser User), Person> People { get; } = [];

        public Dictionary<MessageRef, Lead?> Leads { get; } = [];
    }

    private SharedLookups? _shared;

    /// <summary>Reads through <paramref name="read"/>, once per key while events are handled together; every time otherwise.</summary>
    private async Task<TValue> SharedAsync<TKey, TValue>(Func<SharedLookups, Dictionary<TKey, TValue>> lookups, TKey key, Func<Task<TValue>> read)
        where TKey : notnull
    {
        if (_shared is null) return await read();
        var known = lookups(_shared);
        if (known.TryGetValue(key, out var value)) return value;
        return known[key] = await read();
    }

    /// <summary>A card value "won:12000" is the choice "won" with the typed input "12000".</summary>
    public static (string? Choice, string? Input) SplitValue(string? value)
    {
        if (value is null) return (null, null);
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (value, null) : (value[..colon], value[(colon + 1)..]);
    }
}
