namespace TeamBot.Core.Digests;

/// <summary>Where the weekly digests' schedule and postings are kept.</summary>
public interface IDigestStore
{
    Task<IReadOnlyList<string>> ListWorkspaceIdsAsync(CancellationToken cancellationToken);

    /// <summary>When the workspace's next scheduled digest is due, or null when it has no schedule (yet).</summary>
    Task<DateTimeOffset?> GetDueAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>Sets (or with null, clears) when the next scheduled digest is due.</summary>
    Task SetDueAsync(string workspaceId, DateTimeOffset? dueAt, CancellationToken cancellationToken);

    /// <summary>Records the scheduled digest of a week as posted; false when that week's was already recorded (a double fire).</summary>
    Task<bool> TryRecordPostedAsync(string workspaceId, DateOnly weekStart, DateTimeOffset dueAt, DateTimeOffset postedAt, CancellationToken cancellationToken);

    Task<bool> WasPostedAsync(string workspaceId, DateOnly weekStart, CancellationToken cancellationToken);
}

/// <summary>Fires <see cref="WeeklyDigests.RunScheduledAsync"/> for a workspace at a time; implementations must survive restarts.</summary>
public interface IDigestScheduler
{
    /// <summary>Sets the workspace's digest timer, replacing an earlier one. A failure is logged, not thrown: the sweep repairs it.</summary>
    Task ScheduleAsync(string workspaceId, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>Sets the timer only if it is missing or set for another time.</summary>
    Task EnsureAsync(string workspaceId, DateTimeOffset dueAt, CancellationToken cancellationToken);

    Task CancelAsync(string workspaceId, CancellationToken cancellationToken);
}

/// <summary>An alert sent to marketing about a source's or campaign's rejections.</summary>
public sealed record RejectionAlertRecord(string WorkspaceId, string Kind, string Key, DateOnly WeekStart, int Leads, int Rejected, DateTimeOffset SentAt);

public interface IRejectionAlertStore
{
    /// <summary>Records an alert; false when one was already sent for this source (or campaign) this week.</summary>
    Task<bool> TryRecordAsync(RejectionAlertRecord alert, CancellationToken cancellationToken);

    /// <summary>The alerts already sent in the week starting <paramref name="weekStart"/>, as (kind, key) pairs.</summary>
    Task<IReadOnlySet<(string Kind, string Key)>> ListSentAsync(string workspaceId, DateOnly weekStart, CancellationToken cancellationToken);

    /// <summary>
    /// For each source and campaign pair (exactly as stored, null for none), how many of the workspace's leads received in
    /// [from, to) it has, and how many of those a rep rejects now (their latest rating not taken back is a reject): the
    /// counts the alert's rate is taken from, without reading the leads.
    /// </summary>
    Task<IReadOnlyList<RejectionCount>> CountAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>Leads of one source and campaign pair in a period, and how many of them are rejected.</summary>
public sealed record RejectionCount(string? Source, string? Campaign, int Leads, int Rejected);
