using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;

namespace TeamBot.Data.Stores;

internal sealed class EfFeedbackStore(TeamBotDbContext db, HandoffMessageIndex handoffs) : IFeedbackStore, IDisposable, IAsyncDisposable
{
    /// <summary>
    /// The ratings insert of the current transaction: reactions handled together (a group commit) add hundreds of ratings
    /// in one transaction, and one SaveChanges each was most of their time.
    /// </summary>
    private RowInserter.Prepared<RatingRow>? _ratings;

    public async Task AddRatingAsync(long leadId, long personId, Rating rating, FeedbackSource source, string? emoji, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var row = new RatingRow { LeadId = leadId, PersonId = personId, Rating = (int)rating, Source = (int)source, Emoji = emoji, At = at };
        var transaction = db.Database.CurrentTransaction;
        if (!db.IsSqlite || transaction is null)
        {
            await RowInserter.AddAsync(db, [row], cancellationToken);
            return;
        }
        if (_ratings?.IsFor(transaction) != true)
        {
            if (_ratings is not null) await _ratings.DisposeAsync();
            _ratings = await RowInserter.PrepareAsync<RatingRow>(db, cancellationToken);
        }
        await _ratings.InsertAsync(row, cancellationToken);
    }

    public async Task<bool> RetractRatingAsync(long leadId, long personId, string emoji, DateTimeOffset at, CancellationToken cancellationToken) =>
        await db.Ratings.Where(r => r.LeadId == leadId && r.PersonId == personId && r.Emoji == emoji && r.RetractedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RetractedAt, at), cancellationToken) > 0;

    public async Task<IReadOnlyDictionary<MessageRef, Lead>> FindHandoffLeadsAsync(IReadOnlyCollection<MessageRef> messages, CancellationToken cancellationToken)
    {
        // Which lead each card is: remembered (a posted message never changes), else read once by its key.
        var leadOf = new Dictionary<MessageRef, long>(messages.Count);
        foreach (var message in messages)
        {
            if (handoffs.TryGet(message, out var known))
            {
                leadOf[message] = known;
                continue;
            }
            var posted = await EfOutboxStore.Posted(db, message)
                .Select(p => new { p.Kind, p.LeadId })
                .FirstOrDefaultAsync(cancellationToken);
            if (posted is not { Kind: (int)PostedKind.Handoff, LeadId: { } leadId }) continue;
            handoffs.Remember(message, leadId);
            leadOf[message] = leadId;
        }
        if (leadOf.Count == 0) return new Dictionary<MessageRef, Lead>();

        // The leads themselves are read each time, all in one query: they change (claims, erasure).
        var ids = leadOf.Values.Distinct().ToList();
        var leads = await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, EfLeadStore.Map, cancellationToken);
        var found = new Dictionary<MessageRef, Lead>(leadOf.Count);
        foreach (var (message, leadId) in leadOf)
        {
            if (leads.TryGetValue(leadId, out var lead)) found[message] = lead;
        }
        return found;
    }

    public async Task<IReadOnlyList<RatingRecord>> GetCurrentRatingsAsync(long leadId, CancellationToken cancellationToken)
    {
        var active = await db.Ratings.AsNoTracking().Where(r => r.LeadId == leadId && r.RetractedAt == null).ToListAsync(cancellationToken);
        return Current(active).Select(Map).ToList();
    }

    public Task<bool> HasFeedbackAsync(long leadId, CancellationToken cancellationToken) =>
        db.Ratings.Where(r => r.LeadId == leadId).Select(r => r.Id)
            .Concat(db.Reasons.Where(r => r.LeadId == leadId).Select(r => r.Id))
            .Concat(db.Outcomes.Where(o => o.LeadId == leadId).Select(o => o.Id))
            .AnyAsync(cancellationToken);

    /// <summary>Each person's latest active rating.</summary>
    internal static IEnumerable<RatingRow> Current(IEnumerable<RatingRow> active) =>
        active.GroupBy(r => (r.LeadId, r.PersonId)).Select(g => g.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).First());

    public async Task<IReadOnlyList<HandoffReactions>> ListOpenHandoffReactionsAsync(
        string workspaceId, DateTimeOffset postedSince, int limit, CancellationToken cancellationToken)
    {
        var leads = await db.Leads.AsNoTracking()
            .Where(l => l.WorkspaceId == workspaceId && l.HandoffMessageId != null && l.PostedAt >= postedSince
                        && l.Stage != (int)LeadStage.Won && l.Stage != (int)LeadStage.Lost)
            .OrderByDescending(l => l.PostedAt).ThenByDescending(l => l.Id)
            .Take(limit)
            .Select(l => new { l.Id, l.HandoffPlatform, l.HandoffPlace, l.HandoffMessageId, l.ClaimedById })
            .ToListAsync(cancellationToken);
        if (leads.Count == 0) return [];
        var ids = leads.Select(l => l.Id).ToList();

        var ratings = await db.Ratings.AsNoTracking()
            .Where(r => ids.Contains(r.LeadId) && r.Source == (int)FeedbackSource.Reaction && r.RetractedAt == null && r.Emoji != null)
            .Select(r => new { r.LeadId, r.PersonId, Emoji = r.Emoji! })
            .ToListAsync(cancellationToken);
        var ratingsByLead = ratings.ToLookup(r => r.LeadId);
        // Who claimed each lead last, and how: a release keeps the claim row, so only the latest claim counts.
        var claims = (await db.Assignments.AsNoTracking()
                .Where(a => ids.Contains(a.LeadId) && (a.Kind == (int)AssignmentKind.Claimed || a.Kind == (int)AssignmentKind.ClaimedByReaction))
                .Select(a => new { a.Id, a.LeadId, a.Kind, a.PersonId })
                .ToListAsync(cancellationToken))
            .GroupBy(a => a.LeadId)
            .ToDictionary(g => g.Key, g => g.MaxBy(a => a.Id)!);

        var personIds = ratings.Select(r => r.PersonId).Concat(leads.Where(l => l.ClaimedById != null).Select(l => l.ClaimedById!.Value)).Distinct().ToList();
        var people = await db.People.AsNoTracking()
            .Where(p => personIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => new ChatUser(p.PlatformUserId, p.DisplayName), cancellationToken);

        return leads.Select(l =>
        {
            var holder = l.ClaimedById is { } h ? people.GetValueOrDefault(h) : null;
            var byReaction = l.ClaimedById is { } held && claims.TryGetValue(l.Id, out var claim)
                             && claim.PersonId == held && claim.Kind == (int)AssignmentKind.ClaimedByReaction;
            var counted = ratingsByLead[l.Id].Where(r => people.ContainsKey(r.PersonId))
                .Select(r => new CountedReaction(people[r.PersonId], r.Emoji)).ToList();
            return new HandoffReactions(l.Id, new MessageRef(l.HandoffPlatform!, workspaceId, l.HandoffPlace!, l.HandoffMessageId!), holder, byReaction, counted);
        }).ToList();
    }

    public async Task AddReasonAsync(ReasonRecord reason, CancellationToken cancellationToken)
    {
        db.Reasons.Add(new ReasonRow { LeadId = reason.LeadId, PersonId = reason.PersonId, Code = reason.Code, Note = reason.Note, At = reason.At });
        await SaveAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ReasonRecord>> GetReasonsAsync(long leadId, CancellationToken cancellationToken) =>
        (await db.Reasons.AsNoTracking().Where(r => r.LeadId == leadId).OrderBy(r => r.Id).ToListAsync(cancellationToken))
        .Select(r => new ReasonRecord(r.LeadId, r.PersonId, r.Code, r.Note, r.At)).ToList();

    public async Task AddCommentAsync(CommentRecord comment, CancellationToken cancellationToken)
    {
        db.Comments.Add(new CommentRow { LeadId = comment.LeadId, PersonId = comment.PersonId, Text = comment.Text, MessageId = comment.MessageId, At = comment.At });
        await SaveAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CommentRecord>> GetCommentsAsync(long leadId, CancellationToken cancellationToken) =>
        (await db.Comments.AsNoTracking().Where(c => c.LeadId == leadId).OrderBy(c => c.Id).ToListAsync(cancellationToken))
        .Select(c => new CommentRecord(c.LeadId, c.PersonId, c.Text, c.MessageId, c.At)).ToList();

    public async Task AddOutcomeAsync(OutcomeRecord outcome, CancellationToken cancellationToken)
    {
        db.Outcomes.Add(new OutcomeRow { LeadId = outcome.LeadId, PersonId = outcome.PersonId, Stage = (int)outcome.Stage, Amount = outcome.Amount, Note = outcome.Note, At = outcome.At });
        await SaveAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OutcomeRecord>> GetOutcomesAsync(long leadId, CancellationToken cancellationToken) =>
        (await db.Outcomes.AsNoTracking().Where(o => o.LeadId == leadId).OrderBy(o => o.Id).ToListAsync(cancellationToken))
        .Select(o => new OutcomeRecord(o.LeadId, o.PersonId, (LeadStage)o.Stage, o.Amount, o.Note, o.At)).ToList();

    public async Task<IReadOnlyList<ReasonOption>> ListReasonOptionsAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await db.ReasonOptions.AsNoTracking().Where(r => r.WorkspaceId == workspaceId && !r.Removed)
            .OrderBy(r => r.Position).ThenBy(r => r.Code).ToListAsync(cancellationToken))
        .Select(r => new ReasonOption(r.Code, r.Label, r.Position)).ToList();

    public async Task<bool> SaveReasonOptionAsync(string workspaceId, string code, string label, CancellationToken cancellationToken)
    {
        var row = await db.ReasonOptions.FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Code == code, cancellationToken);
        var added = row is null || row.Removed;
        if (row is null)
        {
            var last = await db.ReasonOptions.Where(r => r.WorkspaceId == workspaceId).MaxAsync(r => (int?)r.Position, cancellationToken) ?? -1;
            // "other" stays last: new reasons go just before it.
            var other = await db.ReasonOptions.FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Code == FeedbackSettings.OtherCode, cancellationToken);
            row = new ReasonOptionRow { WorkspaceId = workspaceId, Code = code, Position = last + 1 };
            if (other is not null)
            {
                row.Position = other.Position;
                other.Position = last + 1;
            }
            db.ReasonOptions.Add(row);
        }
        row.Label = label;
        row.Removed = false;
        await SaveAsync(cancellationToken);
        return added;
    }

    public async Task<bool> RemoveReasonOptionAsync(string workspaceId, string code, CancellationToken cancellationToken) =>
        await db.ReasonOptions.Where(r => r.WorkspaceId == workspaceId && r.Code == code && !r.Removed)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Removed, true), cancellationToken) > 0;

    public async Task SeedReasonOptionsAsync(string workspaceId, IReadOnlyList<ReasonOption> defaults, CancellationToken cancellationToken)
    {
        if (await db.ReasonOptions.AnyAsync(r => r.WorkspaceId == workspaceId, cancellationToken)) return;
        db.ReasonOptions.AddRange(defaults.Select(d => new ReasonOptionRow { WorkspaceId = workspaceId, Code = d.Code, Label = d.Label, Position = d.Position }));
        await SaveAsync(cancellationToken);
    }

    private static RatingRecord Map(RatingRow r) =>
        new(r.Id, r.LeadId, r.PersonId, (Rating)r.Rating, (FeedbackSource)r.Source, r.Emoji, r.At, r.RetractedAt);

    public void Dispose() => _ratings?.Dispose();

    public ValueTask DisposeAsync() => _ratings?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
