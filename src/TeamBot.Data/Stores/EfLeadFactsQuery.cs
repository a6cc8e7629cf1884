using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;
using TeamBot.Core.Reports;

namespace TeamBot.Data.Stores;

/// <summary>
/// The facts the reports count, for every lead received in a period. Reports read hundreds of thousands of leads at
/// once, so each table is read once with only the columns needed, and the rows are folded per lead in one pass each
/// instead of being grouped, sorted and copied per lead.
/// </summary>
internal sealed class EfLeadFactsQuery(TeamBotDbContext db) : ILeadFactsQuery
{
    public async Task<IReadOnlyList<LeadFact>> GetAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var leads = db.Leads.AsNoTracking().Where(l => l.WorkspaceId == workspaceId && l.ReceivedAt >= from && l.ReceivedAt < to);

        var rows = await leads
            .Select(l => new { l.Id, l.ReceivedAt, l.PostedAt, l.Source, l.Campaign, l.Segment, l.ClaimedById, l.ClaimedAt })
            .ToListAsync(cancellationToken);
        var index = new Dictionary<long, int>(rows.Count);
        for (var i = 0; i < rows.Count; i++) index[rows[i].Id] = i;

        // Each rep's current rating of a lead: their latest one not taken back (see EfFeedbackStore.Current).
        var current = new Dictionary<(long Lead, long Person), (DateTimeOffset At, long Id, int Rating)>();
        await foreach (var r in db.Ratings.AsNoTracking()
                           .Where(r => r.RetractedAt == null)
                           .Join(leads, r => r.LeadId, l => l.Id, (r, _) => new { r.Id, r.LeadId, r.PersonId, r.Rating, r.At })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!current.TryGetValue((r.LeadId, r.PersonId), out var seen) || r.At > seen.At || (r.At == seen.At && r.Id > seen.Id))
            {
                current[(r.LeadId, r.PersonId)] = (r.At, r.Id, r.Rating);
            }
        }
        var ratings = new List<Rating>?[rows.Count];
        foreach (var ((lead, _), rating) in current) (ratings[index[lead]] ??= []).Add((Rating)rating.Rating);

        // A reason counts while its rep still rates the lead poor or reject; a rep who changed their mind withdrew it.
        var reasons = new List<string>?[rows.Count];
        await foreach (var r in db.Reasons.AsNoTracking()
                           .Join(leads, r => r.LeadId, l => l.Id, (r, _) => new { r.LeadId, r.PersonId, r.Code })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!current.TryGetValue((r.LeadId, r.PersonId), out var rating) || !Ratings.NeedsReason((Rating)rating.Rating)) continue;
            var codes = reasons[index[r.LeadId]] ??= [];
            if (!codes.Contains(r.Code)) codes.Add(r.Code);
        }

        // Reached a meeting or an opportunity at any time; won when the latest outcome (by time, then id) is a win.
        var outcomes = new OutcomeFold[rows.Count];
        await foreach (var o in db.Outcomes.AsNoTracking()
                           .Join(leads, o => o.LeadId, l => l.Id, (o, _) => new { o.Id, o.LeadId, o.Stage, o.Amount, o.At })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            ref var fold = ref outcomes[index[o.LeadId]];
            fold.Meeting |= o.Stage is (int)LeadStage.Meeting or (int)LeadStage.Opportunity or (int)LeadStage.Won;
            fold.Opportunity |= o.Stage is (int)LeadStage.Opportunity or (int)LeadStage.Won;
            if (!fold.Any || o.At > fold.LatestAt || (o.At == fold.LatestAt && o.Id > fold.LatestId))
            {
                (fold.Any, fold.LatestAt, fold.LatestId, fold.LatestStage, fold.LatestAmount) = (true, o.At, o.Id, o.Stage, o.Amount);
            }
        }

        var facts = new LeadFact[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var l = rows[i];
            var outcome = outcomes[i];
            var won = outcome.Any && outcome.LatestStage == (int)LeadStage.Won;
            facts[i] = new LeadFact(
                l.Id, l.ReceivedAt, l.Source, l.Campaign, l.Segment, l.ClaimedById, l.ClaimedAt,
                (IReadOnlyList<Rating>?)ratings[i] ?? [],
                (IReadOnlyList<string>?)reasons[i] ?? [],
                Meeting: outcome.Meeting,
                Opportunity: outcome.Opportunity,
                Won: won,
                WonAmount: won ? outcome.LatestAmount ?? 0 : 0)
            {
                PostedAt = l.PostedAt,
            };
        }
        return facts;
    }

    /// <summary>A lead's outcomes folded one at a time.</summary>
    private struct OutcomeFold
    {
        public bool Any;
        public bool Meeting;
        public bool Opportunity;
        public DateTimeOffset LatestAt;
        public long LatestId;
        public int LatestStage;
        public decimal? LatestAmount;
    }
}
