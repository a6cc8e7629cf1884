using System.Globalization;
using Humanizer;
using Microsoft.Extensions.Logging;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Handoffs;

/// <summary>Bound from <c>Dispatch</c>.</summary>
public sealed class DispatchSettings
{
    /// <summary>When more handoffs than this wait for one workspace, the channel is told what is queued.</summary>
    public int QueueNoticeThreshold { get; set; } = 10;

    /// <summary>Entries read per pass.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>The longest wait between retries of a failing entry.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a dispatcher holds the entries it took before another may take them.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after <paramref name="failures"/> failures in a row: 1, 2, 4, … seconds up to <see cref="MaxRetryDelay"/>, less up to half at random.</summary>
    public TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, Math.Pow(2, Math.Clamp(failures - 1, 0, 16)))) * (0.5 + (Random.Shared.NextDouble() / 2));
}

/// <summary>The result of one dispatch pass: how much was delivered, whether to look again at once, and when a wait ends.</summary>
public sealed record DispatchPass(int Delivered, bool MoreDue, DateTimeOffset? WakeAt);

/// <summary>
/// Delivers outbox entries to the chat platforms: posts handoffs (routing them first), thread notes, card
/// updates and direct messages, in order per lead, paced per place, retried with backoff when a platform fails.
/// </summary>
public sealed partial class OutboxDispatcher(
    IOutboxStore outbox,
    ILeadStore leads,
    IWorkspaceStore workspaces,
    IPeopleStore people,
    IPostedMessageStore postedMessages,
    IFeedbackStore feedback,
    LeadSnapshots snapshots,
    HandoffCards cards,
    Router router,
    IWorkspaceSettings workspaceSettings,
    ChatPlatforms platforms,
    PlatformOutages outages,
    PostingPacer pacer,
    QueueNotices notices,
    IUnitOfWork unitOfWork,
    PendingSlaTimers slaTimers,
    SlaDeadlines slaDeadlines,
    DispatchSettings settings,
    Installation installation,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    private abstract record Delivery
    {
        public sealed record Done : Delivery;

        /// <summary>Not yet: the place is at its pace.</summary>
        public sealed record Wait(DateTimeOffset? Until, bool Paced) : Delivery;

        /// <summary>Put off until <paramref name="Until"/>: a card redrawn a moment ago. Written for all of a pass's entries together.</summary>
        public sealed record Later(DateTimeOffset Until) : Delivery;

        /// <summary>Cannot be delivered, ever: the lead's handoff was never posted.</summary>
        public sealed record Dropped(string Why) : Delivery;
    }

    public async Task<DispatchPass> DispatchDueAsync(CancellationToken cancellationToken)
    {
        _full.Clear();
        var due = await TakeDueAsync(cancellationToken);
        var untouched = new List<long>();

        // A burst is announced before it fills the channel's slots; the all-clear comes when the queue is empty.
        if (notices.AnyActive || due.Count(e => e.Message is PostHandoff) > settings.QueueNoticeThreshold)
        {
            await UpdateQueueNoticesAsync(cancellationToken);
        }

        // Entries come oldest first, and an entry is only taken when no earlier one of its lead is pending, so a
        // lead's posts go out in order, one per pass; delivering one makes its next one takeable in the next pass.
        var delivered = 0;
        var paced = false;
        var later = new List<(long Entry, DateTimeOffset Until)>();
        DateTimeOffset? wakeAt = null;

        foreach (var entry in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // While its platform is down, an entry waits untried: the first one after the wait probes.
            var platform = outages.Any ? await PlatformOfAsync(entry.WorkspaceId, cancellationToken) : null;
            Delivery result;
            try
            {
                result = platform is not null && outages.WaitUntil(platform, clock.GetUtcNow()) is { } down
                    ? new Delivery.Wait(down, Paced: false)
                    : await DeliverAsync(entry, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                platform ??= await PlatformOfAsync(entry.WorkspaceId, cancellationToken);
                if (await FailedAsync(entry, platform, ex, cancellationToken) is { } retryAt && (wakeAt is null || retryAt < wakeAt)) wakeAt = retryAt;
                continue;
            }

            switch (result)
            {
                case Delivery.Done:
                    delivered++;
                    if (platform is not null && outages.Succeeded(platform) is { } ended)
                    {
                        LogBack(logger, platform, ended.Since, ended.Failures);
                    }
                    break;
                case Delivery.Wait wait:
                    untouched.Add(entry.Id);
                    paced |= wait.Paced;
                    if (wait.Until is { } until && (wakeAt is null || until < wakeAt)) wakeAt = until;
                    break;
                case Delivery.Later putOff:
                    later.Add((entry.Id, putOff.Until));
                    if (wakeAt is null || putOff.Until < wakeAt) wakeAt = putOff.Until;
                    break;
                case Delivery.Dropped dropped:
                    LogDropped(logger, entry.Id, OutboxCodec.Kind(entry.Message), dropped.Why);
                    await outbox.FailAsync(entry.Id, clock.GetUtcNow(), dropped.Why, cancellationToken);
                    break;
            }
        }

        if (untouched.Count > 0) await outbox.ReleaseAsync(untouched, cancellationToken);
        if (later.Count > 0)
        {
            try
            {
                // One commit for all of them: a busy channel puts off dozens of cards' redraws in one pass.
                await unitOfWork.InTransactionAsync(async ct =>
                {
                    foreach (var (id, until) in later) await outbox.PostponeAsync(id, until, null, failed: false, ct);
                    return true;
                }, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // They stay leased, so they come back when the lease ends: late, never lost.
                LogPostponeFailed(logger, ex, later.Count, settings.Lease.TotalSeconds);
            }
        }
        if (paced && !notices.AnyActive) await UpdateQueueNoticesAsync(cancellationToken);
        // Posted handoffs' SLA timers are set once nothing waits to be posted (or they have waited a while): not between two posts.
        if (delivered == 0 || slaTimers.WaitingSince(clock.GetUtcNow() - SlaTimerDelay)) await slaTimers.SetAsync(cancellationToken);
        // Anything delivered may have unlocked the next post of its lead: look again at once.
        return new DispatchPass(delivered, delivered > 0, wakeAt);
    }

    /// <summary>The longest a posted handoff's SLA timer waits for a quiet moment of the dispatcher.</summary>
    private static readonly TimeSpan SlaTimerDelay = TimeSpan.FromSeconds(1);

    /// <summary>How many handoffs of a pass are prepared in the lease's transaction: a few, so that a burst does not hold the write lock long.</summary>
    private const int PreparedPerPass = 4;

    /// <summary>
    /// Leases the due entries and, in the same transaction, routes the first few handoffs among them, reading what posting
    /// them needs: one commit before their post instead of two. When that fails (a workspace gone, a bug in a rule), the
    /// entries are leased alone, and each handoff is routed, and fails, on its own as before.
    /// </summary>
    private async Task<IReadOnlyList<OutboxEntry>> TakeDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Nothing due: no write transaction (it would hold up the webhook's writer for nothing).
        if (!await outbox.AnyDueAsync(now, cancellationToken)) return [];
        // While a platform is down its handoffs wait unrouted: they are routed when they can be posted.
        if (!outages.Any)
        {
            try
            {
                return await unitOfWork.InTransactionAsync(async ct =>
                {
                    _prepared.Clear();
                    var due = await outbox.TakeDueAsync(now, now + settings.Lease, settings.BatchSize, ct);
                    foreach (var entry in due.Where(e => e.Message is PostHandoff).Take(PreparedPerPass)) await PrepareAsync(entry, ct);
                    return due;
                }, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogPrepareFailed(logger, ex);
                _prepared.Clear();
                _sites.Clear();
            }
        }
        return await outbox.TakeDueAsync(now, now + settings.Lease, settings.BatchSize, cancellationToken);
    }

    /// <summary>Routes a handoff about to be posted (unless it was routed before) and keeps the lead, as read under the lease, for its post.</summary>
    private async Task PrepareAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var lead = await leads.GetAsync(((PostHandoff)entry.Message).Lead, cancellationToken);
        if (lead is null || lead.Handoff is not null) return;
        if (await SiteAsync(lead.WorkspaceId, cancellationToken) is not { } site) return;
        _prepared[entry.Id] = await RoutedAsync(site, lead, cancellationToken);
    }

    /// <summary>The lead with its route, routing it now if it has none: recorded before its post, so that a post tried again goes to the same place.</summary>
    private async Task<Lead> RoutedAsync(Site site, Lead lead, CancellationToken cancellationToken)
    {
        if (lead.Route is not null) return lead;
        var route = await router.RouteAsync(site.Workspace, lead, workspaceSettings.Routing(site.Workspace.Id), new HashSet<long>(), site.People, cancellationToken);
        await leads.SetRouteAsync(lead.Id, route, reroute: false, cancellationToken);
        return lead with { Route = route };
    }

    /// <summary>A workspace and its people, as one pass reads them once.</summary>
    private sealed record Site(Workspace Workspace, IReadOnlyList<Person> People);

    private async Task<Site?> SiteAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (_sites.TryGetValue(workspaceId, out var site)) return site;
        var workspace = await workspaces.FindAsync(workspaceId, cancellationToken);
        site = workspace is null ? null : new Site(workspace, await people.ListAsync(workspace.Id, cancellationToken));
        if (site is not null) _sites[workspaceId] = site;
        return site;
    }

    private readonly Dictionary<long, Lead> _prepared = [];
    private readonly Dictionary<string, Site> _sites = new(StringComparer.Ordinal);

    private Task<Delivery> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken) => entry.Message switch
    {
        PostHandoff m => PostHandoffAsync(entry, m.Lead, cancellationToken),
        RefreshCard m => RefreshCardAsync(entry, m.Lead, cancellationToken),
        PostInThread m => PostInThreadAsync(entry, m, cancellationToken),
        PostReasonPrompt m => PostReasonPromptAsync(entry, m, cancellationToken),
        PostToChannel m => PostToChannelAsync(entry, m, cancellationToken),
        SendDirect m => SendDirectAsync(entry, m, cancellationToken),
        AddBotReaction m => AddReactionAsync(entry, m, cancellationToken),
        PostNote m => PostNoteAsync(entry, m, cancellationToken),
        RedactPost m => RedactPostAsync(entry, m, cancellationToken),
        RenameThread m => RenameThreadAsync(entry, m.Lead, cancellationToken),
        _ => throw new InvalidOperationException($"Unknown outbox message {entry.Message.GetType().Name}."),
    };

    private async Task<Delivery> PostHandoffAsync(OutboxEntry entry, long leadId, CancellationToken cancellationToken)
    {
        // Prepared with the lease, or read (and routed, in its own transaction) now.
        if (!_prepared.TryGetValue(entry.Id, out var lead))
        {
            var read = await leads.GetAsync(leadId, cancellationToken);
            if (read is null || read.Handoff is not null) return await CompleteAsync(entry, cancellationToken);
            var at = await SiteAsync(read.WorkspaceId, cancellationToken)
                     ?? throw new ChatPlatformException($"The workspace '{read.WorkspaceId}' no longer exists.", transient: false);
            lead = await unitOfWork.InTransactionAsync(ct => RoutedAsync(at, read, ct), cancellationToken);
        }
        var route = lead.Route!;
        var site = _sites[lead.WorkspaceId];
        var workspace = site.Workspace;
        var platform = platforms.Get(workspace.Platform);

        var place = new PlaceRef(workspace.Platform, workspace.Id, route.PlaceId);
        if (!TryAcquireSlot(place, platform, out var nextSlot)) return new Delivery.Wait(nextSlot, Paced: true);

        var snapshot = await snapshots.LoadAsync(lead, workspace, site.People, cancellationToken);
        // Read before posting: once the card is out, reps can click it, so its record must follow at once.
        var slaDueFrom = await slaDeadlines.ForWorkspaceAsync(workspace.Id, cancellationToken);
        var posted = await platform.PostAsync(place, new OutgoingMessage(Card: cards.Render(snapshot)), installation.IdempotencyKey($"handoff-{lead.Id}"), cancellationToken);
        var thread = await platform.OpenThreadAsync(posted, ThreadName(lead), cancellationToken);

        var postedAt = clock.GetUtcNow();
        var slaDue = slaDueFrom(postedAt);
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await leads.RecordHandoffAsync(lead.Id, posted, thread.Id, postedAt, slaDue, ct);
            await postedMessages.RecordAsync(new PostedMessage(posted, PostedKind.Handoff, lead.Id, null), ct);
            if (route.AssigneeId is { } assignee)
            {
                var name = snapshot.NameOf(assignee);
                await outbox.EnqueueAsync(workspace.Id, new PostInThread(lead.Id, $"Assigned to {name}. {route.Reason}", [assignee]), postedAt, ct);
            }
            else if (route.Pool.Count > 0)
            {
                await outbox.EnqueueAsync(workspace.Id, new PostInThread(lead.Id, route.Reason, route.Pool), postedAt, ct);
            }
            await outbox.CompleteAsync(entry.Id, postedAt, ct);
            return true;
        }, cancellationToken);

        if (slaDue is { } due) slaTimers.Add(lead.Id, due, postedAt);
        LogPosted(logger, lead.Id, workspace.Id, place.Id);
        return new Delivery.Done();
    }

    private async Task<Delivery> RefreshCardAsync(OutboxEntry entry, long leadId, CancellationToken cancellationToken)
    {
        // Changes that come meanwhile find this entry waiting and join it (IOutboxStore.EnqueueOnceAsync).
        if (!pacer.TryRedraw(leadId, out var next)) return new Delivery.Later(next);
        var snapshot = await snapshots.LoadAsync(leadId, cancellationToken);
        if (snapshot is null) return await CompleteAsync(entry, cancellationToken);
        if (snapshot.Lead.Handoff is not { } handoff) return NeverPosted;

        await platforms.Get(handoff.Platform).UpdateAsync(handoff, new OutgoingMessage(Card: cards.Render(snapshot)), cancellationToken);
        return await CompleteAsync(entry, cancellationToken);
    }

    private async Task<Delivery> RedactPostAsync(OutboxEntry entry, RedactPost redact, CancellationToken cancellationToken)
    {
        await platforms.Get(redact.Message.Platform).UpdateAsync(redact.Message, new OutgoingMessage(RedactedText), cancellationToken);
        return await CompleteAsync(entry, cancellationToken);
    }

    private async Task<Delivery> RenameThreadAsync(OutboxEntry entry, long leadId, CancellationToken cancellationToken)
    {
        var lead = await leads.GetAsync(leadId, cancellationToken);
        if (lead?.Thread is { } thread) await platforms.Get(thread.Platform).RenameThreadAsync(thread, ThreadName(lead), cancellationToken);
        return await CompleteAsync(entry, cancellationToken);
    }

    /// <summary>What a redacted thread note or reason prompt says instead.</summary>
    public const string RedactedText = "(Removed: this lead's personal data was erased.)";

    private async Task<Delivery> PostInThreadAsync(OutboxEntry entry, PostInThread note, CancellationToken cancellationToken)
    {
        var lead = await leads.GetAsync(note.Lead, cancellationToken);
        if (lead is null) return await CompleteAsync(entry, cancellationToken);
        if (lead.Thread is not { } thread) return NeverPosted;

        var message = new OutgoingMessage(note.Text, Notify: await MentionsAsync(note.Notify, cancellationToken));
        return await PostAsync(entry, thread, message, PostedKind.ThreadNote, lead.Id, null, cancellationToken);
    }

    private async Task<Delivery> PostReasonPromptAsync(OutboxEntry entry, PostReasonPrompt prompt, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.LoadAsync(prompt.Lead, cancellationToken);
        if (snapshot is null) return await CompleteAsync(entry, cancellationToken);
        if (snapshot.Lead.Thread is not { } thread) return NeverPosted;

        var options = await feedback.ListReasonOptionsAsync(snapshot.Lead.WorkspaceId, cancellationToken);
        var person = snapshot.People.GetValueOrDefault(prompt.PersonId);
        var message = new OutgoingMessage(
            Card: HandoffCards.ReasonPrompt(snapshot, prompt.PersonId, prompt.Rating, options),
            Notify: person is null ? null : [new Mention(person.PlatformUserId, person.DisplayName)]);
        return await PostAsync(entry, thread, message, PostedKind.ReasonPrompt, snapshot.Lead.Id, prompt.PersonId, cancellationToken);
    }

    private async Task<Delivery> PostToChannelAsync(OutboxEntry entry, PostToChannel note, CancellationToken cancellationToken)
    {
        var workspace = await RequireWorkspaceAsync(note.WorkspaceId, cancellationToken);
        var place = new PlaceRef(workspace.Platform, workspace.Id, note.PlaceId);
        var message = new OutgoingMessage(note.Text, Notify: await MentionsAsync(note.Notify, cancellationToken));
        return await PostAsync(entry, place, message, PostedKind.Notice, null, null, cancellationToken);
    }

    private async Task<Delivery> SendDirectAsync(OutboxEntry entry, SendDirect direct, CancellationToken cancellationToken)
    {
        var person = await people.FindAsync(direct.PersonId, cancellationToken);
        if (person is null) return await CompleteAsync(entry, cancellationToken);
        var workspace = await RequireWorkspaceAsync(direct.WorkspaceId, cancellationToken);
        var place = await platforms.Get(workspace.Platform).OpenDirectAsync(workspace.Id, person.PlatformUserId, cancellationToken);
        return await PostAsync(entry, place, new OutgoingMessage(direct.Text), PostedKind.Notice, null, person.Id, cancellationToken);
    }

    private async Task<Delivery> PostNoteAsync(OutboxEntry entry, PostNote note, CancellationToken cancellationToken)
    {
        var workspace = await RequireWorkspaceAsync(note.WorkspaceId, cancellationToken);
        var platform = platforms.Get(workspace.Platform);
        PlaceRef place;
        if (note.Target.Person is { } personId)
        {
            var person = await people.FindAsync(personId, cancellationToken);
            if (person is null) return await CompleteAsync(entry, cancellationToken);
            place = await platform.OpenDirectAsync(workspace.Id, person.PlatformUserId, cancellationToken);
        }
        else if (note.Target.ThreadOf is { } subject)
        {
            // Notes of one sequence go out in order, so the note it belongs under is posted by now, or never was.
            var root = await postedMessages.FindBySubjectAsync(workspace.Id, subject, cancellationToken);
            if (root is null) return new Delivery.Dropped($"the note '{subject}' it belongs under was never posted");
            place = new PlaceRef(workspace.Platform, workspace.Id, root.Thread ?? root.Message.PlaceId);
        }
        else
        {
            place = new PlaceRef(workspace.Platform, workspace.Id, note.Target.Channel ?? workspace.Places.General);
        }

        var message = new OutgoingMessage(note.Text, Notify: await MentionsAsync(note.Notify, cancellationToken));
        return await PostAsync(entry, place, message, note.OpenThread,
            (posted, thread) => new PostedMessage(posted, PostedKind.Note, null, note.Target.Person, note.Subject, thread), cancellationToken);
    }

    private async Task<Delivery> AddReactionAsync(OutboxEntry entry, AddBotReaction reaction, CancellationToken cancellationToken)
    {
        await platforms.Get(reaction.Message.Platform).AddReactionAsync(reaction.Message, reaction.Emoji, cancellationToken);
        return await CompleteAsync(entry, cancellationToken);
    }

    private Task<Delivery> PostAsync(
        OutboxEntry entry, PlaceRef place, OutgoingMessage message, PostedKind kind, long? leadId, long? personId, CancellationToken cancellationToken) =>
        PostAsync(entry, place, message, null, (posted, _) => new PostedMessage(posted, kind, leadId, personId), cancellationToken);

    /// <summary>
    /// Posts at the place's pace under the entry's idempotency key, opens a thread under the post when asked, and records
    /// what <paramref name="record"/> makes of the post and its thread together with the entry's completion.
    /// </summary>
    private async Task<Delivery> PostAsync(
        OutboxEntry entry, PlaceRef place, OutgoingMessage message, string? openThread, Func<MessageRef, string?, PostedMessage> record,
        CancellationToken cancellationToken)
    {
        var platform = platforms.Get(place.Platform);
        if (!TryAcquireSlot(place, platform, out var nextSlot)) return new Delivery.Wait(nextSlot, Paced: true);

        var posted = await platform.PostAsync(place, message, installation.IdempotencyKey($"outbox-{entry.Id}"), cancellationToken);
        var thread = openThread is { } name ? await platform.OpenThreadAsync(posted, MessageLimits.Cut(name, 100)!, cancellationToken) : null;
        var now = clock.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await postedMessages.RecordAsync(record(posted, thread?.Id), ct);
            await outbox.CompleteAsync(entry.Id, now, ct);
            return true;
        }, cancellationToken);
        return new Delivery.Done();
    }

    /// <summary>Entries of a lead are taken only after its handoff, so a lead without a posted handoff here never had one posted.</summary>
    private static readonly Delivery NeverPosted = new Delivery.Dropped("the lead's handoff was never posted, so there is no card or thread to use");

    private async Task<Delivery> CompleteAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        await outbox.CompleteAsync(entry.Id, clock.GetUtcNow(), cancellationToken);
        return new Delivery.Done();
    }

    /// <summary>
    /// A slot at the place's pace. Once a place is full in this pass, later entries for it wait too, even if a slot frees
    /// up meanwhile (the window slides while the pass posts): otherwise a later lead could take it before earlier ones.
    /// </summary>
    private bool TryAcquireSlot(PlaceRef place, IChatPlatform platform, out DateTimeOffset nextSlot)
    {
        if (_full.TryGetValue(place, out nextSlot)) return false;
        if (pacer.TryAcquire(place, platform.PaceFor(place), out nextSlot)) return true;
        _full[place] = nextSlot;
        return false;
    }

    private readonly Dictionary<PlaceRef, DateTimeOffset> _full = [];

    /// <summary>The platform a workspace is on (null for a workspace that is gone), read once per pass.</summary>
    private async Task<string?> PlatformOfAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (!_platformOf.TryGetValue(workspaceId, out var platform))
        {
            _platformOf[workspaceId] = platform = (await workspaces.FindAsync(workspaceId, cancellationToken))?.Platform;
        }
        return platform;
    }

    private readonly Dictionary<string, string?> _platformOf = new(StringComparer.Ordinal);

    /// <summary>Records the failure; when the platform is down, when it may be tried again.</summary>
    private async Task<DateTimeOffset?> FailedAsync(OutboxEntry entry, string? platform, Exception error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var kind = OutboxCodec.Kind(entry.Message);
        if (error is ChatPlatformException { Transient: false })
        {
            LogGaveUp(logger, error, entry.Id, kind);
            await outbox.FailAsync(entry.Id, now, error.Message, cancellationToken);
            if (entry.Message is PostHandoff handoff) await HandoffRefusedAsync(entry, handoff.Lead, error.Message, cancellationToken);
            return null;
        }

        // The platform is unavailable (not a rate limit, which says how long to wait): everything for it waits, this
        // entry too, in its place in the queue, so that the queue drains in its order when a probe goes through.
        if (error is ChatPlatformException { Transient: true, RetryAfter: null } && platform is not null)
        {
            var retryAt = outages.Failed(platform, error.Message, now);
            LogRetry(logger, error, entry.Id, kind, entry.Attempts + 1, retryAt - now);
            await outbox.PostponeAsync(entry.Id, entry.DueAt, error.Message, failed: true, cancellationToken);
            return retryAt;
        }

        // Exponential backoff with jitter, or what the platform asked for.
        var delay = error is ChatPlatformException { RetryAfter: { } retryAfter } ? retryAfter : settings.Backoff(entry.Attempts + 1);
        LogRetry(logger, error, entry.Id, kind, entry.Attempts + 1, delay);
        await outbox.PostponeAsync(entry.Id, now + delay, error.Message, failed: true, cancellationToken);
        return null;
    }

    /// <summary>
    /// The platform will never take this lead's card: what waits behind it cannot be delivered either, and the
    /// marketing channel is told, so that an acknowledged lead is never silently lost.
    /// </summary>
    private async Task HandoffRefusedAsync(OutboxEntry entry, long leadId, string problem, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var workspace = await workspaces.FindAsync(entry.WorkspaceId, cancellationToken);
        var lead = await leads.GetAsync(leadId, cancellationToken);
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await outbox.FailPendingForLeadAsync(leadId, now, "its handoff could not be posted: " + problem, ct);
            if (workspace is not null && lead is not null)
            {
                await outbox.EnqueueAsync(workspace.Id, new PostToChannel(workspace.Id, workspace.Places.Marketing,
                    $"⚠️ Lead #{leadId} ({lead.Data.DisplayName}) could not be posted for sales: {problem} " +
                    $"Check that TeamBot may post in #{lead.Route?.PlaceId ?? workspace.Places.Handoffs}. The lead is kept: /leads show lead:{leadId}.", []), now, ct);
            }
            return true;
        }, cancellationToken);
    }

    private async Task UpdateQueueNoticesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PostQueueNoticesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A notice is a courtesy: a platform that fails it must not hold up the posts themselves.
            LogNoticeFailed(logger, ex);
        }
    }

    private async Task PostQueueNoticesAsync(CancellationToken cancellationToken)
    {
        var pending = await outbox.CountPendingHandoffsAsync(cancellationToken);
        foreach (var workspaceId in pending.Keys.Union(notices.ActiveWorkspaces).ToList())
        {
            var count = pending.GetValueOrDefault(workspaceId);
            var workspace = await workspaces.FindAsync(workspaceId, cancellationToken);
            // While the platform is down, the notice waits with the posts: it would only add a failing request.
            if (workspace is null || outages.WaitUntil(workspace.Platform, clock.GetUtcNow()) is not null) continue;
            var platform = platforms.Get(workspace.Platform);
            var place = new PlaceRef(workspace.Platform, workspace.Id, workspace.Places.Handoffs);
            var text = notices.TextFor(workspaceId, count, settings.QueueNoticeThreshold, platform.PaceFor(place));
            if (text is null || !pacer.TryAcquire(place, platform.PaceFor(place), out _)) continue;
            try
            {
                await platform.PostAsync(place, new OutgoingMessage(text), installation.IdempotencyKey($"queue-{workspaceId}-{clock.GetUtcNow().ToUnixTimeMilliseconds()}"), cancellationToken);
            }
            catch (ChatPlatformException ex) when (ex is { Transient: true, RetryAfter: null })
            {
                // The notice found the platform down: it was the probe, and the posts wait for the next one.
                outages.Failed(workspace.Platform, ex.Message, clock.GetUtcNow());
                throw;
            }
            notices.Posted(workspaceId, count);
        }
    }

    private async Task<IReadOnlyList<Mention>> MentionsAsync(IReadOnlyList<long> personIds, CancellationToken cancellationToken)
    {
        var mentions = new List<Mention>(personIds.Count);
        foreach (var id in personIds)
        {
            if (await people.FindAsync(id, cancellationToken) is { } person) mentions.Add(new Mention(person.PlatformUserId, person.DisplayName));
        }
        return mentions;
    }

    private async Task<Workspace> RequireWorkspaceAsync(string workspaceId, CancellationToken cancellationToken) =>
        await workspaces.FindAsync(workspaceId, cancellationToken)
        ?? throw new ChatPlatformException($"The workspace '{workspaceId}' no longer exists.", transient: false);

    /// <summary>A lead's thread is named after the person and their company, until their personal data is erased.</summary>
    internal static string ThreadName(Lead lead)
    {
        if (lead.IsErased) return $"Lead #{lead.Id} (personal data erased)";
        var name = $"Lead #{lead.Id}: {lead.Data.DisplayName}" + (lead.Data.Company is null ? "" : $" ({lead.Data.Company})");
        return MessageLimits.Cut(name, 100)!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted the handoff of lead {LeadId} in workspace {Workspace}, place {Place}")]
    private static partial void LogPosted(ILogger logger, long leadId, string workspace, string place);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering outbox entry {EntryId} ({Kind}) failed (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, Exception error, long entryId, string kind, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Platform} takes posts again, after failing {Failures} times since {Since}; the queue drains in order")]
    private static partial void LogBack(ILogger logger, string platform, DateTimeOffset since, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "The platform refused outbox entry {EntryId} ({Kind}) for good; it will not be retried")]
    private static partial void LogGaveUp(ILogger logger, Exception error, long entryId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox entry {EntryId} ({Kind}) cannot be delivered: {Why}")]
    private static partial void LogDropped(ILogger logger, long entryId, string kind, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing handoffs with their lease failed; they are leased alone and routed one by one")]
    private static partial void LogPrepareFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not put off {Count} card redraws; they are drawn when their lease ends, within {Seconds} s")]
    private static partial void LogPostponeFailed(ILogger logger, Exception error, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Posting a queue notice failed; the posts themselves go on")]
    private static partial void LogNoticeFailed(ILogger logger, Exception error);
}

/// <summary>Remembers which channels were told that handoffs are queued, so they hear it once and hear when it is over.</summary>
public sealed class QueueNotices
{
    private readonly Dictionary<string, int> _active = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public bool AnyActive
    {
        get { lock (_lock) return _active.Count > 0; }
    }

    public IReadOnlyList<string> ActiveWorkspaces
    {
        get { lock (_lock) return _active.Keys.ToList(); }
    }

    /// <summary>The notice to post now, if any.</summary>
    public string? TextFor(string workspaceId, int pending, int threshold, PostingPace pace)
    {
        lock (_lock)
        {
            var active = _active.TryGetValue(workspaceId, out var announced);
            // Only a burst that keeps the channel waiting is worth a notice: at least ten seconds of posting.
            if (!active && pending > threshold && pace.Posts != int.MaxValue && pending / pace.PerSecond >= 10)
            {
                var rate = pace.PerSecond >= 1
                    ? $"about {pace.PerSecond.ToString("0.#", CultureInfo.InvariantCulture)} per second"
                    : $"about {pace.Posts} every {Durations.Spoken(pace.Per)}";
                var eta = $", all posted in about {Durations.Spoken(TimeSpan.FromSeconds(pending / pace.PerSecond))}";
                return $"⏳ {"new lead".ToQuantity(pending)} {(pending == 1 ? "is" : "are")} queued for this channel. " +
                       $"Posting {rate} to stay within the platform's limits{eta}.";
            }
            if (active && pending == 0)
            {
                return $"✅ The queue is clear: all {"queued lead".ToQuantity(announced)} (and any that came after) are posted.";
            }
            return null;
        }
    }

    public void Posted(string workspaceId, int pending)
    {
        lock (_lock)
        {
            if (pending == 0) _active.Remove(workspaceId);
            else _active[workspaceId] = pending;
        }
    }
}
