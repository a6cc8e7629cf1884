using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Privacy;

/// <summary>
/// Access and erasure requests, and retention. Erasing anonymises a lead in place rather than deleting it: the person's
/// identity and every free text about them go, while the numbers (source, campaign, ratings, outcomes, amounts, times)
/// stay, so that reports, goals and digests keep adding up. Posted handoff cards are edited to a redacted card through
/// the outbox, so the edit survives a crash and is retried while the platform is down.
/// </summary>
public sealed partial class PersonalDataService(
    IPersonalDataStore store,
    IOutboxStore outbox,
    IUnitOfWork unitOfWork,
    OutboxSignal signal,
    PrivacySettings settings,
    TimeProvider clock,
    ILogger<PersonalDataService> logger)
{
    public const int MaxEmailLength = 254;

    /// <summary>Why <paramref name="email"/> cannot name a person, or null when it can.</summary>
    public static string? Problem(string? email)
    {
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length == 0) return "Give the person's e-mail address.";
        if (trimmed.Length > MaxEmailLength) return $"An e-mail address has at most {MaxEmailLength} characters.";
        return EmailPattern().IsMatch(trimmed) ? null : "That is not an e-mail address (name@example.com).";
    }

    public Task<IReadOnlyList<long>> FindAsync(string email, string? workspaceId, CancellationToken cancellationToken) =>
        store.FindByEmailAsync(Normalize(email), workspaceId, cancellationToken);

    public async Task<PersonalDataExport> ExportAsync(string email, string? workspaceId, CancellationToken cancellationToken)
    {
        var ids = await FindAsync(email, workspaceId, cancellationToken);
        var leads = ids.Count == 0 ? [] : await store.ExportAsync(ids, cancellationToken);
        LogExported(logger, leads.Count);
        return new PersonalDataExport(Normalize(email), workspaceId, clock.GetUtcNow(), leads);
    }

    /// <summary>Erases every lead with this address (in the workspace when given) in one transaction: all of them or none.</summary>
    public async Task<ForgetResult> ForgetAsync(string email, string? workspaceId, CancellationToken cancellationToken)
    {
        var normalized = Normalize(email);
        var erased = await unitOfWork.InTransactionAsync(async ct =>
        {
            var ids = await store.FindByEmailAsync(normalized, workspaceId, ct);
            return ids.Count == 0 ? [] : await EraseAsync(ids, normalized, ct);
        }, cancellationToken);
        var result = new ForgetResult(erased.Count, erased.Sum(e => (e.Posted ? 1 : 0) + e.ThreadPosts.Count), erased.Select(e => e.WorkspaceId).Distinct().Order(StringComparer.Ordinal).ToList());
        LogForgotten(logger, result.Leads, result.Posts);
        return result;
    }

    /// <summary>Erases leads older than the retention period, a batch per transaction; erased leads are not found again. Returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        if (!settings.RetentionEnabled) return 0;
        var cutoff = clock.GetUtcNow().AddDays(-settings.RetentionDays);
        var total = 0;
        while (true)
        {
            var erased = await unitOfWork.InTransactionAsync(async ct =>
            {
                var ids = await store.FindReceivedBeforeAsync(cutoff, settings.PurgeBatchSize, ct);
                return ids.Count == 0 ? [] : await EraseAsync(ids, null, ct);
            }, cancellationToken);
            total += erased.Count;
            if (erased.Count < settings.PurgeBatchSize) break;
        }
        if (total > 0) LogPurged(logger, total, settings.RetentionDays);
        return total;
    }

    private async Task<IReadOnlyList<ErasedLead>> EraseAsync(IReadOnlyList<long> ids, string? email, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var erased = await store.EraseAsync(ids, email, now, cancellationToken);
        foreach (var lead in erased.Where(e => e.Posted))
        {
            // The card renders redacted now; refreshing it edits the posted message on platforms that allow editing.
            await outbox.EnqueueOnceAsync(lead.WorkspaceId, new RefreshCard(lead.LeadId), now, cancellationToken);
            // Its thread notes are edited, and its thread, named after the person where threads have names, renamed.
            await outbox.EnqueueAllAsync(lead.WorkspaceId, [.. lead.ThreadPosts.Select(m => new RedactPost(lead.LeadId, m)), new RenameThread(lead.LeadId)], now, cancellationToken);
        }
        unitOfWork.AfterCommit(signal.Notify);
        return erased;
    }

    private static string Normalize(string email) => email.Trim().ToLowerInvariant();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    // Counts only: the address itself is personal data and never goes to the log.
    [LoggerMessage(Level = LogLevel.Information, Message = "Exported the personal data of {Count} leads on request")]
    private static partial void LogExported(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased the personal data of {Count} leads on request; {Posts} posted messages are being redacted")]
    private static partial void LogForgotten(ILogger logger, int count, int posts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: erased the personal data of {Count} leads older than {Days} days")]
    private static partial void LogPurged(ILogger logger, int count, int days);
}
