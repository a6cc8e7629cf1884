using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamBot.Chat.BotFramework.Activities;
using TeamBot.Chat.BotFramework.Cards;
using TeamBot.Chat.BotFramework.Connector;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;

namespace TeamBot.Chat.BotFramework.Adapter;

/// <summary>How long a request waits for TeamBot's own work before the channel gets its answer (tests shorten it).</summary>
public sealed record BotFrameworkTiming(TimeSpan AnswerWithin)
{
    /// <summary>Well inside the 15 s after which the channel gives up on the request.</summary>
    public static BotFrameworkTiming Default { get; } = new(TimeSpan.FromSeconds(10));
}

/// <summary>What <c>POST /api/messages</c> answers: the HTTP status and, for an invoke, its JSON body.</summary>
public sealed record BotFrameworkAnswer(int Status, JsonObject? Body = null)
{
    public static BotFrameworkAnswer Ok { get; } = new(200);
}

/// <summary>
/// The running Bot Framework adapter: each authenticated activity is remembered as a conversation reference, its team
/// becomes a workspace, it is translated by <see cref="BotFrameworkInbound"/> and handed to Core's <see cref="ChatInbox"/>,
/// and the answer goes back the channel's way: public answers as replies in the conversation (in a Teams channel, in the
/// thread), private ones in the person's personal chat with the bot, and a card action's answer in the invoke response.
/// </summary>
/// <remarks>
/// The channel wants an answer within 15 s. TeamBot waits up to <see cref="BotFrameworkTiming.AnswerWithin"/> for its work, so that a quick
/// activity is fully handled when its request returns; slower work goes on and answers proactively.
/// </remarks>
public sealed partial class BotFrameworkAdapter(
    BotFrameworkOptions options,
    BotFrameworkAddresses addresses,
    ConnectorClient connector,
    IEnumerable<IChatPlatform> platforms,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    BotFrameworkTiming timing,
    ILogger<BotFrameworkAdapter> logger) : IDisposable
{
    /// <summary>The card actions TeamBot renders (Action.Execute verbs); any other verb is answered with an error.</summary>
    public static readonly IReadOnlySet<string> KnownVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        HandoffCards.ClaimAction, HandoffCards.RateAction, HandoffCards.OutcomeAction, HandoffCards.ReasonAction,
    };

    private readonly ConfiguredRoles _roles = new(options.Roles.Sales, options.Roles.Marketing, options.Roles.Admin);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _creating = new(StringComparer.Ordinal);

    /// <summary>Workspaces already known to exist for their platform: only their id is used here, so they need no re-reading.</summary>
    private readonly ConcurrentDictionary<string, Workspace> _workspaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>One lane per conversation (striped): a 👍 added then taken back is applied in that order.</summary>
    private readonly SemaphoreSlim[] _lanes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>The bot's own Teams id when an app id is configured.</summary>
    private string? BotId => options.Enabled ? "28:" + options.AppId!.Trim() : null;

    /// <summary>Handles one activity whose token was valid (or, without an app id, that came from a local tool).</summary>
    public async Task<BotFrameworkAnswer> HandleAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Type == Activity.InvokeType) return await InvokeAsync(activity, cancellationToken).ConfigureAwait(false);

        var work = Track(ProcessAsync(activity, _stopping.Token));
        await Task.WhenAny(work, Task.Delay(timing.AnswerWithin, cancellationToken)).ConfigureAwait(false);
        return BotFrameworkAnswer.Ok;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        foreach (var gate in _creating.Values) gate.Dispose();
        foreach (var lane in _lanes) lane.Dispose();
    }

    /// <summary>
    /// At shutdown: lets the work the channel was already answered for finish, until <paramref name="cancellationToken"/>
    /// (the host's shutdown timeout) says to stop; only then is that work cancelled.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown timeout, or work that failed: each failure was logged where it happened.
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(Activity activity, CancellationToken ct)
    {
        var lane = _lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(activity.Conversation?.Id ?? "") % (uint)_lanes.Length)];
        await lane.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var context = await PrepareAsync(activity, ct).ConfigureAwait(false);
            if (context is null)
            {
                await RefuseGroupChatAsync(activity, ct).ConfigureAwait(false);
                return;
            }
            var translation = Inbound(context.Workspace).Translate(activity);
            if (translation.Reply is { } immediate) await DeliverAsync(activity, context, immediate, ct).ConfigureAwait(false);
            foreach (var chatEvent in translation.Events)
            {
                if (chatEvent is MemberChanged { User.IsBot: true } member)
                {
                    await BotMembershipAsync(activity, context, member.Joined, ct).ConfigureAwait(false);
                    continue;
                }
                if (chatEvent is ReactionChanged reaction) await AwaitRecordAsync(reaction.Message, ct).ConfigureAwait(false);
                var reply = await InboxAsync(SetupInChannel(chatEvent, activity), ct).ConfigureAwait(false);
                if (reply is null) continue;
                // A reaction has nowhere to be answered; only a refusal is worth a personal message.
                if (chatEvent is ReactionChanged && !reply.Refusal) continue;
                await DeliverAsync(activity, context, reply, ct).ConfigureAwait(false);
            }
            if (activity.Type == Activity.ConversationUpdateType) await RegisterMembersAsync(activity, context, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogFailed(logger, ex, activity.Type, activity.Id);
        }
        finally
        {
            lane.Release();
        }
    }

    /// <summary>
    /// <c>adaptiveCard/action</c>: answered in the HTTP response, with the card as it is now (and a note for the person who
    /// acted) when the action was on a handoff card, else with the answer's text. Other invokes get an invoke error (400)
    /// naming the invoke, like every other refused invoke: a sender's mistake is never a server error (5xx).
    /// </summary>
    private async Task<BotFrameworkAnswer> InvokeAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Name != BotFrameworkInbound.CardActionInvoke)
        {
            var name = activity.Name ?? "";
            return new BotFrameworkAnswer(200, TeamsMessages.InvokeErrorResponse(400, "BadRequest",
                $"TeamBot does not handle the invoke '{(name.Length > 100 ? name[..100] + "…" : name)}'; it handles {BotFrameworkInbound.CardActionInvoke}."));
        }
        var verb = BotFrameworkInbound.ExecuteVerb(activity, out _);
        if (verb is null || !KnownVerbs.Contains(verb))
        {
            return new BotFrameworkAnswer(200, TeamsMessages.InvokeErrorResponse(400, "BadRequest",
                verb is null ? "The action has no verb." : $"TeamBot does not know the action '{verb}'."));
        }

        var work = Track(CardActionAsync(activity, _stopping.Token));
        if (await Task.WhenAny(work, Task.Delay(timing.AnswerWithin, cancellationToken)).ConfigureAwait(false) == work) return await work.ConfigureAwait(false);
        return new BotFrameworkAnswer(200, TeamsMessages.InvokeMessageResponse("TeamBot is still working on that; the card will update when it is done."));
    }

    private async Task<BotFrameworkAnswer> CardActionAsync(Activity activity, CancellationToken ct)
    {
        try
        {
            return await CardActionCoreAsync(activity, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogFailed(logger, ex, activity.Type, activity.Id);
            return new BotFrameworkAnswer(200, TeamsMessages.InvokeErrorResponse(500, "InternalError", "TeamBot could not handle that action; it is in TeamBot's log. Please try again."));
        }
    }

    private async Task<BotFrameworkAnswer> CardActionCoreAsync(Activity activity, CancellationToken ct)
    {
        var context = await PrepareAsync(activity, ct).ConfigureAwait(false);
        if (context is null) return new BotFrameworkAnswer(200, TeamsMessages.InvokeErrorResponse(400, "BadRequest", "TeamBot does not serve this conversation."));
        var translation = Inbound(context.Workspace).Translate(activity);
        if (translation.Events is not [CardActionInvoked cardAction])
        {
            return new BotFrameworkAnswer(200, TeamsMessages.InvokeErrorResponse(400, "BadRequest", "The action does not name the message it was on (replyToId)."));
        }
        var reply = await InboxAsync(cardAction, ct).ConfigureAwait(false);
        var note = reply?.Message.Text ?? reply?.Message.Card?.Title;
        // A refusal is only for the person who clicked: a message, not a card that others could be shown.
        if (reply is { Refusal: true }) return new BotFrameworkAnswer(200, TeamsMessages.InvokeMessageResponse(note ?? "That is not possible."));

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var posted = await services.GetRequiredService<IPostedMessageStore>().FindAsync(cardAction.Message, ct).ConfigureAwait(false);
        if (posted is { Kind: PostedKind.Handoff, LeadId: { } leadId }
            && await services.GetRequiredService<LeadSnapshots>().LoadAsync(leadId, ct).ConfigureAwait(false) is { } snapshot)
        {
            var card = services.GetRequiredService<HandoffCards>().Render(snapshot);
            return new BotFrameworkAnswer(200, TeamsMessages.InvokeCardResponse(AdaptiveCards.Render(card, note: note)));
        }
        return new BotFrameworkAnswer(200, TeamsMessages.InvokeMessageResponse(note ?? "Done."));
    }

    /// <summary>The activity's workspace (created on first sight), with its conversation reference saved. Null when TeamBot does not serve it.</summary>
    private async Task<ActivityContext?> PrepareAsync(Activity activity, CancellationToken ct)
    {
        var platform = BotFrameworkInbound.PlatformOf(activity);
        if (!platforms.Any(p => p.Name == platform))
        {
            LogUnknownChannel(logger, activity.ChannelId);
            return null;
        }
        var conversationId = activity.Conversation?.Id;
        if (string.IsNullOrEmpty(conversationId) || string.IsNullOrEmpty(activity.ServiceUrl)) return null;
        var workspaceId = await WorkspaceIdAsync(activity, platform, conversationId, ct).ConfigureAwait(false);
        if (workspaceId is null) return null;

        var workspace = await EnsureWorkspaceAsync(activity, platform, workspaceId, ct).ConfigureAwait(false);
        if (workspace is null) return null;

        var conversation = activity.ChannelConversationId ?? conversationId;
        var address = ConversationAddress.Of(activity, conversation, options.Enabled);
        await addresses.SaveAsync(new PlaceRef(platform, workspaceId, conversation), address, ct).ConfigureAwait(false);
        if (activity.IsPersonal && activity.From?.Id is { Length: > 0 } user)
        {
            await addresses.SaveDirectAsync(platform, workspaceId, user, address, ct).ConfigureAwait(false);
        }
        if (activity.TeamId is not null && activity.From?.Id is { Length: > 0 } member)
        {
            await addresses.SaveSeenAsync(platform, workspaceId, member, address, ct).ConfigureAwait(false);
        }
        return new ActivityContext(workspace, platform, address);
    }

    /// <summary>
    /// Teams: the team's workspace. A personal chat belongs to the workspace that last wrote to it, else to the team its
    /// person was seen in (or registered as a member of), else to the tenant. Group chats are not served: their members may
    /// come from anywhere, and a team's data must not be shown there. Other channels: one workspace per channel,
    /// <c>bf-&lt;channelId&gt;</c> (e.g. <c>bf-emulator</c>).
    /// </summary>
    private async Task<string?> WorkspaceIdAsync(Activity activity, string platform, string conversationId, CancellationToken ct)
    {
        if (activity.ChannelId != BotFrameworkInbound.TeamsChannelId) return "bf-" + platform;
        if (activity.TeamId is not null) return BotFrameworkInboundSettings.TeamsWorkspaceId(activity);
        if (!activity.IsPersonal) return null;
        // The workspace that last wrote here (a stand-up question, a reminder) is the one waiting for the answer.
        if (await addresses.WorkspaceOfAsync(platform, conversationId, ct).ConfigureAwait(false) is { } opener) return opener;
        if (activity.From?.Id is { Length: > 0 } user && await addresses.LastSeenWorkspaceAsync(platform, user, ct).ConfigureAwait(false) is { } seen) return seen;
        return BotFrameworkInboundSettings.TeamsWorkspaceId(activity);
    }

    /// <summary>The workspace, created on first sight; one creation at a time per workspace (an install brings two activities at once).</summary>
    private async Task<Workspace?> EnsureWorkspaceAsync(Activity activity, string platform, string workspaceId, CancellationToken ct)
    {
        if (_workspaces.TryGetValue(workspaceId, out var known)) return known;
        var gate = _creating.GetOrAdd(workspaceId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var workspace = await EnsureWorkspaceCoreAsync(activity, platform, workspaceId, ct).ConfigureAwait(false);
            if (workspace is not null) _workspaces[workspaceId] = workspace;
            return workspace;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Workspace?> EnsureWorkspaceCoreAsync(Activity activity, string platform, string workspaceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var workspaces = scope.ServiceProvider.GetRequiredService<IWorkspaceStore>();
        var existing = await workspaces.FindAsync(workspaceId, ct).ConfigureAwait(false);
        if (existing is not null)
        {
            if (existing.Platform == platform) return existing;
            LogPlatformClash(logger, workspaceId, existing.Platform, platform);
            return null;
        }

        var name = TeamName(activity) is { Length: > 0 } team ? team
            : activity.TeamId is not null ? "Teams team"
            : platform == BotFrameworkInbound.TeamsPlatform ? "Microsoft Teams" : $"Bot Framework ({platform})";
        var workspace = new Workspace(workspaceId, platform, name, options.TimeZone, new WorkspacePlaces("", "", ""));
        await scope.ServiceProvider.GetRequiredService<WorkspaceSetup>().EnsureAsync(workspace, ct).ConfigureAwait(false);
        if (configuration[$"Workspaces:{workspaceId}:ApiKey"] is { Length: > 0 } key) await workspaces.ApplyApiKeyAsync(workspaceId, key, ct).ConfigureAwait(false);
        LogWorkspaceCreated(logger, workspaceId, name);
        return workspace;
    }

    private static string? TeamName(Activity activity) =>
        activity.ChannelData is { ValueKind: System.Text.Json.JsonValueKind.Object } data
        && data.TryGetProperty("team", out var team) && team.ValueKind == System.Text.Json.JsonValueKind.Object
        && team.TryGetProperty("name", out var name) && name.ValueKind == System.Text.Json.JsonValueKind.String
            ? name.GetString()
            : null;

    /// <summary>
    /// The translator for one workspace. Configured roles count only on Teams, where the channel vouches for who is who;
    /// on Web Chat and Direct Line the page chooses the user id, so nobody gets a role from the lists there.
    /// </summary>
    private BotFrameworkInbound Inbound(Workspace workspace) =>
        new(new BotFrameworkInboundSettings(_ => workspace.Id, RolesOf(workspace.Platform), BotId));

    private Func<ChannelAccount, Core.TeamRoles?> RolesOf(string platform) =>
        platform == BotFrameworkInbound.TeamsPlatform ? _roles.Of : _ => null;

    /// <summary>A command to TeamBot in a Teams group chat is answered with why it is not served there, instead of silence.</summary>
    private async Task RefuseGroupChatAsync(Activity activity, CancellationToken ct)
    {
        if (activity.ChannelId != BotFrameworkInbound.TeamsChannelId || activity.Type != Activity.MessageType || activity.TeamId is not null
            || activity.IsPersonal || activity.Conversation?.Id is not { } conversation || activity.ServiceUrl is null)
        {
            return;
        }
        var address = ConversationAddress.Of(activity, conversation, options.Enabled);
        await ReplyAsync(address, conversation, activity.Id,
            new OutgoingMessage("TeamBot works in a team's channels and in personal chats, not in group chats: their members may come from outside the team whose leads TeamBot would show."), ct).ConfigureAwait(false);
    }

    /// <summary>Installed: say hello and how to set TeamBot up. Removed: only noted (the workspace and its data stay).</summary>
    private async Task BotMembershipAsync(Activity activity, ActivityContext context, bool joined, CancellationToken ct)
    {
        if (!joined)
        {
            LogRemoved(logger, context.Workspace.Id, activity.Conversation?.Id);
            return;
        }
        LogInstalled(logger, context.Workspace.Id, activity.Conversation?.Id);
        var text = activity.IsPersonal
            ? "Hi, I'm TeamBot. I send you stand-up questions and lead reminders here, and you can type commands to me: try \"help\"."
            : $"Hi, I'm TeamBot. This team is TeamBot workspace {context.Workspace.Id}. An admin can now type \"@TeamBot setup handoffs\" in the channel where new leads should be posted (likewise \"setup marketing\" and \"setup general\"); \"@TeamBot help\" lists everything else.";
        await SendAsync(context.Address, context.Address.ConversationId, new OutgoingMessage(text), ct).ConfigureAwait(false);
    }

    /// <summary>People who joined (or everyone, when the bot itself was added) become people of the workspace, with configured roles.</summary>
    private async Task RegisterMembersAsync(Activity activity, ActivityContext context, CancellationToken ct)
    {
        var added = (activity.MembersAdded ?? []).Where(m => m.Id is { Length: > 0 }).ToList();
        if (added.Count == 0) return;
        var botAdded = added.Any(m => m.Id == activity.Recipient?.Id || m.Id == BotId);
        IReadOnlyList<ChannelAccount> members = added.Where(m => m.Id != activity.Recipient?.Id && m.Id != BotId).ToList();
        if (activity.TeamId is { } team)
        {
            // Activities carry no email: the member list does, and configured roles may name people by email.
            var wanted = botAdded ? null : members.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
            try
            {
                members = (await connector.GetConversationMembersAsync(context.Address.ServiceUrl, team, ct).ConfigureAwait(false))
                    .Where(m => wanted is null || wanted.Contains(m.Id))
                    .Select(m => new ChannelAccount(m.Id, m.Name, m.AadObjectId, Email: m.Email, UserPrincipalName: m.UserPrincipalName)).ToList();
            }
            catch (Exception ex) when (ex is ConnectorException or HttpRequestException or BotTokenException or UntrustedServiceUrlException
                                           || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                LogMembersFailed(logger, ex, context.Workspace.Id);
            }
        }
        await using var scope = scopes.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<IPeopleStore>();
        var roles = RolesOf(context.Platform);
        foreach (var member in members)
        {
            if (member.Id is not { Length: > 0 } id || member.Role == "bot") continue;
            await people.ResolveAsync(context.Workspace.Id, new ChatUser(id, member.Name ?? id, roles(member), Email: member.Email ?? member.UserPrincipalName), null, ct).ConfigureAwait(false);
            if (activity.TeamId is not null) await addresses.SaveSeenAsync(context.Platform, context.Workspace.Id, id, context.Address, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Public answers reply to the activity (in a Teams channel, inside its thread); private ones go to the person's personal
    /// chat with the bot, or when that is impossible, the thread is told so without the answer itself.
    /// </summary>
    private async Task DeliverAsync(Activity activity, ActivityContext context, ChatReply reply, CancellationToken ct)
    {
        var conversation = activity.Conversation!.Id!;
        if (reply.Visibility == ReplyVisibility.Public || activity.IsPersonal)
        {
            await ReplyAsync(context.Address, conversation, activity.Id, reply.Message, ct).ConfigureAwait(false);
            return;
        }
        var platform = platforms.First(p => p.Name == context.Platform);
        try
        {
            var direct = await platform.OpenDirectAsync(context.Workspace.Id, activity.From!.Id!, ct).ConfigureAwait(false);
            await platform.PostAsync(direct, reply.Message, Guid.NewGuid().ToString("N"), ct).ConfigureAwait(false);
        }
        catch (ChatPlatformException ex)
        {
            LogPrivateFailed(logger, ex, context.Workspace.Id);
            if (activity.Type == Activity.MessageType)
            {
                await ReplyAsync(context.Address, conversation, activity.Id,
                    new OutgoingMessage("I could not write to you privately, so my answer is not shown here. Open a personal chat with TeamBot and ask again there (a new webhook key is made with \"setup key\")."), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task ReplyAsync(ConversationAddress address, string conversation, string? replyTo, OutgoingMessage message, CancellationToken ct)
    {
        foreach (var outgoing in TeamsMessages.Build(message))
        {
            var activity = BotFrameworkChatPlatform.Addressed(outgoing, address, conversation) with { ReplyToId = replyTo };
            if (replyTo is { Length: > 0 }) await connector.ReplyToActivityAsync(address.ServiceUrl, conversation, replyTo, activity, ct).ConfigureAwait(false);
            else await connector.SendToConversationAsync(address.ServiceUrl, conversation, activity, ct).ConfigureAwait(false);
        }
    }

    private Task SendAsync(ConversationAddress address, string conversation, OutgoingMessage message, CancellationToken ct) =>
        ReplyAsync(address, conversation, null, message, ct);

    /// <summary>
    /// <c>setup</c> typed as a reply in a Teams channel thread binds the channel, not the thread: handoffs are posted in the
    /// channel, and each gets its own thread there.
    /// </summary>
    private static ChatEvent SetupInChannel(ChatEvent chatEvent, Activity activity) =>
        chatEvent is CommandInvoked { Command.Name: "setup" } command && activity.ChannelConversationId is { } channel && command.Place.Id != channel
            && activity.ChannelId == BotFrameworkInbound.TeamsChannelId && activity.ThreadRootId is not null
            ? command with { Place = command.Place with { Id = channel } }
            : chatEvent;

    /// <summary>
    /// Teams reports reactions only on the bot's own messages, and a message is visible a moment before TeamBot has written
    /// down what it posted: a reaction in that moment waits briefly for the record instead of being dropped.
    /// </summary>
    private async Task AwaitRecordAsync(MessageRef message, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var posted = scope.ServiceProvider.GetRequiredService<IPostedMessageStore>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await posted.FindAsync(message, ct).ConfigureAwait(false) is not null) return;
            await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Hands one event to Core in its own scope; a failure becomes a private apology, never a crash.</summary>
    private async Task<ChatReply?> InboxAsync(ChatEvent chatEvent, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ChatInbox>().HandleAsync(chatEvent, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogInboxFailed(logger, ex, chatEvent.GetType().Name, chatEvent.Place.Workspace);
            return ChatReply.Private("Something went wrong while TeamBot handled that; it is in TeamBot's log. Please try again.");
        }
    }

    private Task<T> Track<T>(Task<T> task)
    {
        Track((Task)task);
        return task;
    }

    private Task Track(Task task)
    {
        _running[task] = 0;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private sealed record ActivityContext(Workspace Workspace, string Platform, ConversationAddress Address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot Framework: workspace {Workspace} ({Name}) created")]
    private static partial void LogWorkspaceCreated(ILogger logger, string workspace, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot Framework: added to {Conversation} in workspace {Workspace}")]
    private static partial void LogInstalled(ILogger logger, string workspace, string? conversation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot Framework: removed from {Conversation} in workspace {Workspace}")]
    private static partial void LogRemoved(ILogger logger, string workspace, string? conversation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework: the workspace {Workspace} belongs to {Existing}, not {Platform}; the activity is ignored")]
    private static partial void LogPlatformClash(ILogger logger, string workspace, string existing, string platform);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bot Framework: ignoring an activity from the unknown channel {ChannelId}")]
    private static partial void LogUnknownChannel(ILogger logger, string? channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework: could not read the members of workspace {Workspace}")]
    private static partial void LogMembersFailed(ILogger logger, Exception error, string workspace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework: a private answer in workspace {Workspace} could not be delivered")]
    private static partial void LogPrivateFailed(ILogger logger, Exception error, string workspace);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot Framework: handling {Event} in workspace {Workspace} failed")]
    private static partial void LogInboxFailed(ILogger logger, Exception error, string @event, string workspace);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot Framework: an activity of type {Type} ({Id}) could not be handled")]
    private static partial void LogFailed(ILogger logger, Exception error, string type, string? id);
}
