using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Digests;
using TeamBot.Core.Goals;
using TeamBot.Core.Handoffs;

namespace TeamBot.Data.Tests;

public sealed class GoalTests
{
    private static Task<IReadOnlyList<GoalProgress>> ProgressAsync(TestWorld world, GoalStatusFilter status = GoalStatusFilter.Active) =>
        world.InScopeAsync(async sp =>
        {
            var goals = await sp.GetRequiredService<IGoalStore>().ListAsync(TestWorld.WorkspaceId, status, CancellationToken.None);
            return await sp.GetRequiredService<GoalService>().ProgressAsync(TestWorld.WorkspaceId, goals, CancellationToken.None);
        });

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Metrics_AreComputedFromTheLeadsRatingsAndOutcomesOfThePeriod(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Calendar.Holidays.Add("2026-11-26 Thanksgiving");
        var now = world.Clock.GetUtcNow(); // Monday, November 16 2026

        // A lead from October does not count for November.
        world.Clock.Set(new DateTimeOffset(2026, 10, 30, 12, 0, 0, TimeSpan.Zero));
        await world.HandOffAsync("october@acme.com");
        world.Clock.Set(now);

        foreach (var (metric, target) in new[]
                 {
                     ("handoffs", "40"), ("claimed", "20"), ("sqls", "10"), ("meetings", "4"), ("opportunities", "2"),
                     ("won-revenue", "10k"), ("meeting-rate", "50%"), ("speed-to-claim", "15m"),
                 })
        {
            var added = await world.CommandAsync("alex", $"/goal add name:{metric} metric:{metric} target:{target} period:month owners:\"maria, sam\"");
            Assert.Contains("added goal", added!.Message.Text, StringComparison.Ordinal);
        }

        var a = await world.HandOffAsync("a@acme.com");
        var b = await world.HandOffAsync("b@acme.com");
        var c = await world.HandOffAsync("c@acme.com");
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await world.ClickAsync(a.Handoff!, "sam", HandoffCards.ClaimAction);
        await world.ReactAsync(a, "sam", "🔥");
        await world.ClickAsync(a.Handoff!, "sam", HandoffCards.OutcomeAction, "won:5000");
        world.Clock.Advance(TimeSpan.FromMinutes(20));
        await world.ClickAsync(b.Handoff!, "ana", HandoffCards.ClaimAction);
        await world.ReactAsync(b, "ana", "🚫");
        await world.ReactAsync(b, "sam", "👍"); // average of reject and good: not an SQL
        await world.ClickAsync(b.Handoff!, "ana", HandoffCards.OutcomeAction, "meeting");
        await world.ReactAsync(c, "lee", "👎");
        await world.ReactAsync(c, "lee", "👎", added: false);
        await world.ReactAsync(c, "lee", "👍"); // retracted poor, now good: an SQL

        var progress = (await ProgressAsync(world)).ToDictionary(p => p.Goal.Name);

        Assert.Equal(3m, progress["handoffs"].Actual);
        Assert.Equal(2m, progress["claimed"].Actual);
        Assert.Equal(2m, progress["sqls"].Actual);
        Assert.Equal(2m, progress["meetings"].Actual);
        Assert.Equal(1m, progress["opportunities"].Actual);
        Assert.Equal(5000m, progress["won-revenue"].Actual);
        Assert.Equal((0.6667m, 3), (progress["meeting-rate"].Actual!.Value, progress["meeting-rate"].Sample!.Value));
        Assert.Equal((1200m, 2), (progress["speed-to-claim"].Actual!.Value, progress["speed-to-claim"].Sample!.Value));

        var handoffs = progress["handoffs"];
        Assert.Equal((11, 20, 22m, 5.45m), (handoffs.WorkingDaysElapsed, handoffs.WorkingDaysTotal, handoffs.Expected!.Value, handoffs.Projected!.Value));
        Assert.Equal(GoalVerdict.Behind, handoffs.Verdict);
        Assert.Equal(GoalVerdict.AtRisk, progress["opportunities"].Verdict); // 1 by day 11 of 20 projects 1.82: short of 2, above 80% of it
        Assert.Equal(GoalVerdict.OnTrack, progress["meeting-rate"].Verdict);
        Assert.Equal(GoalVerdict.Behind, progress["speed-to-claim"].Verdict); // 20 minutes against 15, past the 18¾ at-risk line
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Store_KeepsOwnersUpdatesAndArchiving(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await world.CommandAsync("alex", "/goal add name:Pipeline metric:manual target:500k start:100k period:quarter owners:\"maria, sam\"");
        await world.CommandAsync("alex", "/goal add name:SQLs metric:sqls target:12 period:2026-11-02..2026-11-13");

        await world.CommandAsync("maria", "/goal update goal:1 value:150k note:\"CRM export\"");
        world.Clock.Advance(TimeSpan.FromHours(2));
        await world.CommandAsync("sam", "/goal update goal:1 value:175000.5");
        var refused = await world.CommandAsync("lee", "/goal update goal:1 value:1m");
        await world.CommandAsync("alex", "/goal archive goal:2");

        Assert.StartsWith("Only admins and the goal's owners", refused!.Message.Text, StringComparison.Ordinal);
        var (goal, updates) = await world.InScopeAsync(async sp =>
        {
            var store = sp.GetRequiredService<IGoalStore>();
            var found = await store.GetAsync(TestWorld.WorkspaceId, 1, CancellationToken.None);
            return (found!, await store.GetUpdatesAsync(1, CancellationToken.None));
        });
        Assert.Equal([await world.PersonIdAsync("maria"), await world.PersonIdAsync("sam")], goal.OwnerIds);
        Assert.Equal((GoalMetric.Manual, 500_000m, 100_000m), (goal.Metric, goal.Target, goal.StartValue!.Value));
        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31)), (goal.First, goal.Last));
        Assert.Equal([(150_000m, "CRM export"), (175_000.5m, null)], updates.Select(u => (u.Value, u.Note)));

        var active = Assert.Single(await ProgressAsync(world));
        Assert.Equal(175_000.5m, active.Actual);
        var archived = Assert.Single(await ProgressAsync(world, GoalStatusFilter.Archived));
        Assert.Equal("SQLs", archived.Goal.Name);
        Assert.NotNull(archived.Goal.ArchivedAt);
        Assert.Equal(2, (await ProgressAsync(world, GoalStatusFilter.All)).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Digest_ListsGoalsWithBars_AndTalksAboutTheOnesBehindFirst(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await world.CommandAsync("alex", "/goal add name:Handoffs metric:handoffs target:40 period:month owners:\"maria, sam\"");
        await world.CommandAsync("alex", "/goal add name:Claimed metric:claimed target:2 period:month owners:\"maria, sam\"");
        await world.CommandAsync("alex", "/goal add name:Later metric:handoffs target:5 period:next-month");
        var lead = await world.HandOffAsync("a@acme.com");
        await world.ClickAsync(lead.Handoff!, "sam", HandoffCards.ClaimAction);
        world.Clock.Advance(TimeSpan.FromMinutes(1)); // the window ends before its end: [From, To)
        var now = world.Clock.GetUtcNow();

        var section = await world.InScopeAsync(sp => sp.GetServices<IDigestContributor>().OfType<GoalDigest>().Single()
            .ContributeAsync(new DigestWindow(TestWorld.WorkspaceId, now.AddDays(-7), now), CancellationToken.None));

        Assert.NotNull(section);
        Assert.Equal(["Handoffs", "Claimed"], section.Bars.Select(b => b.Label)); // the goal that has not started is left out
        Assert.Equal((1d, 40d, "behind"), (section.Bars[0].Value, section.Bars[0].Max, section.Bars[0].Note));
        Assert.StartsWith("Handoffs (November 2026): ░░░░░░░░░░ 3% · 1 of 40 · behind.", section.Lines[0], StringComparison.Ordinal);
        var top = section.TalkingPoints.OrderByDescending(p => p.Weight).First();
        Assert.StartsWith("\"Handoffs\" is behind: 1 of 40 (3%), expected 21 by now (working day 11 of 21)", top.Text, StringComparison.Ordinal);
    }
}
