using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;
using TeamBot.Core.Reports;

namespace TeamBot.Data.Tests;

/// <summary>
/// The per-day report totals give the same numbers as counting the leads themselves: before any day is built, once
/// every day is built, and after changes that mark some days again. Checked on random stores and random periods.
/// </summary>
public sealed class ReportTotalsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private const int Days = 12;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Totals_MatchTheLeadsCounted_BeforeDuringAndAfterRebuilds(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var random = new Random(20261123);
        var people = await world.InScopeAsync(async sp =>
            await sp.GetRequiredService<TeamBotDbContext>().People.Select(p => p.Id).ToListAsync());
        await world.InScopeAsync(sp => WriteLeadsAsync(sp.GetRequiredService<TeamBotDbContext>(), random, people, 300));

        // Nothing built yet: every day is marked, so everything is counted from the leads.
        Assert.Equal(Days, await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().ReportDirtyDays.CountAsync()));
        await AssertSameAsync(world, random);

        var rebuilt = await world.InScopeAsync(sp => sp.GetRequiredService<IReportRollups>().RefreshAsync(CancellationToken.None));
        Assert.Equal(Days, rebuilt);
        Assert.Equal(0, await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().ReportDirtyDays.CountAsync()));
        Assert.True(await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().ReportDays.AnyAsync()));
        await AssertSameAsync(world, random);

        // Feedback on old leads, a changed claim, a retraction, a removed lead and new leads: their days are marked again.
        await world.InScopeAsync(sp => ChangeSomeAsync(sp.GetRequiredService<TeamBotDbContext>(), random, people));
        var marked = await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().ReportDirtyDays.CountAsync());
        Assert.InRange(marked, 1, Days);
        await AssertSameAsync(world, random);

        Assert.Equal(marked, await world.InScopeAsync(sp => sp.GetRequiredService<IReportRollups>().RefreshAsync(CancellationToken.None)));
        await AssertSameAsync(world, random);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ADayChangedWhileItWasBeingRebuilt_StaysMarked(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var people = await world.InScopeAsync(async sp =>
            await sp.GetRequiredService<TeamBotDbContext>().People.Select(p => p.Id).ToListAsync());
        await world.InScopeAsync(sp => WriteLeadsAsync(sp.GetRequiredService<TeamBotDbContext>(), new Random(7), people, 20));
        await world.InScopeAsync(sp => sp.GetRequiredService<IReportRollups>().RefreshAsync(CancellationToken.None));

        // A rebuild reads the mark, then the leads; a rating lands in between (here: before the rebuild's own facts
        // query runs, by a facts query that writes first).
        var lead = await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Leads.OrderBy(l => l.Id).FirstAsync());
        await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            db.Ratings.Add(new RatingRow { LeadId = lead.Id, PersonId = people[0], Rating = (int)Rating.Great, At = lead.ReceivedAt.AddMinutes(5) });
            await db.SaveChangesAsync();
            return true;
        });
        var interleaved = new WritingFacts(world, lead.Id, people[1]);
        var rebuilt = await world.InScopeAsync(sp =>
            new Stores.EfReportTotals(sp.GetRequiredService<TeamBotDbContext>(), interleaved).RefreshAsync(CancellationToken.None));

        Assert.Equal(0, rebuilt);
        Assert.Equal(1, await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().ReportDirtyDays.CountAsync()));
        await AssertSameAsync(world, new Random(1));
        Assert.Equal(1, await world.InScopeAsync(sp => sp.GetRequiredService<IReportRollups>().RefreshAsync(CancellationToken.None)));
        await AssertSameAsync(world, new Random(2));
    }

    /// <summary>A facts query that writes a rating for the lead before reading, as a concurrent writer would.</summary>
    private sealed class WritingFacts(TestWorld world, long leadId, long personId) : ILeadFactsQuery
    {
        public async Task<IReadOnlyList<LeadFact>> GetAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
        {
            await world.InScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<TeamBotDbContext>();
                db.Ratings.Add(new RatingRow { LeadId = leadId, PersonId = personId, Rating = (int)Rating.Reject, At = from.AddHours(1) });
                await db.SaveChangesAsync(cancellationToken);
                return true;
            });
            return await world.InScopeAsync(sp => sp.GetRequiredService<ILeadFactsQuery>().GetAsync(workspaceId, from, to, cancellationToken));
        }
    }

    private static async Task AssertSameAsync(TestWorld world, Random random)
    {
        var end = Start.AddDays(Days + 1);
        var periods = new List<(DateTimeOffset, DateTimeOffset)>
        {
            (Start, end), (Start.AddDays(2), Start.AddDays(5)), (Start.AddHours(-30), end.AddHours(30)), (Start.AddDays(3), Start.AddDays(3)),
            // Within one hour; hours within one day; hours on both sides of a midnight.
            (Start.AddHours(50.2), Start.AddHours(50.9)), (Start.AddHours(49.5), Start.AddHours(60.25)), (Start.AddHours(70.75), Start.AddHours(74.5)),
        };
        for (var i = 0; i < 6; i++)
        {
            var from = Start.AddMilliseconds(random.NextInt64(-86_400_000, (long)TimeSpan.FromDays(Days).TotalMilliseconds));
            periods.Add((from, from.AddMilliseconds(random.NextInt64(1, (long)TimeSpan.FromDays(8).TotalMilliseconds))));
        }

        foreach (var (from, to) in periods)
        {
            foreach (var by in Enum.GetValues<ReportGrouping>())
            {
                var (expected, actual) = await world.InScopeAsync(async sp =>
                {
                    var leads = await sp.GetRequiredService<ILeadFactsQuery>().GetAsync(TestWorld.WorkspaceId, from, to, CancellationToken.None);
                    var counted = PeriodTotals.FromFacts(leads, by);
                    var summed = await sp.GetRequiredService<IReportTotals>().GetAsync(TestWorld.WorkspaceId, from, to, by, CancellationToken.None);
                    return (Describe(counted), Describe(summed));
                });
                Assert.True(expected == actual, $"{from:O}..{to:O} by {by}:\nexpected {expected}\nactual   {actual}");
            }
        }
    }

    private static string Describe(PeriodTotals totals)
    {
        static object Of(QualityTally t) => new
        {
            Figures = t.ToFigures(new Dictionary<string, string>()),
            Sqls = Enum.GetValues<Rating>().Select(t.SqlsAtLeast).ToArray(),
            Reasons = t.Reasons.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray(),
            Seconds = t.ClaimSeconds.Order().ToArray(),
        };
        return JsonSerializer.Serialize(new { Total = Of(totals.Total), Groups = totals.Groups.Select(g => new { g.Key, Tally = Of(g.Tally) }) });
    }

    private static readonly string?[] Sources = ["webinar", "Webinar", "event", "ads", null];
    private static readonly string?[] Campaigns = ["spring", "fall", null];
    private static readonly string?[] Segments = ["smb", "enterprise", null];
    private static readonly string[] Codes = ["no-budget", "wrong-fit", "spam"];

    private static async Task<bool> WriteLeadsAsync(TeamBotDbContext db, Random random, List<long> people, int count)
    {
        var leads = new List<LeadRow>();
        for (var i = 0; i < count; i++)
        {
            // Over the days and a few minutes either side of midnight, so that days' edges are exercised.
            var received = i % 10 == 0
                ? Start.AddDays(random.Next(1, Days)).AddMilliseconds(random.Next(-120_000, 120_000))
                : Start.AddMilliseconds(random.NextInt64(0, (long)TimeSpan.FromDays(Days).TotalMilliseconds));
            var claimed = random.Next(3) > 0;
            leads.Add(new LeadRow
            {
                WorkspaceId = TestWorld.WorkspaceId,
                Email = $"lead{i}@random.test",
                Source = Sources[random.Next(Sources.Length)],
                Campaign = Campaigns[random.Next(Campaigns.Length)],
                Segment = Segments[random.Next(Segments.Length)],
                ReceivedAt = received,
                ClaimedById = claimed ? people[random.Next(people.Count)] : null,
                // Some claims stamped before arrival (a clock skew): they count as zero seconds.
                ClaimedAt = claimed ? received.AddMilliseconds(random.Next(-5_000, 7_200_000)) : null,
            });
        }
        db.Leads.AddRange(leads);
        await db.SaveChangesAsync();

        foreach (var lead in leads) AddFeedback(db, random, people, lead);
        await db.SaveChangesAsync();
        return true;
    }

    private static void AddFeedback(TeamBotDbContext db, Random random, List<long> people, LeadRow lead)
    {
        for (var r = random.Next(4); r > 0; r--)
        {
            var person = people[random.Next(people.Count)];
            var rating = random.Next(1, 6);
            var at = lead.ReceivedAt.AddMinutes(random.Next(1, 600));
            db.Ratings.Add(new RatingRow
            {
                LeadId = lead.Id,
                PersonId = person,
                Rating = rating,
                At = at,
                RetractedAt = random.Next(6) == 0 ? at.AddMinutes(1) : null,
            });
            if (rating <= 2 && random.Next(2) == 0) db.Reasons.Add(new ReasonRow { LeadId = lead.Id, PersonId = person, Code = Codes[random.Next(Codes.Length)], At = at });
        }
        for (var o = random.Next(3); o > 0; o--)
        {
            var stage = random.Next((int)LeadStage.Contacted, (int)LeadStage.Lost + 1);
            db.Outcomes.Add(new OutcomeRow
            {
                LeadId = lead.Id,
                PersonId = people[random.Next(people.Count)],
                Stage = stage,
                Amount = stage == (int)LeadStage.Won ? random.Next(1, 100_000) / 4m : null,
                At = lead.ReceivedAt.AddDays(random.Next(1, 30)),
            });
        }
    }

    private static async Task<bool> ChangeSomeAsync(TeamBotDbContext db, Random random, List<long> people)
    {
        var leads = await db.Leads.OrderBy(l => l.Id).ToListAsync();
        var touched = leads.Where((_, i) => i % 37 == 0).ToList();
        foreach (var lead in touched) AddFeedback(db, random, people, lead);
        touched[0].ClaimedById = people[0];
        touched[0].ClaimedAt = touched[0].ReceivedAt.AddMinutes(3);
        touched[1].Source = "Referral";
        var rating = await db.Ratings.FirstAsync(r => r.RetractedAt == null);
        rating.RetractedAt = rating.At.AddHours(1);
        db.Leads.Remove(touched[3]);
        await db.Ratings.Where(r => r.LeadId == touched[3].Id).ExecuteDeleteAsync();
        await db.Reasons.Where(r => r.LeadId == touched[3].Id).ExecuteDeleteAsync();
        await db.Outcomes.Where(r => r.LeadId == touched[3].Id).ExecuteDeleteAsync();
        await db.SaveChangesAsync();
        return true;
    }
}
