using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Tests.Fakes;
using TeamBot.Core.Workspaces;
using TeamBot.Testing;

namespace TeamBot.Core.Tests.Handoffs;

public class RouterTests
{
    private const string Berlin = "Europe/Berlin";

    // Monday 16 November 2026, 10:30 in Berlin.
    private readonly ManualClock _clock = new();
    private readonly FakePeopleStore _people = new();
    private readonly FakeRoutingStore _store = new();
    private readonly FakeWorkCalendars _calendars = new(Berlin);
    private readonly Workspace _workspace = new("w1", "local", "Acme", Berlin, new WorkspacePlaces("handoffs", "marketing", "general"));

    private static Person Rep(long id, string name, Availability? availability = null, TeamRoles roles = TeamRoles.Sales) =>
        new(id, "w1", "u" + id, name, roles, null, availability ?? Availability.Default(Berlin));

    private static Availability AwayUntil(int year, int month, int day) =>
        Availability.Default(Berlin) with { AwayUntil = new DateOnly(year, month, day) };

    private RouterTests AddTeam(params Person[] people)
    {
        foreach (var person in people) _people.Add(person);
        return this;
    }

    /// <summary>Ann, Bea and Cy sell; Mo does marketing. Listed out of id order on purpose.</summary>
    private void AddDefaultTeam(Availability? bea = null, Availability? cy = null) =>
        AddTeam(Rep(3, "Cy", cy), Rep(4, "Mo", roles: TeamRoles.Marketing), Rep(1, "Ann"), Rep(2, "Bea", bea));

    private Lead NewLead(string source = "webinar", string segment = "smb") => new()
    {
        Id = 42,
        WorkspaceId = "w1",
        Data = new LeadData { Email = "jane@acme.com", Source = source, Segment = segment },
        ReceivedAt = _clock.GetUtcNow(),
    };

    private Task<LeadRoute> RouteAsync(RoutingSettings settings, Lead? lead = null, IReadOnlySet<long>? exclude = null) =>
        new Router(_people, _store, _calendars, _clock).RouteAsync(_workspace, lead ?? NewLead(), settings, exclude ?? new HashSet<long>(), CancellationToken.None);

    private static RoutingSettings RoundRobin() => new() { Mode = RoutingMode.RoundRobin };

    [Fact]
    public async Task RouteAsync_WhenOpenClaim_PostsForEveryoneWithoutAssignee()
    {
        AddDefaultTeam();

        var route = await RouteAsync(new RoutingSettings());

        Assert.Null(route.AssigneeId);
        Assert.Empty(route.Pool);
        Assert.Equal("handoffs", route.PlaceId);
        Assert.Equal("Open claim: the first sales rep to claim it gets it.", route.Reason);
        Assert.Equal(_clock.GetUtcNow(), route.At);
    }

    [Fact]
    public async Task RouteAsync_WhenRoundRobinHasNoCursor_StartsWithTheLowestPersonId()
    {
        AddDefaultTeam();

        var route = await RouteAsync(RoundRobin());

        Assert.Equal(1, route.AssigneeId);
        Assert.Equal("handoffs", route.PlaceId);
        Assert.Equal("Round robin: Ann was next in the rotation.", route.Reason);
        Assert.Equal(1, _store.Cursors[("w1", "all")]);
    }

    [Fact]
    public async Task RouteAsync_WhenRoundRobinRunsRepeatedly_RotatesInPersonIdOrderAfterTheCursor()
    {
        AddDefaultTeam();
        _store.Cursors[("w1", "all")] = 1;

        var assignees = new List<long?>();
        for (var i = 0; i < 4; i++) assignees.Add((await RouteAsync(RoundRobin())).AssigneeId);

        Assert.Equal([2, 3, 1, 2], assignees);
    }

    [Fact]
    public async Task RouteAsync_WhenCursorPointsPastEveryone_WrapsToTheFirst()
    {
        AddDefaultTeam();
        _store.Cursors[("w1", "all")] = 99;

        Assert.Equal(1, (await RouteAsync(RoundRobin())).AssigneeId);
    }

    [Fact]
    public async Task RouteAsync_WhenNextRepIsAway_SkipsThemAndSaysUntilWhen()
    {
        AddDefaultTeam(bea: AwayUntil(2026, 11, 20));
        _store.Cursors[("w1", "all")] = 1;

        var route = await RouteAsync(RoundRobin());

        Assert.Equal(3, route.AssigneeId);
        Assert.Equal("Round robin: Cy was next in the rotation. Skipped Bea (away until 2026-11-20).", route.Reason);
        Assert.Equal(3, _store.Cursors[("w1", "all")]);
    }

    [Fact]
    public async Task RouteAsync_WhenRepsAwayDateIsToday_TheyAreBackAndGetTheLead()
    {
        AddDefaultTeam(bea: AwayUntil(2026, 11, 16));
        _store.Cursors[("w1", "all")] = 1;

        Assert.Equal(2, (await RouteAsync(RoundRobin())).AssigneeId);
    }

