using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Handoffs;

namespace TeamBot.Data.Tests;

public sealed class SlaTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sla_OpenLeadNobodyClaims_RemindsInThread_ThenEscalatesToAdmins_EachOnce(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.SlaMinutes = 15;
        var lead = await world.HandOffAsync("jane@acme.com");

        world.Clock.Advance(TimeSpan.FromMinutes(15));
        await FireAsync(world, lead.Id);
        await FireAsync(world, lead.Id); // a timer that fires twice changes nothing
        await world.DispatchAsync();
        Assert.Single(world.ThreadTexts(lead), t => t.StartsWith("⏰ Nobody has claimed this lead in 15 minutes", StringComparison.Ordinal));
        Assert.Equal(world.Clock.GetUtcNow().AddMinutes(15), world.Sla.Due[lead.Id]);

        world.Clock.Advance(TimeSpan.FromMinutes(15));
        await FireAsync(world, lead.Id);
        await FireAsync(world, lead.Id);
        await world.DispatchAsync();
        var escalation = Assert.Single(world.Platform.PostsIn(lead.ThreadPlaceId!), p => p.Message.Text?.StartsWith("🚨", StringComparison.Ordinal) == true);
        Assert.Contains("waited 30 minutes without a claim", escalation.Message.Text);
        Assert.Equal("alex", Assert.Single(escalation.Message.Mentions).UserId);
        var direct = Assert.Single(world.Platform.PostsIn("dm-alex"));
        Assert.Contains($"Lead #{lead.Id} (Jane Doe, Acme GmbH) has waited 30 minutes", direct.Message.Text);
        Assert.Null((await world.GetLeadAsync(lead.Id))!.SlaDueAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sla_AssignedLeadItsRepIgnores_IsReroutedToTheNextRep(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        world.Routing.Mode = RoutingMode.RoundRobin;
        world.Routing.SlaMinutes = 10;
        var lead = await world.HandOffAsync("jane@acme.com");
        var first = lead.Route!.AssigneeId;

        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await FireAsync(world, lead.Id);
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await FireAsync(world, lead.Id);
        await world.DispatchAsync();

        var rerouted = await world.GetLeadAsync(lead.Id);
        Assert.NotEqual(first, rerouted!.Route!.AssigneeId);
        Assert.Equal(1, rerouted.Reroutes);
        Assert.Contains(world.ThreadTexts(lead), t => t.StartsWith("↪️ Sam Carter did not claim it within 20 minutes, so it was re-routed to Ana Silva.", StringComparison.Ordinal));
        Assert.Equal(world.Clock.GetUtcNow().AddMinutes(10), rerouted.SlaDueAt);
        var why = await world.CommandAsync("maria", $"/leads why lead:{lead.Id}");
        Assert.Contains("re-routed to Ana Silva", why!.Message.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sla_ClaimedBeforeItFires_DoesNothing(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        await world.ReactAsync(lead, "sam", "🙋");

        world.Clock.Advance(TimeSpan.FromHours(2));
        await FireAsync(world, lead.Id);
        await world.DispatchAsync();

        Assert.DoesNotContain(world.ThreadTexts(lead), t => t.StartsWith('⏰') || t.StartsWith("🚨", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Recover_RearmsTheTimerOfEveryOpenLead(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var open = await world.HandOffAsync("a@acme.com");
        var claimed = await world.HandOffAsync("b@acme.com");
        await world.ReactAsync(claimed, "sam", "🙋");
        world.Sla.Due.Clear();

        var count = await world.InScopeAsync(sp => sp.GetRequiredService<SlaService>().RecoverAsync(CancellationToken.None));

        Assert.Equal(1, count);
        Assert.Equal(open.SlaDueAt, world.Sla.Due[open.Id]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Recover_ReadsTheOpenLeadsInChunks_AndRearmsEveryOne(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var now = world.Clock.GetUtcNow();
        // More than two chunks of running leads, with claimed and never-posted leads among them.
        var leads = Enumerable.Range(0, SlaService.RecoverChunk * 2 + 100).Select(i => new LeadRow
        {
            WorkspaceId = TestWorld.WorkspaceId,
            Email = $"lead{i}@acme.example",
            ReceivedAt = now,
            HandoffMessageId = i % 7 == 3 ? null : $"m{i}",
            ClaimedById = i % 11 == 5 ? 1 : null,
            SlaDueAt = now.AddMinutes(30 + i),
        }).ToList();
        await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            db.Leads.AddRange(leads);
            return await db.SaveChangesAsync();
        });
        var running = leads.Where(l => l.HandoffMessageId is not null && l.ClaimedById is null).ToDictionary(l => l.Id, l => l.SlaDueAt!.Value);

        var count = await world.InScopeAsync(sp => sp.GetRequiredService<SlaService>().RecoverAsync(CancellationToken.None));

        Assert.Equal(running.Count, count);
        Assert.Equal(running.OrderBy(r => r.Key), world.Sla.Due.OrderBy(r => r.Key));
    }

    private static Task FireAsync(TestWorld world, long leadId) =>
        world.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<SlaService>().CheckAsync(leadId, CancellationToken.None);
            return true;
        });
}
