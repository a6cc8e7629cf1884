using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TeamBot.Chat.Discord.Gateway;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;
using TeamBot.Core.Commands;
using TeamBot.Core.Feedback;
using TeamBot.Core.Workspaces;

namespace TeamBot.Chat.Discord;

/// <summary>How fast the bot answers interactions (Discord wants a first answer within 3 s), and how soon it tries again.</summary>
/// <param name="DeferAfter">When the work behind an interaction is not done by then, the bot defers (type 5, or 6 for a
/// component) and sends the answer when it is. Zero defers every interaction.</param>
public sealed record DiscordBotTiming(TimeSpan DeferAfter)
{
    public static DiscordBotTiming Default { get; } = new(TimeSpan.FromSeconds(2));

    /// <summary>How long after a failed write of a guild's workspace (TeamBot joined or left it) the write is tried again.</summary>
    public TimeSpan WorkspaceRetry { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Whether the Discord connection works, for the health endpoint and the log.</summary>
public sealed class DiscordStatus
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, DateTimeOffset> _down = new();
    private volatile string? _problem;
    private volatile bool _connected;

    public bool Connected => _connected;

    /// <summary>Why Discord is off (a rejected token, a refused intent); null while it works.</summary>
    public string? Problem => _problem;

    /// <summary>The gateway shards whose connection dropped and that have not resumed yet, with when they dropped.</summary>
    public IReadOnlyDictionary<int, DateTimeOffset> Disconnected => _down;

    internal void Up() => (_connected, _problem) = (true, null);

    internal void Failed(string problem) => (_connected, _problem) = (false, problem);

    internal void ShardDown(int shard, DateTimeOffset at) => _down.TryAdd(shard, at);

    internal void ShardUp(int shard) => _down.TryRemove(shard, out _);
}

/// <summary>
/// The running Discord adapter: the gateway shards, and every event they bring to <see cref="ChatInbox"/>. Each guild is a
/// workspace (made on GUILD_CREATE) and gets TeamBot's slash commands. Interactions are answered within Discord's 3 s
/// (deferred when the work takes longer); messages and reactions are handled in the order they arrive, per shard.
/// </summary>
public sealed partial class DiscordBot(
    DiscordOptions options,
    DiscordRestClient rest,
    DiscordChatPlatform platform,
    DiscordGuilds guilds,
    DiscordDirects directs,
    DiscordStatus status,
    DiscordBotTiming timing,
    RoleMappingChanges roleChanges,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<DiscordBot>();
    private readonly ConcurrentDictionary<ulong, byte> _registered = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly ConcurrentDictionary<ulong, byte> _reconciling = new();

    /// <summary>How long an interaction's token accepts answers (a little under Discord's 15 minutes).</summary>
    private static readonly TimeSpan InteractionTokenLifetime = TimeSpan.FromMinutes(14.5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // /setup roles changes a guild's mapping: read it again (the handler only starts that work).
        void OnRolesChanged(string workspaceId)
        {
            if (DiscordGuilds.GuildOf(workspaceId) is { } guild) Track(LoadRolesAsync(guild, stoppingToken));
        }
        roleChanges.Changed += OnRolesChanged;
        try
        {
            var info = await DiscoverAsync(stoppingToken);
            if (info is null) return;
            var shards = options.ShardCount ?? Math.Max(1, info.Shards);
            var gate = new IdentifyGate(clock);
            var intents = TeamBotIntents.For(options.MessageContent);
            LogStarting(_logger, shards, (int)intents);
            await Task.WhenAll(Enumerable.Range(0, shards).Select(shard => RunShardAsync(new GatewaySettings(options.Token!, intents, shard, shards)
            {
                GatewayUrl = string.IsNullOrWhiteSpace(options.GatewayUrl) ? null : options.GatewayUrl,
            }, gate, stoppingToken)));
        }
        catch (DiscordGatewayFatalException ex)
        {
            status.Failed(ex.Message);
            LogFatal(_logger, ex.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Discord's trouble never stops the bot: webhooks, the API and other platforms go on.
            status.Failed($"Discord stopped unexpectedly: {ex.Message}");
            LogStopped(_logger, ex);
        }
        finally
        {
            roleChanges.Changed -= OnRolesChanged;
            await StopReactionsAsync();
            await Task.WhenAll(_running.Keys);
        }
    }

    /// <summary>
    /// One shard until shutdown. A fatal close (bad token, refused intents) ends it and says why; anything unexpected is
    /// logged and the shard starts over with a new session a little later, so that Discord's trouble never stops the bot.
    /// </summary>
    private async Task RunShardAsync(GatewaySettings settings, IdentifyGate gate, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var client = new DiscordGatewayClient(settings, rest.GetGatewayBotAsync, (e, c) => TrackAsync(settings, e, c), clock, Random.Shared.NextDouble,
                loggers.CreateLogger<DiscordGatewayClient>(), gate, e => TakeNow(e, ct));
            try
            {
                await client.RunAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is not DiscordGatewayFatalException && !(ex is OperationCanceledException && ct.IsCancellationRequested))
            {
                status.Failed($"The Discord gateway failed unexpectedly: {ex.Message}");
                LogShardCrashed(_logger, ex, settings.ShardId);
                await Task.Delay(TimeSpan.FromSeconds(5), clock, ct);
            }
        }
    }

    /// <summary>A shard's connection state for the health check, then the event itself.</summary>
    private Task TrackAsync(GatewaySettings shard, GatewayEvent gatewayEvent, CancellationToken ct)
    {
        if (gatewayEvent is DisconnectedEvent) status.ShardDown(shard.ShardId, clock.GetUtcNow());
        else if (gatewayEvent is ReadyEvent or ResumedEvent) status.ShardUp(shard.ShardId);
        if (gatewayEvent is ReadyEvent { GuildIds: { } listed })
        {
            var present = listed.ToHashSet();
            // Before the session's GUILD_CREATEs, which come through HandleAsync after this.
            guilds.SessionStarted(shard.ShardId, shard.ShardCount, present);
            Track(Task.Run(() => AbsentGuildsAsync(shard, present, ct), CancellationToken.None));
        }
        return HandleAsync(gatewayEvent, ct);
    }

    /// <summary>Stored guild workspaces of this shard that a new session's READY does not list: TeamBot is not in them.</summary>
    private async Task AbsentGuildsAsync(GatewaySettings shard, IReadOnlySet<ulong> present, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DiscordWorkspaces>().AbsentAsync(shard.ShardId, shard.ShardCount, present, clock.GetUtcNow(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAbsentFailed(_logger, ex, shard.ShardId);
        }
    }

    /// <summary>GET /gateway/bot, retried while Discord cannot be reached; null when the token is refused.</summary>
    private async Task<GatewayBotInfo?> DiscoverAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await rest.GetGatewayBotAsync(ct);
            }
            catch (DiscordTokenRejectedException)
            {
                const string problem = "Discord rejected the bot token (401). Set a valid Discord:Token and restart.";
                status.Failed(problem);
                LogFatal(_logger, problem);
                return null;
            }
            catch (Exception ex) when (ex is HttpRequestException or DiscordApiException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                var wait = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(attempt, 6))));
                status.Failed($"Discord cannot be reached: {ex.Message}");
                LogDiscoveryFailed(_logger, ex.Message, wait.TotalSeconds);
                await Task.Delay(wait, clock, ct);
            }
        }
    }

    /// <summary>One shard's events, in order. Interactions run on their own, so a slow one never delays the rest.</summary>
    internal async Task HandleAsync(GatewayEvent gatewayEvent, CancellationToken ct)
    {
        // Reactions are written in groups (DiscordBot.Reactions.cs); the shard's other events come after those before them.
        if (gatewayEvent is not (ReactionEvent or InteractionCreatedEvent)) await ReactionsHandledAsync(ct);
        switch (gatewayEvent)
        {
            case ReadyEvent ready:
                guilds.BotUserId = ready.User.Id;
                if (ready.ApplicationId is { } app) guilds.ApplicationId = app;
                status.Up();
                LogReady(_logger, ready.User.Username, ready.User.Id);
                return;
            case ResumedEvent:
                status.Up();
                return;
            case GuildAvailableEvent { Unavailable: false } guild:
                await GuildAvailableAsync(guild, ct);
                return;
            case GuildGoneEvent { Unavailable: false, Id: not 0 } gone:
                await GuildRemovedAsync(gone.Id, ct);
                return;
            case ThreadCreatedEvent thread:
                guilds.ThreadSeen(thread.Id);
                return;
            case ThreadDeletedEvent deleted:
                guilds.ThreadDeleted(deleted.Id);
                return;
            case InteractionCreatedEvent interaction:
                TakeNow(interaction, ct);
                return;
            case MessageCreatedEvent message:
                if (message.GuildId is { } messageGuild && message.Author.Id != 0 && !message.Author.Bot && message.WebhookId is null) guilds.UserSeen(message.Author.Id, messageGuild);
                await HandleMessageAsync(message, ct);
                return;
            case ReactionEvent reaction:
                if (reaction.GuildId is { } reactionGuild) guilds.UserSeen(reaction.UserId, reactionGuild);
                if (guilds.Inbound.Translate(reaction).Event is ReactionChanged changed) await QueueReactionAsync(changed, ct);
                return;
        }
    }

    /// <summary>Interactions start at once, past the shard's ordered queue: Discord wants their first answer within 3 s.</summary>
    private bool TakeNow(GatewayEvent gatewayEvent, CancellationToken ct)
    {
        switch (gatewayEvent)
        {
            case InteractionCreatedEvent { Type: 4 } typing:
                Track(Task.Run(() => SuggestAsync(typing, ct), CancellationToken.None));
                return true;
            case InteractionCreatedEvent interaction:
                Track(Task.Run(() => HandleInteractionAsync(interaction, ct), CancellationToken.None));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A guild became available: on a new session (after a start or a reconnect that could not resume), on joining it, or
    /// after its outage. Events may have been missed in each case, so its open handoffs' reactions are read back.
    /// </summary>
    private async Task GuildAvailableAsync(GuildAvailableEvent guild, CancellationToken ct)
    {
        guilds.GuildAvailable(guild.Id, guild.Name, guild.ThreadIds);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DiscordWorkspaces>().AvailableAsync(guild.Id, guild.Name, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Tried again a little later while the guild stays available: until then it may still refuse leads as left.
            LogGuildFailed(_logger, ex, guild.Id);
            RetryLater(() => guilds.Available.ContainsKey(guild.Id), () => GuildAvailableAsync(guild, ct), ct);
            return;
        }
        await LoadRolesAsync(guild.Id, ct);
        if (guilds.ApplicationId != 0 && _registered.TryAdd(guild.Id, 0)) Track(RegisterCommandsAsync(guild.Id, ct));
        if (_reconciling.TryAdd(guild.Id, 0)) Track(Task.Run(() => ReconcileAsync(guild.Id, ct), CancellationToken.None));
    }

    /// <summary>
    /// TeamBot was removed from a guild: its workspace refuses new leads (they could not be posted) until the guild is
    /// available again, and its commands are registered again then.
    /// </summary>
    private async Task GuildRemovedAsync(ulong guildId, CancellationToken ct)
    {
        guilds.GuildRemoved(guildId);
        _registered.TryRemove(guildId, out _);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DiscordWorkspaces>().LeftAsync(guildId, clock.GetUtcNow(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLeaveFailed(_logger, ex, guildId);
            RetryLater(() => !guilds.Available.ContainsKey(guildId), () => GuildRemovedAsync(guildId, ct), ct);
        }
    }

    /// <summary>Runs <paramref name="work"/> after <see cref="DiscordBotTiming.WorkspaceRetry"/> if it is still <paramref name="wanted"/> then (a guild's workspace write that failed).</summary>
    private void RetryLater(Func<bool> wanted, Func<Task> work, CancellationToken ct) => Track(Task.Run(async () =>
    {
        await Task.Delay(timing.WorkspaceRetry, clock, ct);
        if (wanted()) await work();
    }, CancellationToken.None));

    private async Task LoadRolesAsync(ulong guildId, CancellationToken ct)
    {
        try
        {
            var version = roleChanges.Version;
            await using var scope = scopes.CreateAsyncScope();
            var stored = await scope.ServiceProvider.GetRequiredService<IRoleMappingStore>().GetAsync(DiscordGuilds.WorkspaceOf(guildId), ct);
            guilds.SetStoredRoles(guildId, stored, version);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRolesFailed(_logger, ex, guildId);
        }
    }

    private async Task ReconcileAsync(ulong guildId, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var reconciler = scope.ServiceProvider.GetRequiredService<ReactionReconciler>();
            var report = await reconciler.ReconcileAsync(DiscordGuilds.WorkspaceOf(guildId), new DiscordReactionReader(rest, () => guilds.BotUserId), ct);
            LogReconciled(_logger, guildId, report.MessagesChecked, report.Added, report.Removed, report.Failures);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReconcileFailed(_logger, ex, guildId);
        }
        finally
        {
            _reconciling.TryRemove(guildId, out _);
        }
    }

    private async Task RegisterCommandsAsync(ulong guildId, CancellationToken ct)
    {
        try
        {
            var count = await rest.BulkOverwriteGuildCommandsAsync(guilds.ApplicationId, guildId, DiscordCommands.Registration(), ct);
            LogRegistered(_logger, count, guildId);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _registered.TryRemove(guildId, out _);
            LogRegisterFailed(_logger, guildId, ex.Message);
        }
    }

    private async Task HandleMessageAsync(MessageCreatedEvent message, CancellationToken ct)
    {
        if (message.GuildId is null && message.Author.Id != 0 && !message.Author.Bot)
        {
            try
            {
                await directs.RecallAsync(message.ChannelId, message.Author.Id, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecallFailed(_logger, ex, message.ChannelId);
            }
        }
        var translated = guilds.Inbound.Translate(message);
        if (translated.IsIgnored) return;
        var reply = translated.Event is { } chatEvent ? await InboxAsync(chatEvent, ct) : translated.Reply;
        var place = translated.Event?.Place ?? translated.Place;
        if (reply is null || place is null) return;
        try
        {
            // A typed message has no private answer on Discord: a private reply goes by DM (unless it came in one).
            var target = reply.Visibility == ReplyVisibility.Public || message.GuildId is null
                ? place
                : await platform.OpenDirectAsync(place.Workspace, message.Author.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
            await platform.PostAsync(target, reply.Message, $"reply-{message.Id}", ct);
        }
        catch (ChatPlatformException ex)
        {
            LogReplyFailed(_logger, message.Id, ex.Message);
        }
    }

    /// <summary>A reaction has no private answer on Discord: a refused one is explained by DM (confirmations are not sent).</summary>
    private async Task TellAsync(ReactionChanged reaction, ChatReply refusal, CancellationToken ct)
    {
        try
        {
            var dm = await platform.OpenDirectAsync(reaction.Place.Workspace, reaction.User.Id, ct);
            var key = $"refused-{reaction.Message.MessageId}-{reaction.User.Id}-{reaction.Emoji}-{(reaction.Added ? "add" : "remove")}";
            await platform.PostAsync(dm, refusal.Message, key, ct);
        }
        catch (ChatPlatformException ex)
        {
            LogReplyFailed(_logger, ulong.TryParse(reaction.Message.MessageId, out var id) ? id : 0, ex.Message);
        }
    }

    /// <summary>
    /// Answers an interaction: a modal or an error at once; otherwise TeamBot's reply as the first answer when the work is
    /// done within <see cref="DiscordBotTiming.DeferAfter"/>, else a defer first and the reply afterwards.
    /// </summary>
    private async Task HandleInteractionAsync(InteractionCreatedEvent i, CancellationToken ct)
    {
        var received = clock.GetUtcNow();
        if (i.GuildId is { } guildId) guilds.UserSeen(i.User.Id, guildId);
        try
        {
            var translated = guilds.Inbound.Translate(i);
            if (translated.Modal is { } modal)
            {
                await rest.RespondWithModalAsync(i.Id, i.Token, modal, ct);
                return;
            }
            if (translated.Event is not { } chatEvent)
            {
                // Discord shows "This interaction failed" to anyone left without an answer: say why instead.
                var refusal = translated.Reply ?? ChatReply.Private("TeamBot does not serve this place, or that control is no longer TeamBot's. Try /help in your server.");
                await rest.RespondToInteractionAsync(i.Id, i.Token, DiscordReplies.ToCallback(refusal), ct);
                return;
            }

            // Core's work may run synchronously (SQLite does): on its own task, so the deadline can be watched.
            var work = Task.Run(() => InboxAsync(chatEvent, ct), CancellationToken.None);
            var component = i.Type != 2;
            if (timing.DeferAfter > TimeSpan.Zero && await Task.WhenAny(work, Task.Delay(timing.DeferAfter, clock, ct)) == work)
            {
                var reply = await work;
                await rest.RespondToInteractionAsync(i.Id, i.Token, reply is not null
                    ? DiscordReplies.ToCallback(reply)
                    : component ? new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage) : DiscordReplies.ToCallback(ChatReply.Private("Done.")), ct);
                return;
            }

            // Deferred: a command shows "thinking…" only to its author; a component just acknowledges the click.
            await rest.RespondToInteractionAsync(i.Id, i.Token, component
                ? new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage)
                : new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new Messages.DiscordMessageBody { Flags = DiscordReplies.EphemeralFlag }), ct);
            LogDeferred(_logger, i.Id, timing.DeferAfter.TotalMilliseconds);
            var late = await work;
            // The interaction's token lasts 15 minutes; past that, Discord takes no answer to it.
            if (clock.GetUtcNow() - received >= InteractionTokenLifetime)
            {
                LogTooLate(_logger, i.Id);
                return;
            }
            await DeliverLateAsync(i, component, late, ct);
        }
        catch (Exception ex) when (ex is DiscordApiException or HttpRequestException or ChatPlatformException or Messages.DiscordMessageInvalidException)
        {
            LogInteractionFailed(_logger, i.Id, ex.Message);
        }
    }

    /// <summary>Autocompletion: the workspace's values for the option being typed (no suggestions rather than an error).</summary>
    private async Task SuggestAsync(InteractionCreatedEvent i, CancellationToken ct)
    {
        IReadOnlyList<ApplicationCommandChoice> choices = [];
        try
        {
            if (DiscordInbound.TryReadFocused(i.Data, out var option, out var typed) && (i.GuildId ?? guilds.GuildOfUser(i.User.Id)) is { } guild)
            {
                // Suggestions that come too late are worth less than none: Discord drops the answer after 3 s.
                using var soon = CancellationTokenSource.CreateLinkedTokenSource(ct);
                soon.CancelAfter(TimeSpan.FromSeconds(2));
                await using var scope = scopes.CreateAsyncScope();
                var found = await scope.ServiceProvider.GetRequiredService<CommandSuggestions>().SuggestAsync(DiscordGuilds.WorkspaceOf(guild), option.Suggest, typed, soon.Token);
                choices = [.. found.Select(s => new ApplicationCommandChoice(s.Label, s.Value))];
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Too slow: no suggestions.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogInboxFailed(_logger, ex, "autocomplete", i.GuildId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?");
        }
        try
        {
            await rest.RespondWithChoicesAsync(i.Id, i.Token, choices, ct);
        }
        catch (Exception ex) when (ex is DiscordApiException or HttpRequestException)
        {
            LogInteractionFailed(_logger, i.Id, ex.Message);
        }
    }

    private async Task DeliverLateAsync(InteractionCreatedEvent i, bool component, ChatReply? reply, CancellationToken ct)
    {
        var app = i.ApplicationId != 0 ? i.ApplicationId : guilds.ApplicationId;
        if (component)
        {
            if (reply is null) return;
            var body = DiscordReplies.ToCallback(reply).Data!;
            await rest.CreateFollowupAsync(app, i.Token, body, ct);
            return;
        }
        if (reply is null || reply.Visibility == ReplyVisibility.Private)
        {
            await rest.EditOriginalResponseAsync(app, i.Token, DiscordCards.ToBody(reply?.Message ?? new OutgoingMessage("Done.")), ct);
            return;
        }
        // The defer was private; a public answer follows it as its own message.
        await rest.EditOriginalResponseAsync(app, i.Token, DiscordCards.ToBody(new OutgoingMessage("Done: the answer is posted below.")), ct);
        await rest.CreateFollowupAsync(app, i.Token, DiscordCards.ToBody(reply.Message), ct);
    }

    /// <summary>Hands one event to Core in its own scope; a failure becomes a private apology, never a crash.</summary>
    private async Task<ChatReply?> InboxAsync(ChatEvent chatEvent, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ChatInbox>().HandleAsync(chatEvent, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogInboxFailed(_logger, ex, chatEvent.GetType().Name, chatEvent.Place.Workspace);
            return ChatReply.Private("Something went wrong while TeamBot handled that; it is in TeamBot's log. Please try again.");
        }
    }

    private void Track(Task task)
    {
        _running[task] = 0;
        _ = task.ContinueWith(t =>
        {
            _running.TryRemove(t, out _);
            if (t.Exception?.GetBaseException() is { } error and not OperationCanceledException) LogBackgroundFailed(_logger, error);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: starting {Shards} shard(s) with intents {Intents}")]
    private static partial void LogStarting(ILogger logger, int shards, int intents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: connected as {User} ({UserId})")]
    private static partial void LogReady(ILogger logger, string user, ulong userId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord is off: {Problem}")]
    private static partial void LogFatal(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: could not discover the gateway ({Reason}); trying again in {Seconds} s")]
    private static partial void LogDiscoveryFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: the workspace of server {GuildId} could not be prepared")]
    private static partial void LogGuildFailed(ILogger logger, Exception error, ulong guildId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: checking which stored servers shard {Shard} no longer lists failed; their workspaces take leads until the next session")]
    private static partial void LogAbsentFailed(ILogger logger, Exception error, int shard);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: TeamBot was removed from server {GuildId}, but recording it failed; its workspace takes leads until a later try succeeds")]
    private static partial void LogLeaveFailed(ILogger logger, Exception error, ulong guildId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord stopped unexpectedly; the rest of TeamBot goes on")]
    private static partial void LogStopped(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: background work failed")]
    private static partial void LogBackgroundFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: gateway shard {Shard} failed unexpectedly; starting it again in 5 s")]
    private static partial void LogShardCrashed(ILogger logger, Exception error, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: the role mapping of server {GuildId} could not be read; configured roles apply")]
    private static partial void LogRolesFailed(ILogger logger, Exception error, ulong guildId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: read back the reactions on {Messages} open handoffs in server {GuildId}: {Added} added and {Removed} removed while TeamBot was away, {Failures} unreadable")]
    private static partial void LogReconciled(ILogger logger, ulong guildId, int messages, int added, int removed, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: reading back the reactions in server {GuildId} failed")]
    private static partial void LogReconcileFailed(ILogger logger, Exception error, ulong guildId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: registered {Count} slash commands in server {GuildId}")]
    private static partial void LogRegistered(ILogger logger, int count, ulong guildId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: could not register the slash commands in server {GuildId}: {Reason}. Check that the bot was invited with the applications.commands scope.")]
    private static partial void LogRegisterFailed(ILogger logger, ulong guildId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: could not answer message {MessageId}: {Reason}")]
    private static partial void LogReplyFailed(ILogger logger, ulong messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: could not read which workspace DM channel {ChannelId} belongs to; the message counts only if the person's server is known")]
    private static partial void LogRecallFailed(ILogger logger, Exception error, ulong channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: interaction {InteractionId} took over {Milliseconds} ms and was deferred")]
    private static partial void LogDeferred(ILogger logger, ulong interactionId, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: interaction {InteractionId} took longer than its token lives (15 minutes); its answer is dropped")]
    private static partial void LogTooLate(ILogger logger, ulong interactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: could not answer interaction {InteractionId}: {Reason}")]
    private static partial void LogInteractionFailed(ILogger logger, ulong interactionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a Discord {Event} in workspace {Workspace} failed")]
    private static partial void LogInboxFailed(ILogger logger, Exception error, string @event, string workspace);
}
