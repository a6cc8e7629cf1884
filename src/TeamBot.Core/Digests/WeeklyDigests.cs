using Microsoft.Extensions.Logging;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Digests;

/// <summary>
/// Posts each workspace's weekly digest on its schedule, once per week, and on demand. The next due time is stored:
/// a timer that fires twice, or early, posts nothing extra; a digest missed while the bot was down is posted late at
/// start, as long as its next one is not due yet (a week later it is skipped, and says so in the log).
/// </summary>
public sealed partial class WeeklyDigests(
    IWorkspaceStore workspaces,
    IDigestStore store,
    IDigestScheduler scheduler,
    IDigestSettings settings,
    DigestBuilder builder,
    IOutboxStore outbox,
    IUnitOfWork unitOfWork,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<WeeklyDigests> logger)
{
    /// <summary>How long a missed digest may still be posted late: until the next one is due.</summary>
    public static readonly TimeSpan LateFor = TimeSpan.FromDays(7);

    /// <summary>The longest text in one post, per platform; the digest is split into parts that fit.</summary>
    public DigestSchedule ScheduleOf(Workspace workspace)
    {
        var own = settings.Digest(workspace.Id);
        return new DigestSchedule(own.ParsedDay, own.ParsedTime, workspace.TimeZone);
    }

    /// <summary>The timer fired: posts the due digest unless it was posted already, and sets the next timer.</summary>
    public async Task RunScheduledAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FindAsync(workspaceId, cancellationToken);
        if (workspace is null) return;
        if (!settings.Digest(workspaceId).Enabled)
        {
            await store.SetDueAsync(workspaceId, null, cancellationToken);
            await scheduler.CancelAsync(workspaceId, cancellationToken);
            return;
        }

        var schedule = ScheduleOf(workspace);
        var now = clock.GetUtcNow();
        var due = await store.GetDueAsync(workspaceId, cancellationToken);
        if (due is null)
        {
            // A new workspace starts with its next digest; it does not get last week's the moment it appears.
            await SetNextAsync(workspaceId, schedule.Next(now), cancellationToken);
            return;
        }
        if (due.Value > now + TimeSpan.FromSeconds(1))
        {
            await scheduler.EnsureAsync(workspaceId, due.Value, cancellationToken);
            return;
        }

        var week = DigestSchedule.WeekFor(due.Value, workspace.TimeZone);
        var next = schedule.Next(now > due.Value ? now : due.Value);
        if (now - due.Value >= LateFor)
        {
            LogSkipped(logger, workspaceId, week.Key);
            await SetNextAsync(workspaceId, next, cancellationToken);
            return;
        }

        var digest = await builder.BuildAsync(workspace, week, cancellationToken);
        var posted = await unitOfWork.InTransactionAsync(async ct =>
        {
            await store.SetDueAsync(workspaceId, next, ct);
            if (!await store.TryRecordPostedAsync(workspaceId, week.Start, due.Value, now, ct)) return false;
            await EnqueueAsync(workspace, digest, "scheduled", now, ct);
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
        if (posted) LogPosted(logger, workspaceId, week.Key, now - due.Value > TimeSpan.FromMinutes(1) ? "late" : "on time");
        await scheduler.ScheduleAsync(workspaceId, next, cancellationToken);
    }

    /// <summary>At start and every few minutes: posts digests that came due while the bot was down, and makes sure each timer exists.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var workspaceId in await store.ListWorkspaceIdsAsync(cancellationToken))
        {
            var workspace = await workspaces.FindAsync(workspaceId, cancellationToken);
            if (workspace is null) continue;
            var now = clock.GetUtcNow();
            var due = await store.GetDueAsync(workspaceId, cancellationToken);
            if (!settings.Digest(workspaceId).Enabled || due is null || due.Value <= now)
            {
                await RunScheduledAsync(workspaceId, cancellationToken);
            }
            else
            {
                // The schedule may have been changed in configuration since the due time was stored.
                var expected = ScheduleOf(workspace).Next(now);
                if (expected != due.Value) await store.SetDueAsync(workspaceId, expected, cancellationToken);
                await scheduler.EnsureAsync(workspaceId, expected, cancellationToken);
            }
            if (settings.Digest(workspaceId).Enabled) count++;
        }
        return count;
    }

    /// <summary>/digest now: posts the digest of a week to the digest channel at once (it does not count as the scheduled one).</summary>
    public async Task<string> PostNowAsync(Workspace workspace, DigestWeek week, CancellationToken cancellationToken)
    {
        var digest = await builder.BuildAsync(workspace, week, cancellationToken);
        var now = clock.GetUtcNow();
        var channel = await unitOfWork.InTransactionAsync(ct => EnqueueAsync(workspace, digest, "now-" + now.ToUnixTimeMilliseconds(), now, ct), cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
        return channel;
    }

    public string? PageUrl(string workspaceId, DigestWeek week) =>
        settings.Digest(workspaceId).BaseUrl is { Length: > 0 } baseUrl
            ? $"{baseUrl.TrimEnd('/')}/digest/{Uri.EscapeDataString(workspaceId)}/latest?week={week.Key}"
            : null;

    public string ChannelOf(Workspace workspace) =>
        settings.Digest(workspace.Id).Channel is { Length: > 0 } channel ? channel : workspace.Places.General;

    private async Task<string> EnqueueAsync(Workspace workspace, WeeklyDigest digest, string occasion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var channel = ChannelOf(workspace);
        var parts = TextParts.Split(DigestText.Render(digest, PageUrl(workspace.Id, digest.Week)), TextParts.LimitFor(workspace.Platform));
        var subject = $"digest:{digest.Week.Key}:{occasion}";
        var thread = parts.Count > 1 ? $"Weekly digest {digest.Week.Label}" : null;
        await outbox.EnqueueAsync(workspace.Id, new PostNote(workspace.Id, NoteTarget.ToChannel(channel), parts[0], [], subject, thread, subject), now, cancellationToken);
        foreach (var part in parts.Skip(1))
        {
            await outbox.EnqueueAsync(workspace.Id, new PostNote(workspace.Id, NoteTarget.InThreadOf(subject), part, [], Sequence: subject), now, cancellationToken);
        }
        return channel;
    }

    private async Task SetNextAsync(string workspaceId, DateTimeOffset next, CancellationToken cancellationToken)
    {
        await store.SetDueAsync(workspaceId, next, cancellationToken);
        await scheduler.ScheduleAsync(workspaceId, next, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted the weekly digest of workspace {Workspace} for the week of {Week} ({When})")]
    private static partial void LogPosted(ILogger logger, string workspace, string week, string when);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The weekly digest of workspace {Workspace} for the week of {Week} was missed by more than a week and is skipped; the page still shows it")]
    private static partial void LogSkipped(ILogger logger, string workspace, string week);
}
