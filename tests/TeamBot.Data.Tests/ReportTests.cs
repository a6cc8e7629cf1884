using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Reports;

namespace TeamBot.Data.Tests;

public sealed class ReportTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LeadQuality_CountsTheLoop_BySource_AgainstThePreviousPeriod(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        // The previous week: one webinar lead, never claimed.
        await world.SubmitAsync(TestWorld.Lead("old@acme.com"));
        world.Clock.Advance(TimeSpan.FromDays(7));

        var a = await world.HandOffAsync("a@acme.com");
        var b = await world.HandOffAsync("b@acme.com");
        await world.SubmitAsync(TestWorld.Lead("c@acme.com", source: "event"));
        await world.DispatchAsync();

        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await world.ClickAsync(a.Handoff!, "sam", HandoffCards.ClaimAction);
        await world.ReactAsync(a, "sam", "🔥");
        await world.ClickAsync(a.Handoff!, "sam", HandoffCards.OutcomeAction, "won:5000");
        world.Clock.Advance(TimeSpan.FromMinutes(20));
        await world.ClickAsync(b.Handoff!, "ana", HandoffCards.ClaimAction);
        await world.ReactAsync(b, "ana", "🚫");
        await world.CommandAsync("ana", $"/leads reason lead:{b.Id} reason:no-budget");
        await world.ReactAsync(b, "sam", "👍");

        var report = await world.InScopeAsync(sp =>
        {
            ReportPeriod.TryParse("7d", world.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), out var period, out _);
            return sp.GetRequiredService<LeadQualityReports>().BuildAsync(TestWorld.WorkspaceId, period, ReportGrouping.Source, CancellationToken.None);
        });

        var total = report.Total.Current;
        Assert.Equal((3, 2, 1), (total.Leads, total.Claimed, total.Rejected));
        Assert.Equal(Math.Round((5 + 1 + 4) / 3.0, 2), total.AverageRating);
        Assert.Equal(("no-budget", "No budget", 1), (total.TopReasons[0].Code, total.TopReasons[0].Label, total.TopReasons[0].Count));
        Assert.Equal(20 * 60 / 2.0 + 10 * 60, total.SpeedToClaim.MedianSeconds);
        Assert.Equal(30 * 60, total.SpeedToClaim.P95Seconds);
        Assert.Equal((1, 1, 1, 5000m), (total.Meetings, total.Opportunities, total.Won, total.WonAmount));
        Assert.Equal(1, report.Total.Previous.Leads);

        var webinar = report.Groups.Single(g => g.Key == "webinar");
        Assert.Equal((2, 1), (webinar.Current.Leads, webinar.Previous.Leads));
        Assert.Equal(1, report.Groups.Single(g => g.Key == "event").Current.Leads);

        var card = LeadQualityCard.Render(report);
        Assert.Equal(["All sources", "webinar", "event"], card.Fields.Select(f => f.Name));
        var whole = card.Fields[0].Value;
        Assert.Contains("3 leads (up 2 from 1)", whole);
        Assert.Contains("2 of 3 claimed (67%)", whole);
        Assert.Contains("1 of 3 rejected (33%); top reasons: no budget (1)", whole);
        Assert.Contains("median 20 minutes", whole);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LeadQuality_AReasonStopsCounting_WhenItsRepNoLongerRatesTheLeadPoor(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("a@acme.com");
        await world.ReactAsync(lead, "ana", "👎");
        await world.CommandAsync("ana", $"/leads reason lead:{lead.Id} reason:no-budget");
        await world.ReactAsync(lead, "ana", "👎", added: false);
        await world.ReactAsync(lead, "ana", "🔥");
        world.Clock.Advance(TimeSpan.FromMinutes(1));

        var report = await world.InScopeAsync(sp =>
        {
            ReportPeriod.TryParse("7d", world.Clock.GetUtcNow(), TimeZoneInfo.Utc, out var period, out _);
            return sp.GetRequiredService<LeadQualityReports>().BuildAsync(TestWorld.WorkspaceId, period, ReportGrouping.Source, CancellationToken.None);
        });

        Assert.Equal(1, report.Total.Current.Leads);
        Assert.Equal(5, report.Total.Current.AverageRating);
        Assert.Empty(report.Total.Current.TopReasons);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LeadFacts_CountEachRepsLatestRating_AndTheLatestOutcome_WhateverOrderTheyWereWrittenIn(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var (a, b, c) = (await world.HandOffAsync("a@acme.com"), await world.HandOffAsync("b@acme.com"), await world.HandOffAsync("c@acme.com"));
        var (sam, ana, alex) = (await world.PersonIdAsync("sam"), await world.PersonIdAsync("ana"), await world.PersonIdAsync("alex"));
        var t = world.Clock.GetUtcNow();
        await world.InScopeAsync(async sp =>
        {
            var feedback = sp.GetRequiredService<IFeedbackStore>();
            var none = CancellationToken.None;
            // Sam changed his mind to reject, with a reason; Ana's poor rating and reason were replaced by a good one given
            // at the same moment (the later row wins the tie); Alex took his poor rating back.
            await feedback.AddRatingAsync(a.Id, sam, Rating.Great, FeedbackSource.Button, null, t, none);
            await feedback.AddRatingAsync(a.Id, sam, Rating.Reject, FeedbackSource.Button, null, t.AddMinutes(1), none);
            await feedback.AddReasonAsync(new ReasonRecord(a.Id, sam, "no-budget", null, t.AddMinutes(1)), none);
            await feedback.AddRatingAsync(a.Id, ana, Rating.Poor, FeedbackSource.Button, null, t.AddMinutes(2), none);
            await feedback.AddReasonAsync(new ReasonRecord(a.Id, ana, "spam", null, t.AddMinutes(2)), none);
            await feedback.AddRatingAsync(a.Id, ana, Rating.Good, FeedbackSource.Button, null, t.AddMinutes(2), none);
            await feedback.AddRatingAsync(a.Id, alex, Rating.Poor, FeedbackSource.Reaction, "👎", t.AddMinutes(3), none);
            await feedback.AddReasonAsync(new ReasonRecord(a.Id, alex, "duplicate", null, t.AddMinutes(3)), none);
            await feedback.RetractRatingAsync(a.Id, alex, "👎", t.AddMinutes(4), none);
            await feedback.AddReasonAsync(new ReasonRecord(a.Id, sam, "no-budget", "said twice", t.AddMinutes(5)), none);

            // Outcomes written out of time order: the latest by time counts, not the last written.
            await feedback.AddOutcomeAsync(new OutcomeRecord(a.Id, sam, LeadStage.Won, 5000, null, t.AddDays(3)), none);
            await feedback.AddOutcomeAsync(new OutcomeRecord(a.Id, sam, LeadStage.Meeting, null, null, t.AddDays(1)), none);
            await feedback.AddOutcomeAsync(new OutcomeRecord(b.Id, ana, LeadStage.Opportunity, null, null, t.AddDays(1)), none);
            await feedback.AddOutcomeAsync(new OutcomeRecord(b.Id, ana, LeadStage.Lost, null, null, t.AddDays(2)), none);
            await feedback.AddOutcomeAsync(new OutcomeRecord(c.Id, ana, LeadStage.Lost, null, null, t.AddDays(2)), none);
            await feedback.AddOutcomeAsync(new OutcomeRecord(c.Id, ana, LeadStage.Won, 100, null, t.AddDays(1)), none);
            return 0;
        });

        var facts = (await world.InScopeAsync(sp => sp.GetRequiredService<ILeadFactsQuery>().GetAsync(TestWorld.WorkspaceId, t.AddDays(-1), t.AddDays(1), CancellationToken.None)))
            .ToDictionary(f => f.LeadId);

        Assert.Equal([a.Id, b.Id, c.Id], facts.Keys.Order());
        Assert.Equal([Rating.Reject, Rating.Good], facts[a.Id].CurrentRatings.Order());
        Assert.Equal(["no-budget"], facts[a.Id].ReasonCodes);
        Assert.Equal((true, true, true, 5000m), (facts[a.Id].Meeting, facts[a.Id].Opportunity, facts[a.Id].Won, facts[a.Id].WonAmount));
        Assert.Equal((true, true, false, 0m), (facts[b.Id].Meeting, facts[b.Id].Opportunity, facts[b.Id].Won, facts[b.Id].WonAmount));
        Assert.Equal((true, true, false, 0m), (facts[c.Id].Meeting, facts[c.Id].Opportunity, facts[c.Id].Won, facts[c.Id].WonAmount));
        Assert.Empty(facts[b.Id].CurrentRatings);
        Assert.Empty(facts[c.Id].ReasonCodes);
    }
}
