using Microsoft.Extensions.Logging;
using TeamBot.Core.Chat;

namespace TeamBot.Core.Feedback;

/// <summary>Reads back who reacts to a message right now: the port a platform implements for <see cref="ReactionReconciler"/>.</summary>
public interface IReactionReader
{
    /// <summary>
    /// The users currently reacting to <paramref name="message"/> with <paramref name="emoji"/> (an emoji as the reaction
    /// map names it); the bot itself is marked <see cref="ChatUser.IsBot"/>. Nobody when the platform knows no such emoji
    /// (a skin tone on an emoji that takes none). Throws <see cref="ChatPlatformException"/> when the message cannot be
    /// read (deleted, no access).
    /// </summary>
    Task<IReadOnlyList<ChatUser>> ReadAsync(MessageRef message, string emoji, CancellationToken ct);
}

/// <summary>What one reconciliation did.</summary>
/// <param name="MessagesChecked">Handoff messages whose reactions were read.</param>
/// <param name="Added">Reactions made while TeamBot was away that it has now counted.</param>
/// <param name="Removed">Counted reactions that were taken back while TeamBot was away, now released or retracted.</param>
/// <param name="Refused">Reactions TeamBot would not count, as it would not live (not a rep, a lead someone else holds).</param>
/// <param name="Failures">Messages that could not be read and were skipped.</param>
public sealed record ReconcileReport(int MessagesChecked, int Added, int Removed, int Refused, int Failures);

