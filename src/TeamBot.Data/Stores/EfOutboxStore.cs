using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;

namespace TeamBot.Data.Stores;

internal sealed class EfOutboxStore(TeamBotDbContext db) : IOutboxStore, IPostedMessageStore
{
    public Task EnqueueAsync(string workspaceId, OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken) =>
        EnqueueAllAsync(workspaceId, [message], now, cancellationToken);

    public async Task EnqueueAllAsync(string workspaceId, IReadOnlyList<OutboxMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return;
        await RowInserter.AddAsync(db, [.. messages.Select(message => new OutboxRow
        {
            WorkspaceId = workspaceId,
            Kind = OutboxCodec.Kind(message),
            LeadId = message.LeadId,
            Sequence = message.SequenceKey,
            Payload = OutboxCodec.Encode(message),
            CreatedAt = now,
            DueAt = now,
        })], cancellationToken);
    }

    public async Task EnqueueOnceAsync(string workspaceId, OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kind = OutboxCodec.Kind(message);
        var payload = OutboxCodec.Encode(message);
        var waiting = await Unleased(now).AnyAsync(o => o.Kind == kind && o.LeadId == message.LeadId && o.Payload == payload, cancellationToken);
        if (!waiting) await EnqueueAsync(workspaceId, message, now, cancellationToken);
    }

    public async Task EnqueueOnceAllAsync(IReadOnlyList<(string WorkspaceId, OutboxMessage Message)> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (messages.Any(m => m.Message.LeadId is null))
        {
            foreach (var (workspaceId, message) in messages) await EnqueueOnceAsync(workspaceId, message, now, cancellationToken);
            return;
        }
        var leadIds = messages.Select(m => m.Message.LeadId!.Value).Distinct().ToList();
        var waiting = (await Unleased(now).Where(o => o.LeadId != null && leadIds.Contains(o.LeadId.Value))
                .Select(o => new { o.Kind, o.LeadId, o.Payload }).ToListAsync(cancellationToken))
            .Select(o => (o.Kind, o.LeadId, o.Payload)).ToHashSet();
        foreach (var group in messages.Where(m => waiting.Add((OutboxCodec.Kind(m.Message), m.Message.LeadId, OutboxCodec.Encode(m.Message)))).GroupBy(m => m.WorkspaceId))
        {
            await EnqueueAllAsync(group.Key, [.. group.Select(m => m.Message)], now, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<OutboxEntry>> TakeDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        var candidates = await Due(now)
            .Where(o => o.LeadId == null || !db.Outbox.Any(e => e.LeadId == o.LeadId && e.Id < o.Id && e.CompletedAt == null && e.FailedAt == null))
            .Where(o => o.Sequence == null || !db.Outbox.Any(e => e.Sequence == o.Sequence && e.Id < o.Id && e.CompletedAt == null && e.FailedAt == null))
            .OrderBy(o => o.Id).Select(o => o.Id).Take(limit).ToListAsync(cancellationToken);
        if (candidates.Count == 0) return [];

        // Only rows nobody else leased in the meantime are ours: they carry our token.
        var token = Guid.NewGuid().ToString("N");
        await db.Outbox.Where(o => candidates.Contains(o.Id) && o.CompletedAt == null && o.FailedAt == null && (o.LockedUntil == null || o.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.LockedBy, token).SetProperty(o => o.LockedUntil, leaseUntil), cancellationToken);
        var rows = await db.Outbox.AsNoTracking().Where(o => o.LockedBy == token).OrderBy(o => o.Id).ToListAsync(cancellationToken);
        return rows.Select(r => new OutboxEntry(r.Id, r.WorkspaceId, OutboxCodec.Decode(r.Payload), r.Attempts, r.DueAt)).ToList();
    }

    public async Task<bool> AnyDueAsync(DateTimeOffset now, CancellationToken cancellationToken) => await Due(now).AnyAsync(cancellationToken);

    public async Task ReleaseAsync(IReadOnlyCollection<long> entryIds, CancellationToken cancellationToken) =>
        await db.Outbox.Where(o => entryIds.Contains(o.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.LockedBy, (string?)null).SetProperty(o => o.LockedUntil, (DateTimeOffset?)null), cancellationToken);

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        await Pending().OrderBy(o => o.DueAt).Select(o => (DateTimeOffset?)o.DueAt).FirstOrDefaultAsync(cancellationToken);

    public async Task CompleteAsync(long entryId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await db.Outbox.Where(o => o.Id == entryId).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.CompletedAt, at)
            .SetProperty(o => o.LockedBy, (string?)null)
            .SetProperty(o => o.LockedUntil, (DateTimeOffset?)null), cancellationToken);

    public async Task PostponeAsync(long entryId, DateTimeOffset dueAt, string? problem, bool failed, CancellationToken cancellationToken) =>
        await db.Outbox.Where(o => o.Id == entryId).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.DueAt, dueAt)
            .SetProperty(o => o.LockedBy, (string?)null)
            .SetProperty(o => o.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(o => o.LastError, o => problem ?? o.LastError)
            .SetProperty(o => o.Attempts, o => o.Attempts + (failed ? 1 : 0)), cancellationToken);

