using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Digests;

namespace TeamBot.Data.Stores;

/// <summary>The digest schedule, the scheduled digests posted, and the rejection alerts sent; unique keys make each happen once.</summary>
internal sealed class EfDigestStore(TeamBotDbContext db) : IDigestStore, IRejectionAlertStore
{
    public async Task<IReadOnlyList<string>> ListWorkspaceIdsAsync(CancellationToken cancellationToken) =>
        await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).Select(w => w.Id).ToListAsync(cancellationToken);

    public async Task<DateTimeOffset?> GetDueAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await db.DigestSchedules.AsNoTracking().FirstOrDefaultAsync(d => d.WorkspaceId == workspaceId, cancellationToken))?.DueAt;

    public async Task SetDueAsync(string workspaceId, DateTimeOffset? dueAt, CancellationToken cancellationToken)
    {
        var updated = await db.DigestSchedules.Where(d => d.WorkspaceId == workspaceId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.DueAt, dueAt), cancellationToken);
        if (updated > 0) return;
        db.DigestSchedules.Add(new DigestScheduleRow { WorkspaceId = workspaceId, DueAt = dueAt });
        if (await TrySaveAsync(() => db.DigestSchedules.AnyAsync(d => d.WorkspaceId == workspaceId, cancellationToken), cancellationToken)) return;
        // Someone else created the row meanwhile: set it.
        await db.DigestSchedules.Where(d => d.WorkspaceId == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(d => d.DueAt, dueAt), cancellationToken);
    }

    public async Task<bool> TryRecordPostedAsync(string workspaceId, DateOnly weekStart, DateTimeOffset dueAt, DateTimeOffset postedAt, CancellationToken cancellationToken)
    {
        if (await WasPostedAsync(workspaceId, weekStart, cancellationToken)) return false;
        db.Digests.Add(new DigestRow { WorkspaceId = workspaceId, WeekStart = weekStart, DueAt = dueAt, PostedAt = postedAt });
        return await TrySaveAsync(() => WasPostedAsync(workspaceId, weekStart, cancellationToken), cancellationToken);
    }

    public Task<bool> WasPostedAsync(string workspaceId, DateOnly weekStart, CancellationToken cancellationToken) =>
        db.Digests.AsNoTracking().AnyAsync(d => d.WorkspaceId == workspaceId && d.WeekStart == weekStart, cancellationToken);

    public async Task<bool> TryRecordAsync(RejectionAlertRecord alert, CancellationToken cancellationToken)
    {
        Task<bool> Sent() => db.RejectionAlerts.AsNoTracking()
            .AnyAsync(a => a.WorkspaceId == alert.WorkspaceId && a.Kind == alert.Kind && a.Key == alert.Key && a.WeekStart == alert.WeekStart, cancellationToken);
        if (await Sent()) return false;
        db.RejectionAlerts.Add(new RejectionAlertRow
        {
            WorkspaceId = alert.WorkspaceId,
            Kind = alert.Kind,
            Key = alert.Key,
            WeekStart = alert.WeekStart,
            Leads = alert.Leads,
            Rejected = alert.Rejected,
            SentAt = alert.SentAt,
        });
        return await TrySaveAsync(Sent, cancellationToken);
    }

    public async Task<IReadOnlySet<(string Kind, string Key)>> ListSentAsync(string workspaceId, DateOnly weekStart, CancellationToken cancellationToken) =>
        (await db.RejectionAlerts.AsNoTracking()
            .Where(a => a.WorkspaceId == workspaceId && a.WeekStart == weekStart)
            .Select(a => new { a.Kind, a.Key })
            .ToListAsync(cancellationToken))
        .Select(a => (a.Kind, a.Key)).ToHashSet();

    public async Task<IReadOnlyList<RejectionCount>> CountAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        const int reject = (int)Core.Feedback.Rating.Reject;
        // One grouped pass over the period's leads; per lead, an index search for a rep whose current rating is a reject.
        return await db.Leads.AsNoTracking()
            .Where(l => l.WorkspaceId == workspaceId && l.ReceivedAt >= from && l.ReceivedAt < to)
            .GroupBy(l => new { l.Source, l.Campaign })
            .Select(g => new RejectionCount(
                g.Key.Source,
                g.Key.Campaign,
                g.Count(),
                g.Count(l => db.Ratings.Any(r => r.LeadId == l.Id && r.RetractedAt == null && r.Rating == reject
                                                 && !db.Ratings.Any(n => n.LeadId == r.LeadId && n.PersonId == r.PersonId && n.RetractedAt == null
                                                                         && (n.At > r.At || (n.At == r.At && n.Id > r.Id)))))))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Saves the new row; false when it exists already (a race the check above lost). Inside a
    /// transaction EF Core saves behind a savepoint, so the transaction stays usable after the refusal.
    /// </summary>
    private async Task<bool> TrySaveAsync(Func<Task<bool>> exists, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList()) entry.State = EntityState.Detached;
            if (await exists()) return false;
            throw;
        }
    }
}
