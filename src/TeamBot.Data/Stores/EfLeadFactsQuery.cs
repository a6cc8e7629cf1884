using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;
using TeamBot.Core.Reports;

namespace TeamBot.Data.Stores;

internal sealed class EfLeadFactsQuery(TeamBotDbContext db) : ILeadFactsQuery
{
    public async Task<IReadOnlyList<LeadFact>> GetAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var leads = db.Leads.AsNoTracking().Where(l => l.WorkspaceId == workspaceId && l.ReceivedAt >= from && l.ReceivedAt < to);

        var rows = await leads
            .Select(l => new { l.Id, l.ReceivedAt, l.PostedAt, l.Source, l.Campaign, l.Segment, l.ClaimedById, l.ClaimedAt })
            .ToListAsync(cancellationToken);
        var current = (await db.Ratings.AsNoTracking()
                .Where(r => r.RetractedAt == null)
                .Join(leads, r => r.LeadId, l => l.Id, (r, _) => r)
                .ToListAsync(cancellationToken))
            .Pipe(EfFeedbackStore.Current)
            .ToList();
        var ratings = current.ToLookup(r => r.LeadId, r => (Rating)r.Rating);
        var ratingOf = current.ToDictionary(r => (r.LeadId, r.PersonId), r => (Rating)r.Rating);
        // A reason counts while its rep still rates the lead poor or reject; a rep who changed their mind withdrew it.
        var reasons = (await db.Reasons.AsNoTracking()
                .Join(leads, r => r.LeadId, l => l.Id, (r, _) => new { r.LeadId, r.PersonId, r.Code })
                .ToListAsync(cancellationToken))
            .Where(r => ratingOf.TryGetValue((r.LeadId, r.PersonId), out var rating) && Ratings.NeedsReason(rating))
            .ToLookup(r => r.LeadId, r => r.Code);
        var outcomes = (await db.Outcomes.AsNoTracking()
                .Join(leads, o => o.LeadId, l => l.Id, (o, _) => new { o.Id, o.LeadId, o.Stage, o.Amount, o.At })
                .ToListAsync(cancellationToken))
            .ToLookup(o => o.LeadId);

        return rows.Select(l =>
        {
            var history = outcomes[l.Id].OrderBy(o => o.At).ThenBy(o => o.Id).ToList();
            var latest = history.LastOrDefault();
            var won = latest is not null && latest.Stage == (int)LeadStage.Won;
            return new LeadFact(
                l.Id, l.ReceivedAt, l.Source, l.Campaign, l.Segment, l.ClaimedById, l.ClaimedAt,
                ratings[l.Id].ToList(),
                reasons[l.Id].Distinct().ToList(),
                Meeting: history.Any(o => o.Stage is (int)LeadStage.Meeting or (int)LeadStage.Opportunity or (int)LeadStage.Won),
                Opportunity: history.Any(o => o.Stage is (int)LeadStage.Opportunity or (int)LeadStage.Won),
                Won: won,
                WonAmount: won ? latest!.Amount ?? 0 : 0)
            {
                PostedAt = l.PostedAt,
            };
        }).ToList();
    }
}

internal static class PipeExtensions
{
    public static TResult Pipe<T, TResult>(this T value, Func<T, TResult> function) => function(value);
}
