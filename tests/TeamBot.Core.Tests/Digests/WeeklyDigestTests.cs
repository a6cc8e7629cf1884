using TeamBot.Core.Digests;
using TeamBot.Core.Feedback;
using TeamBot.Core.Reports;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Digests;

public class WeeklyDigestTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DigestWeek Week = DigestWeek.Containing(new DateOnly(2026, 11, 9), Berlin);
    private static readonly Workspace Acme = new("acme", "fake", "Acme", "Europe/Berlin", new WorkspacePlaces("handoffs", "marketing", "general"));
    private static readonly Dictionary<string, string> Labels = new() { ["no-budget"] = "No budget", ["wrong-persona"] = "Wrong persona" };

    private static LeadFact Fact(
        long id, string source = "webinar", string campaign = "Q4", double? waitedMinutes = null, Rating[]? ratings = null, string[]? reasons = null,
        bool meeting = false, decimal? won = null, bool previousWeek = false)
    {
        var received = (previousWeek ? Week.PreviousFrom : Week.From).AddHours(10 + id);
        var posted = received.AddSeconds(30);
        return new LeadFact(id, received, source, campaign, null, waitedMinutes is null ? null : 1, waitedMinutes is { } w ? posted.AddMinutes(w) : null,
            ratings ?? [], reasons ?? [], meeting || won is not null, won is not null, won is not null, won ?? 0)
        {
            PostedAt = posted,
        };
    }

    private static WeeklyDigest Compose(IReadOnlyCollection<LeadFact> week, IReadOnlyCollection<LeadFact>? before = null, double slaMinutes = 15,
        IReadOnlyList<DigestSection>? sections = null) =>
        DigestBuilder.Compose(Acme, Week, week, before ?? [], Labels, slaMinutes > 0 ? TimeSpan.FromMinutes(slaMinutes) : null, new AlertSettings(), sections ?? []);

    [Fact]
    public void BySource_ComparesWithTheWeekBefore_IncludingSourcesThatDisappeared()
    {
        var digest = Compose(
            [Fact(1), Fact(2), Fact(3), Fact(4, source: "partner")],
            [Fact(11, previousWeek: true), Fact(12, source: "event", previousWeek: true)]);

        Assert.Equal((4, 2), (digest.Total.Leads, digest.Before.Leads));
        Assert.Collection(digest.BySource,
            g => Assert.Equal(("webinar", 3, 1), (g.Key, g.Week.Leads, g.Before.Leads)),
            g => Assert.Equal(("partner", 1, 0), (g.Key, g.Week.Leads, g.Before.Leads)),
            g => Assert.Equal(("event", 0, 1), (g.Key, g.Week.Leads, g.Before.Leads)));

        var text = DigestText.Render(digest, null);
        Assert.Contains("Leads: 4 (up 2 from 2)", text);
        Assert.Contains("webinar ██████████ 3 (up 2 from 1)", text);
        Assert.Contains("partner ███░░░░░░░ 1 (none the week before) · none rejected", text);
        Assert.Contains("event ░░░░░░░░░░ 0 (down 1 from 1)", text);
    }

    [Fact]
    public void Speed_MedianAndP95FromPosting_AndSlaBands()
    {
        // Waits of 5, 10, 20, 25 and 60 minutes against a 15-minute SLA: 2 within, 2 up to twice, 1 beyond; one unclaimed.
        var digest = Compose([Fact(1, waitedMinutes: 5), Fact(2, waitedMinutes: 10), Fact(3, waitedMinutes: 20), Fact(4, waitedMinutes: 25), Fact(5, waitedMinutes: 60), Fact(6)],
            [Fact(11, waitedMinutes: 40, previousWeek: true)]);

        var speed = digest.Speed;
        Assert.Equal(20 * 60, speed.MedianSeconds);
        Assert.Equal(60 * 60, speed.P95Seconds);
        Assert.Equal(40 * 60, speed.PreviousMedianSeconds);
        Assert.Equal((5, 2, 2, 1, 1), (speed.Claimed, speed.WithinSla, speed.UpToTwiceSla, speed.BeyondTwiceSla, speed.Unclaimed));

        var text = DigestText.Render(digest, null);
        Assert.Contains("Speed to lead (SLA 15 minutes)\nMedian 20 minutes, 95th percentile 1 hour (median was 40 minutes)", text);
        Assert.Contains("Within SLA ████░░░░░░ 2 of 5", text);
        Assert.Contains("Beyond 2× SLA ██░░░░░░░░ 1 of 5", text);
        Assert.Contains("Still unclaimed: 1", text);
    }

    [Fact]
    public void Speed_WithTheWorkingHoursSlaClock_CountsAClaimAfterTheWeekendAsWithinSla()
    {
        // Posted Friday 13 Nov at 17:55 in Berlin with a 15-minute SLA on working hours (09:00-18:00, Mon-Fri): the
        // SLA reminder is due on Monday at 09:10, so a claim on Monday at 09:05 was in time, and one at 09:20 was not.
        var calendar = WorkCalendar.Default("Europe/Berlin");
        var posted = calendar.ToInstant(new DateOnly(2026, 11, 13), new TimeOnly(17, 55));
        LeadFact Claimed(long id, TimeOnly at) =>
            new(id, posted, "webinar", null, null, 1, calendar.ToInstant(new DateOnly(2026, 11, 16), at), [], [], false, false, false, 0) { PostedAt = posted };

        var digest = DigestBuilder.Compose(Acme, Week, [Claimed(1, new TimeOnly(9, 5)), Claimed(2, new TimeOnly(9, 20)), Claimed(3, new TimeOnly(10, 0))], [],
            Labels, TimeSpan.FromMinutes(15), new AlertSettings(), [], calendar.AddWorkingTime);

        Assert.Equal((3, 1, 1, 1), (digest.Speed.Claimed, digest.Speed.WithinSla, digest.Speed.UpToTwiceSla, digest.Speed.BeyondTwiceSla));
        Assert.Contains("Within SLA ███░░░░░░░ 1 of 3", DigestText.Render(digest, null));
    }

    [Fact]
    public void Speed_WithTheSlaOff_HasNoBands()
    {
        var digest = Compose([Fact(1, waitedMinutes: 5)], slaMinutes: 0);
        Assert.Null(digest.Speed.SlaMinutes);
        Assert.DoesNotContain("Within SLA", DigestText.Render(digest, null));
    }

    [Fact]
    public void Outcomes_AndRejectionReasons_AreCountedAndShown()
    {
        var digest = Compose([
            Fact(1, waitedMinutes: 3, meeting: true), Fact(2, waitedMinutes: 3, won: 12000), Fact(3, waitedMinutes: 3, won: 500.5m),
            Fact(4, ratings: [Rating.Reject], reasons: ["no-budget"]), Fact(5, ratings: [Rating.Reject], reasons: ["no-budget"]),
            Fact(6, source: "partner", ratings: [Rating.Reject], reasons: ["wrong-persona"]),
        ]);

        Assert.Equal((3, 2, 2, 12500.5m), (digest.Total.Meetings, digest.Total.Opportunities, digest.Total.Won, digest.Total.WonAmount));
        Assert.Equal([("no-budget", 2), ("wrong-persona", 1)], digest.RejectionReasons.Select(r => (r.Code, r.Count)));
        var text = DigestText.Render(digest, "http://127.0.0.1:5080/digest/acme/latest?week=2026-11-09");
        Assert.Contains("Meetings: 3 (none the week before) · opportunities: 2 (none the week before) · won: 2 (none the week before) worth 12,500.50", text);
        Assert.Contains("Rejected: 3 of 6 (50%); no leads the week before\nNo budget ██████████ 2\nWrong persona █████░░░░░ 1\nBy source: webinar 2, partner 1", text);
        Assert.Contains("Charts and every number: http://127.0.0.1:5080/digest/acme/latest?week=2026-11-09", text);
    }

    [Fact]
    public void TalkingPoints_AreTheThreeWeightiest_PooledWithContributedSections()
    {
        var goals = new DigestSection("goals", "Goal progress", ["SQLs this quarter: 40 of 120, behind"],
            [new TalkingPoint("SQLs this quarter are behind: 40 of 120 with half the quarter gone.", 0.85)],
            [new DigestBar("SQLs this quarter", 40, 120, "behind")]);
        var standups = new DigestSection("standups", "Stand-up blockers", ["Pricing page is down"], [new TalkingPoint("Blocker: the pricing page is down.", 0.1)], []);

        // Webinar: 3 of 5 rejected (60%, above the 30% alert level); 2 unclaimed; 1 won.
        var digest = Compose([
            Fact(1, ratings: [Rating.Reject], reasons: ["no-budget"]), Fact(2, ratings: [Rating.Reject]), Fact(3, ratings: [Rating.Reject]),
            Fact(4, waitedMinutes: 1, won: 1000), Fact(5, waitedMinutes: 2),
        ], sections: [goals, standups]);

        Assert.True(digest.TalkingPoints.Count == 3, string.Join("\n", digest.TalkingPoints));
        // Equal weights keep a stable order.
        Assert.StartsWith("The campaign Q4: 3 of 5 leads rejected (60%), mostly no budget.", digest.TalkingPoints[0].Text);
        Assert.StartsWith("The source webinar: 3 of 5 leads rejected (60%), mostly no budget.", digest.TalkingPoints[1].Text);
        Assert.Equal("SQLs this quarter are behind: 40 of 120 with half the quarter gone.", digest.TalkingPoints[2].Text);

        var text = DigestText.Render(digest, null);
        Assert.Contains("Top things to talk about\n1. The campaign Q4", text);
        // A section's lines say it in chat; its bars are the page's charts, not repeated as a second list here.
        Assert.Contains("Goal progress\nSQLs this quarter: 40 of 120, behind\n\n", text);
        Assert.DoesNotContain("SQLs this quarter ███░░░░░░░ 40 of 120 · behind", text);
        Assert.Contains("Stand-up blockers\nPricing page is down", text);
        Assert.DoesNotContain("Blocker: the pricing page is down.", text);
    }

    [Fact]
    public void Render_ASectionWithOnlyBars_ShowsThemAsTextBars_WithGroupedNumbers()
    {
        var pipeline = new DigestSection("pipeline", "Pipeline", [], [], [new DigestBar("Pipeline", 80000, 250000, "behind")]);

        var text = DigestText.Render(Compose([Fact(1)], sections: [pipeline]), null);

        Assert.Contains("Pipeline\nPipeline ███░░░░░░░ 80,000 of 250,000 · behind", text);
    }

    [Fact]
    public void TalkingPoints_AWeekWithoutLeads_SaysSo()
    {
        var digest = Compose([], [Fact(11, previousWeek: true)]);
        var point = Assert.Single(digest.TalkingPoints);
        Assert.Equal("No leads arrived this week, after 1 lead the week before. Is a campaign paused or a form broken?", point.Text);
    }

    [Fact]
    public void RejectionAlerts_Find_NeedsTheMinimumCount_AndARateAboveTheThreshold()
    {
        var settings = new AlertSettings { RejectionRate = 0.3, MinLeads = 5 };
        LeadFact[] fourOfFour = [Fact(1, ratings: [Rating.Reject]), Fact(2, ratings: [Rating.Reject]), Fact(3, ratings: [Rating.Reject]), Fact(4, ratings: [Rating.Reject])];
        Assert.Empty(RejectionAlerts.Find(fourOfFour, Labels, settings));

        // 3 of 10 is exactly 30%: not above it.
        var threeOfTen = Enumerable.Range(1, 10).Select(i => Fact(i, source: "event", campaign: "spring", ratings: i <= 3 ? [Rating.Reject] : [])).ToList();
        Assert.Empty(RejectionAlerts.Find(threeOfTen, Labels, settings));

        var fourOfTen = Enumerable.Range(1, 10).Select(i => Fact(i, source: "event", campaign: "spring", ratings: i <= 4 ? [Rating.Reject] : [], reasons: i <= 4 ? ["no-budget"] : [])).ToList();
        var findings = RejectionAlerts.Find(fourOfTen, Labels, settings);
        Assert.Equal([("source", "event"), ("campaign", "spring")], findings.Select(f => (f.Kind, f.Key)));
        Assert.Equal("🚨 Rejections are up for the source event: 4 of 10 leads of the last 7 days were rejected (40%; the alert level is 30%). Top reasons: no budget (4). Details: /leads quality period:7d by:source",
            RejectionAlerts.Text(findings[0], settings));
    }
}