    [Fact]
    public async Task RouteAsync_WhenNextRepIsOutsideWorkingHours_SkipsThem()
    {
        // 09:30 UTC is 04:30 in New York.
        AddDefaultTeam(bea: Availability.Default("America/New_York"));
        _store.Cursors[("w1", "all")] = 1;

        var route = await RouteAsync(RoundRobin());

        Assert.Equal(3, route.AssigneeId);
        Assert.EndsWith("Skipped Bea (outside working hours).", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteAsync_OnAWorkspaceHoliday_SkipsRepsAndHandsItToTheNextOneOffDuty()
    {
        AddDefaultTeam();
        _calendars.AddHoliday(new DateOnly(2026, 11, 16));

        var route = await RouteAsync(RoundRobin());

        // Nobody works on a holiday: like a night, the lead still goes to whoever is next, and the reason says why.
        Assert.Equal(1, route.AssigneeId);
        Assert.Equal("Round robin: nobody available is working today (a holiday), so Ann, next in the rotation, gets it.", route.Reason);
    }

    [Fact]
    public async Task RouteAsync_WhenNextRepHoldsTheMostOpenLeads_SkipsThem()
    {
        AddDefaultTeam();
        _store.Cursors[("w1", "all")] = 1;
        _store.OpenLeads[2] = 3;
        _store.OpenLeads[3] = 2;

        var route = await RouteAsync(new RoutingSettings { Mode = RoutingMode.RoundRobin, MaxOpenLeadsPerRep = 3 });

        Assert.Equal(3, route.AssigneeId);
        Assert.EndsWith("Skipped Bea (at the cap of 3 open leads).", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteAsync_WhenRepAlreadyHadTheLead_SkipsThem()
    {
        AddDefaultTeam();
        _store.Cursors[("w1", "all")] = 1;

        var route = await RouteAsync(RoundRobin(), exclude: new HashSet<long> { 2 });

        Assert.Equal(3, route.AssigneeId);
        Assert.EndsWith("Skipped Bea (already had it).", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteAsync_WhenSeveralSkipped_NamesEachWithTheirReason()
    {
        AddDefaultTeam(bea: AwayUntil(2026, 12, 1), cy: Availability.Default("America/Los_Angeles"));
        _store.Cursors[("w1", "all")] = 1;

        var route = await RouteAsync(RoundRobin());

        Assert.Equal(1, route.AssigneeId);
        Assert.Equal(
            "Round robin: Ann was next in the rotation. Skipped Bea (away until 2026-12-01), Cy (outside working hours).",
            route.Reason);
    }

    [Fact]
    public async Task RouteAsync_WhenNobodyIsWorking_GivesItToTheNextRepOffHours()
    {
        AddDefaultTeam(bea: AwayUntil(2026, 12, 1));
        _store.Cursors[("w1", "all")] = 1;
        _clock.Set(new DateTimeOffset(2026, 11, 14, 12, 0, 0, TimeSpan.Zero)); // a Saturday

        var route = await RouteAsync(RoundRobin());

        Assert.Equal(3, route.AssigneeId);
        Assert.Equal("Round robin: nobody available is within working hours now, so Cy, next in the rotation, gets it.", route.Reason);
        Assert.Equal(3, _store.Cursors[("w1", "all")]);
    }

    [Fact]
    public async Task RouteAsync_WhenNoRepIsAvailable_FallsBackToOpenClaim()
    {
        AddTeam(Rep(1, "Ann", AwayUntil(2026, 12, 1)), Rep(2, "Bea", AwayUntil(2026, 12, 1)));

        var route = await RouteAsync(RoundRobin());

        Assert.Null(route.AssigneeId);
        Assert.Equal("handoffs", route.PlaceId);
        Assert.Equal("Round robin found no available sales rep (skipped Ann (away until 2026-12-01), Bea (away until 2026-12-01)); open claim: the first sales rep to claim it gets it.", route.Reason);
        Assert.Empty(_store.Cursors);
    }

    [Fact]
    public async Task RouteAsync_WhenWorkspaceHasNoReps_FallsBackToOpenClaim()
    {
        AddTeam(Rep(4, "Mo", roles: TeamRoles.Marketing | TeamRoles.Admin));

        var route = await RouteAsync(RoundRobin());

        Assert.Null(route.AssigneeId);
        Assert.StartsWith("Round robin found no available sales rep;", route.Reason, StringComparison.Ordinal);
    }

    private static RoutingSettings Rules(RoutingMode fallback = RoutingMode.OpenClaim) => new()
    {
        Mode = RoutingMode.Rules,
        RulesFallback = fallback,
        Rules =
        [
            new RoutingRule { Name = "Enterprise", Segment = ["enterprise"], Channel = "enterprise-leads" },
            new RoutingRule { Name = "Webinars", Source = ["Webinar"], Rep = "u3" },
            new RoutingRule { Name = "Events", Source = ["event"], Pool = ["u1", "u2"] },
        ],
    };

    [Fact]
    public async Task RouteAsync_WhenRuleNamesARep_AssignsThemAndSaysWhichRuleMatched()
    {
        AddDefaultTeam();

        var route = await RouteAsync(Rules(), NewLead(source: "webinar"));

        Assert.Equal(3, route.AssigneeId);
        Assert.Equal("handoffs", route.PlaceId);
        Assert.Equal("Rule 'Webinars' matched (source webinar): assigned to Cy.", route.Reason);
    }

    [Fact]
    public async Task RouteAsync_WhenSeveralRulesMatch_TheFirstWins()
    {
        AddDefaultTeam();

        var route = await RouteAsync(Rules(), NewLead(source: "webinar", segment: "enterprise"));

        Assert.Null(route.AssigneeId);
        Assert.Equal("enterprise-leads", route.PlaceId);
        Assert.Equal("Rule 'Enterprise' matched (segment enterprise): posted in #enterprise-leads for an open claim.", route.Reason);
    }

    [Fact]
    public async Task RouteAsync_WhenRuleHasAPool_RotatesWithinThePoolOnly()
    {
        AddDefaultTeam();
        _store.Cursors[("w1", "all")] = 2;

        var first = await RouteAsync(Rules(), NewLead(source: "event"));
        var second = await RouteAsync(Rules(), NewLead(source: "event"));
        var third = await RouteAsync(Rules(), NewLead(source: "event"));

        Assert.Equal([1, 2, 1], new[] { first.AssigneeId, second.AssigneeId, third.AssigneeId });
        Assert.Equal("Rule 'Events' matched (source event): round robin in its pool: Ann was next in the rotation.", first.Reason);
        Assert.Equal(1, _store.Cursors[("w1", "rule:Events")]);
        Assert.Equal(2, _store.Cursors[("w1", "all")]);
    }

    [Fact]
    public async Task RouteAsync_WhenNobodyInThePoolIsAvailable_FallsBackToOpenClaim()
    {
        AddTeam(Rep(1, "Ann", AwayUntil(2026, 12, 1)), Rep(2, "Bea", AwayUntil(2026, 12, 1)), Rep(3, "Cy"));

        var route = await RouteAsync(Rules(), NewLead(source: "event"));

        Assert.Null(route.AssigneeId);
        Assert.Equal("Rule 'Events' matched (source event), but nobody in its pool is available (skipped Ann (away until 2026-12-01), Bea (away until 2026-12-01)); open claim: the first sales rep to claim it gets it.", route.Reason);
    }

    [Fact]
    public async Task RouteAsync_WhenRulesRepIsAway_UsesTheFallbackAndSaysWhy()
    {
        AddDefaultTeam(cy: AwayUntil(2026, 11, 20));

        var route = await RouteAsync(Rules(RoutingMode.RoundRobin), NewLead(source: "webinar"));

        Assert.Equal(1, route.AssigneeId);
        Assert.Equal("Rule 'Webinars' matched (source webinar), but Cy is away until 2026-11-20; round robin: Ann was next in the rotation.", route.Reason);
    }

    [Fact]
    public async Task RouteAsync_WhenRulesRepIsNotASalesRep_UsesTheFallbackAndSaysWhy()
    {
        AddTeam(Rep(1, "Ann"), Rep(3, "Cy", roles: TeamRoles.Marketing));

        var route = await RouteAsync(Rules(), NewLead(source: "webinar"));

        Assert.Null(route.AssigneeId);
        Assert.Equal("Rule 'Webinars' matched (source webinar), but u3 is not a sales rep here; open claim: the first sales rep to claim it gets it.", route.Reason);
    }

    [Fact]
    public async Task RouteAsync_WhenRulesRepAlreadyHadTheLead_UsesTheFallback()
    {
        AddDefaultTeam();

        var route = await RouteAsync(Rules(), NewLead(source: "webinar"), new HashSet<long> { 3 });

        Assert.Null(route.AssigneeId);
        Assert.Contains("but Cy already had it", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteAsync_WhenNoRuleMatches_UsesOpenClaimFallback()
    {
        AddDefaultTeam();

        var route = await RouteAsync(Rules(), NewLead(source: "ads"));

        Assert.Null(route.AssigneeId);
        Assert.Equal("handoffs", route.PlaceId);
        Assert.Equal("No routing rule matched; open claim: the first sales rep to claim it gets it.", route.Reason);
    }

    [Fact]
    public async Task RouteAsync_WhenNoRuleMatches_UsesRoundRobinFallback()
    {
        AddDefaultTeam();

        var route = await RouteAsync(Rules(RoutingMode.RoundRobin), NewLead(source: "ads"));

        Assert.Equal(1, route.AssigneeId);
        Assert.Equal("No routing rule matched; round robin: Ann was next in the rotation.", route.Reason);
    }
}