/// <summary>
/// Catches up with reactions made or removed while TeamBot was not listening (a gateway reconnect that could not resume,
/// a restart): reads each open handoff's reactions back from the platform, compares them with what TeamBot counted, and
/// passes only the differences to <see cref="ChatInbox"/> as the events it missed, so that roles, people, idempotency and
/// card refreshes are exactly those of a live reaction. Running it again changes nothing.
/// </summary>
/// <remarks>
/// A claim is released only when the holder claimed with the reaction (<see cref="Leads.AssignmentKind.ClaimedByReaction"/>):
/// a claim by button or command has no reaction to lose. Replies the inbox gives are dropped: the person acted a while ago.
/// </remarks>
public sealed partial class ReactionReconciler(
    IFeedbackStore feedback,
    ChatInbox inbox,
    ReactionMap reactions,
    TimeProvider clock,
    ILogger<ReactionReconciler> logger)
{
    /// <summary>
    /// Handoffs older than this are left alone: a rep who reacts to a month-old card is rare, and each message costs a
    /// read per mapped emoji on the platform's rate limits.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    /// <summary>
    /// At most this many open handoffs (the newest) per run. With the default six emoji that is 1,200 reads (Discord makes
    /// two requests of each, normal and super reactions; a seemingly removed reaction costs five more reads for its skin
    /// tones), minutes of rate-limited calls at worst.
    /// </summary>
    public const int MaxMessages = 200;

    public async Task<ReconcileReport> ReconcileAsync(string workspaceId, IReactionReader reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var open = await feedback.ListOpenHandoffReactionsAsync(workspaceId, clock.GetUtcNow() - MaxAge, MaxMessages, ct);
        var emojis = reactions.Entries
            .GroupBy(e => ReactionMap.Normalize(e.Emoji), StringComparer.Ordinal)
            .Select(g => new MappedEmoji(g.First().Emoji, g.Key, g.Select(e => e.Emoji).Distinct(StringComparer.Ordinal).ToList(), g.First().Meaning))
            .ToList();

        var (checkedCount, added, removed, refused, failures) = (0, 0, 0, 0, 0);
        foreach (var handoff in open)
        {
            ct.ThrowIfCancellationRequested();
            Dictionary<string, List<ChatUser>> present;
            try
            {
                present = await ReadAllAsync(handoff, emojis, reader, ct);
            }
            catch (ChatPlatformException ex)
            {
                failures++;
                LogReadFailed(handoff.LeadId, ex.Message);
                continue;
            }
            checkedCount++;

            var claimed = false;
            foreach (var (change, isClaim) in Differences(handoff, emojis, present))
            {
                if (claimed && isClaim && change.Added) continue;
                var reply = await inbox.HandleAsync(change, ct);
                if (!change.Added) removed++;
                else if (reply is not null) refused++;
                else (added, claimed) = (added + 1, claimed || isClaim);
            }
        }
        var report = new ReconcileReport(checkedCount, added, removed, refused, failures);
        LogReconciled(workspaceId, report.MessagesChecked, report.Added, report.Removed, report.Refused, report.Failures);
        return report;
    }

    /// <summary>
    /// Everyone reacting with each mapped emoji (all its configured spellings), bots left out. Where someone TeamBot
    /// counted seems gone, the skin-toned spellings are read too before concluding so: TeamBot counts 👍🏽 as 👍, while a
    /// platform may list them apart.
    /// </summary>
    private static async Task<Dictionary<string, List<ChatUser>>> ReadAllAsync(
        HandoffReactions handoff, IReadOnlyList<MappedEmoji> emojis, IReactionReader reader, CancellationToken ct)
    {
        var present = new Dictionary<string, List<ChatUser>>(StringComparer.Ordinal);
        foreach (var emoji in emojis)
        {
            var users = new List<ChatUser>();
            await ReadIntoAsync(users, emoji.Spellings);
            List<ChatUser> counted = emoji.Meaning is ReactionMeaning.Claim
                ? handoff.HeldByReaction && handoff.Holder is { } holder ? [holder] : []
                : [.. handoff.Ratings.Where(r => ReactionMap.Normalize(r.Emoji) == emoji.Key).Select(r => r.User)];
            if (counted.Exists(c => users.TrueForAll(u => u.Id != c.Id)))
            {
                await ReadIntoAsync(users, emoji.Spellings.SelectMany(ReactionMap.SkinToneVariants).Distinct(StringComparer.Ordinal));
            }
            present[emoji.Key] = users;
        }
        return present;

        async Task ReadIntoAsync(List<ChatUser> users, IEnumerable<string> spellings)
        {
            foreach (var spelling in spellings)
            {
                foreach (var user in await reader.ReadAsync(handoff.Message, spelling, ct))
                {
                    if (!user.IsBot && users.TrueForAll(u => u.Id != user.Id)) users.Add(user);
                }
            }
        }
    }

    /// <summary>
    /// The events TeamBot missed, removals first (so that a rep who swapped 🔥 for 👎 ends with 👎, and a released lead
    /// can be claimed by someone else in the same pass).
    /// </summary>
    private static List<(ReactionChanged Change, bool IsClaim)> Differences(
        HandoffReactions handoff, IReadOnlyList<MappedEmoji> emojis, Dictionary<string, List<ChatUser>> present)
    {
        var removals = new List<(ReactionChanged, bool)>();
        var additions = new List<(ReactionChanged, bool)>();
        var message = handoff.Message;

        if (emojis.FirstOrDefault(e => e.Meaning is ReactionMeaning.Claim) is { } claim)
        {
            var claimers = present[claim.Key];
            var holder = handoff.Holder;
            if (holder is not null && handoff.HeldByReaction && claimers.TrueForAll(u => u.Id != holder.Id))
            {
                removals.Add((new ReactionChanged(message, holder, claim.Event, Added: false), true));
                holder = null;
            }
            // Only a lead nobody holds can be claimed; the first reactor who may take it wins, as the first live reaction would.
            if (holder is null) additions.AddRange(claimers.Select(u => (new ReactionChanged(message, u, claim.Event, Added: true), true)));
        }

        foreach (var emoji in emojis.Where(e => e.Meaning is ReactionMeaning.Rate))
        {
            var reacting = present[emoji.Key];
            var counted = handoff.Ratings.Where(r => ReactionMap.Normalize(r.Emoji) == emoji.Key).ToList();
            removals.AddRange(counted
                .Where(r => reacting.TrueForAll(u => u.Id != r.User.Id))
                .DistinctBy(r => r.User.Id)
                .Select(r => (new ReactionChanged(message, r.User, emoji.Event, Added: false), false)));
            additions.AddRange(reacting
                .Where(u => counted.TrueForAll(r => r.User.Id != u.Id))
                .Select(u => (new ReactionChanged(message, u, emoji.Event, Added: true), false)));
        }
        return [.. removals, .. additions];
    }

    /// <param name="Event">The spelling events carry (the first one configured).</param>
    /// <param name="Key">The normalized emoji, as ratings store it.</param>
    /// <param name="Spellings">Every configured spelling that normalizes to <paramref name="Key"/>.</param>
    /// <param name="Meaning">What the emoji means.</param>
    private sealed record MappedEmoji(string Event, string Key, IReadOnlyList<string> Spellings, ReactionMeaning Meaning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the reactions on the handoff of lead {LeadId}; skipped: {Reason}")]
    private partial void LogReadFailed(long leadId, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Reconciled reactions in {WorkspaceId}: {Checked} handoffs read, {Added} added, {Removed} removed, {Refused} not counted, {Failures} unreadable")]
    private partial void LogReconciled(string workspaceId, int @checked, int added, int removed, int refused, int failures);
}
