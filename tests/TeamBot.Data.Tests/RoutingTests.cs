using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Tests;

public sealed class RoutingTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RoundRobin_RotatesOverSalesReps_SkipsAwayAndAtCap_AndSaysWhy(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.Mode = RoutingMode.RoundRobin;
        world.Routing.MaxOpenLeadsPerRep = 2;
        await world.InScopeAsync(async sp =>
        {
            var people = sp.GetRequiredService<IPeopleStore>();
            var lee = (await people.ListAsync(TestWorld.WorkspaceId, CancellationToken.None)).Single(p => p.PlatformUserId == "lee");
            await people.UpsertAsync(TestWorld.WorkspaceId, new PersonDefinition("lee", lee.DisplayName, lee.Roles, lee.Email,
                lee.Availability with { AwayUntil = DateOnly.FromDateTime(world.Clock.GetUtcNow().UtcDateTime).AddDays(7) }), CancellationToken.None);
            return true;
        });

        var assignees = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            var lead = await world.HandOffAsync($"lead{i}@acme.com");
            assignees.Add(lead.Route!.AssigneeId is { } id ? (await world.InScopeAsync(sp => sp.GetRequiredService<IPeopleStore>().FindAsync(id, CancellationToken.None)))!.PlatformUserId : null);
        }

        Assert.Equal(["sam", "ana", "sam", "ana", null], assignees);
        var fifth = (await world.GetLeadAsync(assignees.Count))!;
        Assert.Contains("Lee Park (away until", fifth.Route!.Reason);
        Assert.Contains("at the cap of 2 open leads", fifth.Route.Reason);
        Assert.Contains("open claim", fifth.Route.Reason);
        Assert.Contains("Assigned to Ana Silva.", world.ThreadTexts((await world.GetLeadAsync(2))!)[0]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OpenLeadsPerRep_CountClaimedOrElseAssigned_NotWon_UpToTheCap(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.Mode = RoutingMode.RoundRobin;
        var (sam, ana, lee) = (await world.PersonIdAsync("sam"), await world.PersonIdAsync("ana"), await world.PersonIdAsync("lee"));
        Task<IReadOnlyDictionary<long, int>> CountAsync(int atMost) => world.InScopeAsync(sp =>
            sp.GetRequiredService<IRoutingStore>().CountOpenLeadsAsync(TestWorld.WorkspaceId, [sam, ana, lee], atMost, CancellationToken.None));

        // Round robin assigns sam, ana, lee, sam.
        var leads = new List<Core.Leads.Lead>();
        for (var i = 0; i < 4; i++) leads.Add(await world.HandOffAsync($"lead{i}@acme.com"));
        Assert.Equal([sam, ana, lee, sam], leads.Select(l => l.Route!.AssigneeId!.Value));
        Assert.Equal(new Dictionary<long, int> { [sam] = 2, [ana] = 1, [lee] = 1 }, await CountAsync(25));

        // A lead claimed by its assignee counts once; one claimed from the open pool counts for who claimed it; a lead won
        // counts for nobody.
        Assert.StartsWith("You claimed", (await world.ClickAsync(leads[0].Handoff!, "sam", HandoffCards.ClaimAction))!.Message.Text, StringComparison.Ordinal);
        world.Routing.Mode = RoutingMode.OpenClaim;
        var pooled = await world.HandOffAsync("pooled@acme.com");
        Assert.Null(pooled.Route!.AssigneeId);
        Assert.StartsWith("You claimed", (await world.ClickAsync(pooled.Handoff!, "ana", HandoffCards.ClaimAction))!.Message.Text, StringComparison.Ordinal);
        Assert.StartsWith("Recorded", (await world.CommandAsync("alex", $"/leads outcome lead:{leads[2].Id} outcome:won amount:1000"))!.Message.Text, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<long, int> { [sam] = 2, [ana] = 2 }, await CountAsync(25));

        // Routing only asks whether a rep is at the cap: counts stop there.
        Assert.Equal(new Dictionary<long, int> { [sam] = 1, [ana] = 1 }, await CountAsync(1));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rules_FirstMatchDecides_RepOrChannel_AndNoMatchFallsBack(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.Mode = RoutingMode.Rules;
        world.Routing.Rules.Add(new RoutingRule { Name = "DACH enterprise", Country = ["DE", "AT", "CH"], Segment = ["enterprise"], Rep = "ana" });
        world.Routing.Rules.Add(new RoutingRule { Name = "Partners", Source = ["partner"], Channel = "partner-leads" });

        var dach = (await world.SubmitAsync(TestWorld.Lead("a@acme.de")))[0].LeadId;
        var partner = (await world.SubmitAsync(TestWorld.Lead("b@acme.fr", source: "Partner") with { Country = "FR" }))[0].LeadId;
        var other = (await world.SubmitAsync(TestWorld.Lead("c@acme.us") with { Country = "US" }))[0].LeadId;
        await world.DispatchAsync();

        var routed = (await world.GetLeadAsync(dach))!.Route!;
        Assert.Equal(await world.PersonIdAsync("ana"), routed.AssigneeId);
        Assert.Equal("Rule 'DACH enterprise' matched (segment enterprise, country DE): assigned to Ana Silva.", routed.Reason);
        Assert.Equal("partner-leads", (await world.GetLeadAsync(partner))!.Route!.PlaceId);
        Assert.Single(world.Platform.PostsIn("partner-leads"));
        var fallback = (await world.GetLeadAsync(other))!.Route!;
        Assert.Null(fallback.AssigneeId);
        Assert.StartsWith("No routing rule matched; open claim", fallback.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Assign_ByAdmin_ReassignsAndNotifiesTheRep_OthersMayNot(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");

        var refused = await world.CommandAsync("sam", $"/leads assign lead:{lead.Id} rep:ana");
        var done = await world.CommandAsync("alex", $"/leads assign lead:{lead.Id} rep:Ana");
        await world.DispatchAsync();

        Assert.Contains("Only admin people can use /leads assign", refused!.Message.Text);
        Assert.Equal($"Lead #{lead.Id} is now assigned to Ana Silva.", done!.Message.Text);
        var note = Assert.Single(world.Platform.PostsIn(lead.ThreadPlaceId!), p => p.Message.Text?.StartsWith("👉", StringComparison.Ordinal) == true);
        Assert.Equal("ana", Assert.Single(note.Message.Mentions).UserId);
        var claimBySam = await world.ClickAsync(lead.Handoff!, "sam", HandoffCards.ClaimAction);
        Assert.Contains("is assigned to Ana Silva", claimBySam!.Message.Text);
    }
}
