using System.Globalization;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Leads;

/// <summary>Bound from <c>Intake</c>.</summary>
public sealed class IntakeSettings
{
    public int MaxLeadsPerRequest { get; set; } = 1000;

    /// <summary>The largest webhook body accepted, in bytes; bigger gets 413.</summary>
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The same email and company within this many days is a duplicate.</summary>
    public double DedupeWindowDays { get; set; } = 30;

    /// <summary>How old a signed request's timestamp may be, in seconds, either way.</summary>
    public int SignatureToleranceSeconds { get; set; } = 300;

    /// <summary>
    /// At most this many webhook leads wait to be stored; a request that would queue more is answered 503 with
    /// <c>Retry-After</c> at once, so memory stays bounded when senders offer more than the database can take.
    /// </summary>
    public int MaxQueuedLeads { get; set; } = 10_000;

    /// <summary>
    /// How long a webhook request may wait to be stored (in the queue and for the database's write lock) before it is
    /// answered 503 with nothing stored. Shorter than the database's own busy timeout, so a locked database answers in time.
    /// </summary>
    public int WriteTimeoutSeconds { get; set; } = 10;

    /// <summary>The <c>Retry-After</c>, in seconds, of a 503 for a full queue or a locked database.</summary>
    public int RetryAfterSeconds { get; set; } = 5;
}

/// <summary>
/// Takes validated leads in: stores the new ones and their pending handoff posts in one transaction, so that
/// a lead acknowledged to its sender is always posted, and a duplicate never makes a second handoff.
/// </summary>
public sealed class LeadIntake(ILeadStore leads, IOutboxStore outbox, IUnitOfWork unitOfWork, OutboxSignal signal, IntakeSettings settings, TimeProvider clock)
{
    /// <summary>
    /// Why a workspace cannot take leads now, or null when it can: without a handoffs channel, or once TeamBot was removed
    /// from the workspace's server, its handoffs would have nowhere to go. Every way in (webhook, CSV import, chat) asks this
    /// first and stores nothing when refused.
    /// </summary>
    public static string? Refusal(Workspace workspace) => RefusalOf(workspace)?.Detail;

    /// <summary>As <see cref="Refusal"/>, with a short title for the reason (the webhook's problem title).</summary>
    public static (string Title, string Detail)? RefusalOf(Workspace workspace)
    {
        if (workspace.LeftAt is { } left)
        {
            return ("TeamBot is not in the server",
                $"TeamBot is not in the server of {workspace.Name} (workspace {workspace.Id}) since {left.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC " +
                "(it was removed, or never added), so its handoffs cannot be posted: add TeamBot to the server before sending leads.");
        }
        return workspace.Places.Handoffs.Length == 0
            ? ("No handoffs channel", $"Workspace {workspace.Id} has no handoffs channel yet: an admin runs /setup handoffs in the channel where leads should go.")
            : null;
    }

    public async Task<IReadOnlyList<IntakeOutcome>> SubmitAsync(string workspaceId, IReadOnlyList<NewLead> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return [];
        var now = clock.GetUtcNow();
        var dedupe = new DedupePolicy(TimeSpan.FromDays(settings.DedupeWindowDays));
        var outcomes = await unitOfWork.InTransactionAsync(async ct =>
        {
            var results = await leads.AddAsync(workspaceId, batch, dedupe, now, ct);
            await outbox.EnqueueAllAsync(workspaceId, [.. results.Where(r => !r.Duplicate).Select(r => (OutboxMessage)new PostHandoff(r.LeadId))], now, ct);
            // Not before the commit: inside a caller's transaction (the webhook's group commit) the dispatcher would look for
            // the new entries too early, and wait for the writer's lock instead.
            unitOfWork.AfterCommit(signal.Notify);
            return results;
        }, cancellationToken);
        return outcomes;
    }
}