    public async Task FailAsync(long entryId, DateTimeOffset at, string problem, CancellationToken cancellationToken) =>
        await db.Outbox.Where(o => o.Id == entryId).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.FailedAt, at)
            .SetProperty(o => o.LockedBy, (string?)null)
            .SetProperty(o => o.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(o => o.LastError, problem)
            .SetProperty(o => o.Attempts, o => o.Attempts + 1), cancellationToken);

    public async Task<bool> IsPendingAsync(string kind, long leadId, long? personId, CancellationToken cancellationToken)
    {
        var payloads = await Pending().Where(o => o.Kind == kind && o.LeadId == leadId).Select(o => o.Payload).ToListAsync(cancellationToken);
        return payloads.Select(OutboxCodec.Decode).Any(m => personId is null || m is PostReasonPrompt p && p.PersonId == personId);
    }

    public async Task FailPendingForLeadAsync(long leadId, DateTimeOffset at, string problem, CancellationToken cancellationToken) =>
        await db.Outbox.Where(o => o.LeadId == leadId && o.CompletedAt == null && o.FailedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.FailedAt, at)
                .SetProperty(o => o.LastError, problem)
                .SetProperty(o => o.LockedBy, (string?)null)
                .SetProperty(o => o.LockedUntil, (DateTimeOffset?)null), cancellationToken);

    public async Task<IReadOnlyDictionary<string, int>> CountPendingHandoffsAsync(CancellationToken cancellationToken) =>
        await Pending().Where(o => o.Kind == "handoff")
            .GroupBy(o => o.WorkspaceId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, cancellationToken);

    /// <summary>Deletes delivered entries older than <paramref name="before"/>; failed ones stay for inspection.</summary>
    public async Task<int> PurgeDeliveredAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        await db.Outbox.Where(o => o.CompletedAt != null && o.CompletedAt < before).ExecuteDeleteAsync(cancellationToken);

    public async Task RecordAsync(PostedMessage posted, CancellationToken cancellationToken)
    {
        var m = posted.Message;
        var exists = await db.PostedMessages.AnyAsync(
            p => p.Platform == m.Platform && p.WorkspaceId == m.Workspace && p.PlaceId == m.PlaceId && p.MessageId == m.MessageId, cancellationToken);
        if (exists) return;
        db.PostedMessages.Add(new PostedMessageRow
        {
            Platform = m.Platform,
            WorkspaceId = m.Workspace,
            PlaceId = m.PlaceId,
            MessageId = m.MessageId,
            Kind = (int)posted.Kind,
            LeadId = posted.LeadId,
            PersonId = posted.PersonId,
            Subject = posted.Subject,
            ThreadPlace = posted.Thread,
        });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public async Task<PostedMessage?> FindAsync(MessageRef message, CancellationToken cancellationToken)
    {
        var row = await Posted(db, message).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToPosted(row);
    }

    /// <summary>The record of a message TeamBot posted (at most one), found by its key.</summary>
    internal static IQueryable<PostedMessageRow> Posted(TeamBotDbContext db, MessageRef message) =>
        db.PostedMessages.AsNoTracking()
            .Where(p => p.Platform == message.Platform && p.WorkspaceId == message.Workspace && p.PlaceId == message.PlaceId && p.MessageId == message.MessageId);

    public async Task<PostedMessage?> FindBySubjectAsync(string workspaceId, string subject, CancellationToken cancellationToken)
    {
        var row = await db.PostedMessages.AsNoTracking().Where(p => p.WorkspaceId == workspaceId && p.Subject == subject)
            .OrderBy(p => p.MessageId.Length).ThenBy(p => p.MessageId).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToPosted(row);
    }

    public async Task<PostedMessage?> FindByThreadAsync(PlaceRef thread, CancellationToken cancellationToken)
    {
        var row = await db.PostedMessages.AsNoTracking().FirstOrDefaultAsync(
            p => p.Platform == thread.Platform && p.WorkspaceId == thread.Workspace && p.ThreadPlace == thread.Id, cancellationToken);
        return row is null ? null : ToPosted(row);
    }

    private static PostedMessage ToPosted(PostedMessageRow row) =>
        new(new MessageRef(row.Platform, row.WorkspaceId, row.PlaceId, row.MessageId), (PostedKind)row.Kind, row.LeadId, row.PersonId, row.Subject, row.ThreadPlace);

    public async Task<bool> AnyAsync(long leadId, PostedKind kind, long? personId, CancellationToken cancellationToken) =>
        await db.PostedMessages.AnyAsync(p => p.LeadId == leadId && p.Kind == (int)kind && (personId == null || p.PersonId == personId), cancellationToken);

    private IQueryable<OutboxRow> Pending() => db.Outbox.AsNoTracking().Where(o => o.CompletedAt == null && o.FailedAt == null);

    /// <summary>Pending entries that nobody holds a lease on at <paramref name="now"/>.</summary>
    private IQueryable<OutboxRow> Unleased(DateTimeOffset now) => Pending().Where(o => o.LockedUntil == null || o.LockedUntil < now);

    /// <summary>Pending entries due by <paramref name="now"/> that nobody holds a lease on.</summary>
    private IQueryable<OutboxRow> Due(DateTimeOffset now) => Unleased(now).Where(o => o.DueAt <= now);
}
