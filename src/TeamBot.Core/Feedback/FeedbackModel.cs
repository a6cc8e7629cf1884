using System.Globalization;
using TeamBot.Core.Chat;
using TeamBot.Core.Leads;

namespace TeamBot.Core.Feedback;

/// <summary>A rep's verdict on a lead. The numbers are the rating scale reports average.</summary>
public enum Rating
{
    Reject = 1,
    Poor = 2,
    Meh = 3,
    Good = 4,
    Great = 5,
}

public enum FeedbackSource
{
    Reaction = 0,
    Button = 1,
    Command = 2,
}

/// <summary>What a reaction means on a handoff message.</summary>
public abstract record ReactionMeaning
{
    public sealed record Claim : ReactionMeaning;

    public sealed record Rate(Rating Rating) : ReactionMeaning;

    public static bool TryParse(string text, out ReactionMeaning meaning)
    {
        if (string.Equals(text.Trim(), "claim", StringComparison.OrdinalIgnoreCase))
        {
            meaning = new Claim();
            return true;
        }
        if (Ratings.TryParse(text, out var rating))
        {
            meaning = new Rate(rating);
            return true;
        }
        meaning = null!;
        return false;
    }
}

public static class Ratings
{
    public static bool TryParse(string text, out Rating rating)
    {
        var t = text.Trim().ToLowerInvariant();
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 5)
        {
            rating = (Rating)n;
            return true;
        }
        return Enum.TryParse(t, ignoreCase: true, out rating) && Enum.IsDefined(rating) && !int.TryParse(t, out _);
    }

    public static string Label(Rating rating) => rating switch
    {
        Rating.Great => "great",
        Rating.Good => "good",
        Rating.Meh => "meh",
        Rating.Poor => "poor",
        _ => "rejected",
    };

    /// <summary>Ratings that ask the rep for a reason.</summary>
    public static bool NeedsReason(Rating rating) => rating <= Rating.Poor;
}

/// <summary>A rep's rating; the latest one not retracted is their current rating.</summary>
public sealed record RatingRecord(long Id, long LeadId, long PersonId, Rating Rating, FeedbackSource Source, string? Emoji, DateTimeOffset At, DateTimeOffset? RetractedAt);

/// <summary>A reaction TeamBot has counted: who (as the platform knows them) and the emoji, normalized as stored.</summary>
public sealed record CountedReaction(ChatUser User, string Emoji);

/// <summary>
/// An open handoff and the reaction-given state TeamBot holds for it: who holds the lead and whether they claimed it with
/// the claim reaction, and each rating given by reaction and not retracted.
/// </summary>
public sealed record HandoffReactions(long LeadId, MessageRef Message, ChatUser? Holder, bool HeldByReaction, IReadOnlyList<CountedReaction> Ratings);

public sealed record ReasonRecord(long LeadId, long PersonId, string Code, string? Note, DateTimeOffset At);

public sealed record CommentRecord(long LeadId, long PersonId, string Text, string? MessageId, DateTimeOffset At);

public sealed record OutcomeRecord(long LeadId, long PersonId, Leads.LeadStage Stage, decimal? Amount, string? Note, DateTimeOffset At);

/// <summary>An entry of the admin-managed list of reasons a lead was poor or rejected.</summary>
public sealed record ReasonOption(string Code, string Label, int Position);

public interface IFeedbackStore
{
    Task AddRatingAsync(long leadId, long personId, Rating rating, FeedbackSource source, string? emoji, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Retracts the person's active ratings given with this emoji; false when there was none.</summary>
    Task<bool> RetractRatingAsync(long leadId, long personId, string emoji, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// The leads whose handoff cards these messages are, read together (reactions handled in one transaction look their
    /// leads up once). Messages that are no handoff card, or whose lead is gone, are left out.
    /// </summary>
    Task<IReadOnlyDictionary<MessageRef, Lead>> FindHandoffLeadsAsync(IReadOnlyCollection<MessageRef> messages, CancellationToken cancellationToken);

    /// <summary>Each rater's current rating (the latest not retracted).</summary>
    Task<IReadOnlyList<RatingRecord>> GetCurrentRatingsAsync(long leadId, CancellationToken cancellationToken);

    /// <summary>Whether the lead has any rating (retracted too), reason or outcome: one read where the three lists take three.</summary>
    Task<bool> HasFeedbackAsync(long leadId, CancellationToken cancellationToken);

    /// <summary>
    /// The workspace's open handoffs (posted at or after <paramref name="postedSince"/>, not won or lost), newest first and
    /// at most <paramref name="limit"/>, each with the reactions TeamBot has counted on it.
    /// </summary>
    Task<IReadOnlyList<HandoffReactions>> ListOpenHandoffReactionsAsync(string workspaceId, DateTimeOffset postedSince, int limit, CancellationToken cancellationToken);

    Task AddReasonAsync(ReasonRecord reason, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReasonRecord>> GetReasonsAsync(long leadId, CancellationToken cancellationToken);

    Task AddCommentAsync(CommentRecord comment, CancellationToken cancellationToken);

    Task<IReadOnlyList<CommentRecord>> GetCommentsAsync(long leadId, CancellationToken cancellationToken);

    Task AddOutcomeAsync(OutcomeRecord outcome, CancellationToken cancellationToken);

    Task<IReadOnlyList<OutcomeRecord>> GetOutcomesAsync(long leadId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReasonOption>> ListReasonOptionsAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>Adds or renames a reason option; returns false when the code existed and was only relabelled.</summary>
    Task<bool> SaveReasonOptionAsync(string workspaceId, string code, string label, CancellationToken cancellationToken);

    Task<bool> RemoveReasonOptionAsync(string workspaceId, string code, CancellationToken cancellationToken);

    /// <summary>Fills the list with defaults when the workspace has never had one.</summary>
    Task SeedReasonOptionsAsync(string workspaceId, IReadOnlyList<ReasonOption> defaults, CancellationToken cancellationToken);
}
