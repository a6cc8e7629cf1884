using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Tests;

/// <summary>The availability model in chat: away and back, holidays, and the SLA clock that counts working hours.</summary>
public sealed class AvailabilityTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Away_AsTypedInTheIssue_TakesARepOutOfTheRotationUntilBack(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.Mode = RoutingMode.RoundRobin;

        var reply = await world.CommandAsync("sam", "/away until 2026-12-02");
        Assert.StartsWith("You are away until Wednesday 2 December 2026 (back that day).", reply!.Message.Text);

        var first = await world.HandOffAsync("a@acme.com");
        Assert.Equal(await world.PersonIdAsync("ana"), first.Route!.AssigneeId);
        Assert.Contains("Sam Carter (away until 2026-12-02)", first.Route.Reason);

        Assert.Equal("Welcome back: leads and stand-ups include you again.", (await world.CommandAsync("sam", "/back"))!.Message.Text);
        var second = await world.HandOffAsync("b@acme.com");
        Assert.DoesNotContain("Sam Carter (away", second.Route!.Reason);
        Assert.Equal("You are not marked away, so there is nothing to end.", (await world.CommandAsync("sam", "/back"))!.Message.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Away_WithABadDate_OrForSomeoneElseByANonAdmin_IsRefusedAndChangesNothing(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        Assert.Equal("until: '2/12/2026' is not a date; give the first day back as YYYY-MM-DD, e.g. /away until:2026-11-23.",
            (await world.CommandAsync("sam", "/away until:2/12/2026"))!.Message.Text);
        Assert.Equal("until: 2026-11-16 is not after today (2026-11-16); give the first day back.",
            (await world.CommandAsync("sam", "/away until:2026-11-16"))!.Message.Text);
        Assert.Equal("Only admins can change someone else's availability. Nothing was changed.",
            (await world.CommandAsync("sam", "/away until:2026-12-02 person:ana"))!.Message.Text);

        var everyone = await world.InScopeAsync(sp => sp.GetRequiredService<IPeopleStore>().ListAsync(TestWorld.WorkspaceId, CancellationToken.None));
        Assert.All(everyone, p => Assert.Null(p.Availability.AwayUntil));

        Assert.StartsWith("Ana Silva is away until", (await world.CommandAsync("alex", "/away until:2026-12-02 person:ana"))!.Message.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Holidays_AddedByAnAdmin_AreListedWithTheConfiguredOnes_AndOnlyChatOnesCanBeRemoved(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Calendar.Holidays.Add("2026-12-25 Christmas Day");

        Assert.Contains("Only admin people can use /holidays add", (await world.CommandAsync("sam", "/holidays add date:2026-12-24"))!.Message.Text);
        var added = await world.CommandAsync("alex", "/holidays add date:2026-12-24 name:\"Christmas Eve\"");
        Assert.Equal(ReplyVisibility.Public, added!.Visibility);
        Assert.Equal("Alex Kim made Thursday 24 December 2026 (Christmas Eve) a holiday: no stand-ups, and SLA clocks and pace counts skip it.", added.Message.Text);
        Assert.Equal("date: 'tomorrow' is not a date; use YYYY-MM-DD, e.g. date:2026-12-25.", (await world.CommandAsync("alex", "/holidays add date:tomorrow"))!.Message.Text);

        Assert.Equal("Holidays ahead:\n• Thursday 24 December 2026 Christmas Eve\n• Friday 25 December 2026 Christmas Day (configured)",
            (await world.CommandAsync("maria", "/holidays list"))!.Message.Text);

        var calendar = await world.InScopeAsync(sp => sp.GetRequiredService<IWorkCalendars>().ForWorkspaceAsync(TestWorld.WorkspaceId, CancellationToken.None));
        Assert.True(calendar.IsHoliday(new DateOnly(2026, 12, 24)));
        Assert.True(calendar.IsHoliday(new DateOnly(2026, 12, 25)));

        Assert.Contains("change it there", (await world.CommandAsync("alex", "/holidays remove date:2026-12-25"))!.Message.Text);
        Assert.Contains("removed the holiday", (await world.CommandAsync("alex", "/holidays remove date:2026-12-24"))!.Message.Text);
        calendar = await world.InScopeAsync(sp => sp.GetRequiredService<IWorkCalendars>().ForWorkspaceAsync(TestWorld.WorkspaceId, CancellationToken.None));
        Assert.False(calendar.IsHoliday(new DateOnly(2026, 12, 24)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sla_OnWorkingHours_ALeadPostedOnFridayEveningIsDueOnMondayMorning_AndHolidaysDoNotCount(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.SlaClock = SlaClock.WorkingHours;
        world.Routing.SlaMinutes = 15;
        world.Calendar.Holidays.Add("2026-11-23"); // the Monday after

        world.Clock.Set(new DateTimeOffset(2026, 11, 20, 16, 50, 0, TimeSpan.Zero)); // Friday 17:50 in Berlin
        var lead = await world.HandOffAsync("late@acme.com");

        // Ten minutes count on Friday; the weekend and Monday's holiday do not; the other five on Tuesday morning.
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 5, 0, TimeSpan.Zero), world.Sla.Due[lead.Id]);
        Assert.Equal(world.Sla.Due[lead.Id], lead.SlaDueAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Availability_SetAndShow_UsesTheWorkspaceWorkWeekForNewPeople(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Calendar.WorkWeek = "Sun-Thu";

        // Someone TeamBot has never seen gets the workspace's week.
        var shown = (await world.CommandAsync("newbie", "/availability show"))!.Message.Text!;
        Assert.Contains("days Sun, Mon, Tue, Wed, Thu", shown);

        Assert.Equal("tz: 'Mars/Olympus' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, Asia/Jerusalem).",
            (await world.CommandAsync("newbie", "/availability set tz:Mars/Olympus hours:10:00-16:00"))!.Message.Text);
        Assert.Equal("Your availability: Asia/Jerusalem, 10:00-16:00, Sun, Mon, Tue, Wed, Thu.",
            (await world.CommandAsync("newbie", "/availability set tz:Asia/Jerusalem hours:10:00-16:00"))!.Message.Text);
    }
}
