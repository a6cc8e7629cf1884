using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;

namespace TeamBot.Core.Tests.Fakes;

/// <summary>The feedback store's list of reason options; the rest of the port is not needed by Core's pure logic tests.</summary>
public sealed class FakeFeedbackStore : IFeedbackStore
{
    public List<ReasonOption> ReasonOptions { get; } = [];

    public Task<IReadOnlyList<ReasonOption>> ListReasonOptionsAsync(string workspaceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReasonOption>>(ReasonOptions.OrderBy(o => o.Position).ToList());

    public Task AddRatingAsync(long leadId, long personId, Rating rating, FeedbackSource source, string? emoji, DateTimeOffset at, CancellationToken cancellationToken) => NotUsed();

    public Task<bool> RetractRatingAsync(long leadId, long personId, string emoji, DateTimeOffset at, CancellationToken cancellationToken) => NotUsed<bool>();

    public Task<IReadOnlyDictionary<MessageRef, Lead>> FindHandoffLeadsAsync(IReadOnlyCollection<MessageRef> messages, CancellationToken cancellationToken) =>
        NotUsed<IReadOnlyDictionary<MessageRef, Lead>>();

    public Task<IReadOnlyList<RatingRecord>> GetCurrentRatingsAsync(long leadId, CancellationToken cancellationToken) => NotUsed<IReadOnlyList<RatingRecord>>();

    public Task<bool> HasFeedbackAsync(long leadId, CancellationToken cancellationToken) => NotUsed<bool>();

    public Task<IReadOnlyList<HandoffReactions>> ListOpenHandoffReactionsAsync(string workspaceId, DateTimeOffset postedSince, int limit, CancellationToken cancellationToken) =>
        NotUsed<IReadOnlyList<HandoffReactions>>();

    public Task AddReasonAsync(ReasonRecord reason, CancellationToken cancellationToken) => NotUsed();

    public Task<IReadOnlyList<ReasonRecord>> GetReasonsAsync(long leadId, CancellationToken cancellationToken) => NotUsed<IReadOnlyList<ReasonRecord>>();

    public Task AddCommentAsync(CommentRecord comment, CancellationToken cancellationToken) => NotUsed();

    public Task<IReadOnlyList<CommentRecord>> GetCommentsAsync(long leadId, CancellationToken cancellationToken) => NotUsed<IReadOnlyList<CommentRecord>>();

    public Task AddOutcomeAsync(OutcomeRecord outcome, CancellationToken cancellationToken) => NotUsed();

    public Task<IReadOnlyList<OutcomeRecord>> GetOutcomesAsync(long leadId, CancellationToken cancellationToken) => NotUsed<IReadOnlyList<OutcomeRecord>>();

    public Task<bool> SaveReasonOptionAsync(string workspaceId, string code, string label, CancellationToken cancellationToken) => NotUsed<bool>();

    public Task<bool> RemoveReasonOptionAsync(string workspaceId, string code, CancellationToken cancellationToken) => NotUsed<bool>();

    public Task SeedReasonOptionsAsync(string workspaceId, IReadOnlyList<ReasonOption> defaults, CancellationToken cancellationToken) => NotUsed();

    private static Task NotUsed() => throw new NotSupportedException("Not used by these tests.");

    private static Task<T> NotUsed<T>() => throw new NotSupportedException("Not used by these tests.");
}
