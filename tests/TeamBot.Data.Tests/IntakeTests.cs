using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TeamBot.Data.Tests;

public sealed class IntakeTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_WhenSameExternalIdArrivesAgain_ReturnsDuplicateOfFirstAndQueuesOneHandoff(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        var first = await world.SubmitAsync(TestWorld.Lead("jane@acme.com", externalId: "hs-1"));
        world.Clock.Advance(TimeSpan.FromDays(400));
        var again = await world.SubmitAsync(TestWorld.Lead("other@acme.com", externalId: "hs-1"));

        Assert.False(first[0].Duplicate);
        Assert.True(again[0].Duplicate);
        Assert.Equal(first[0].LeadId, again[0].LeadId);
        Assert.Equal(1, await PendingHandoffsAsync(world));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_WhenSameEmailAndCompanyWithinWindow_IsDuplicate_AfterWindow_IsNew(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        var first = await world.SubmitAsync(TestWorld.Lead("Jane@Acme.com", company: "ACME GmbH"));
        world.Clock.Advance(TimeSpan.FromDays(29));
        var within = await world.SubmitAsync(TestWorld.Lead("jane@acme.com", company: "Acme"));
        world.Clock.Advance(TimeSpan.FromDays(2));
        var after = await world.SubmitAsync(TestWorld.Lead("jane@acme.com", company: "Acme"));

        Assert.True(within[0].Duplicate);
        Assert.Equal(first[0].LeadId, within[0].LeadId);
        Assert.False(after[0].Duplicate);
        Assert.Equal(2, await PendingHandoffsAsync(world));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_WhenTheFirstWasStoredWithTheWholeHash_BeforeKeysWereShortened_IsStillADuplicate(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var first = (await world.SubmitAsync(TestWorld.Lead("jane@acme.com")))[0].LeadId;
        var full = Core.Leads.LeadIdentity.FullDedupeKey("jane@acme.com", "Acme GmbH")!;
        Assert.Equal(64, full.Length);
        var stored = await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            var key = await db.Leads.Where(l => l.Id == first).Select(l => l.DedupeKey).SingleAsync();
            // As a lead received by an earlier version holds it.
            await db.Leads.Where(l => l.Id == first).ExecuteUpdateAsync(u => u.SetProperty(l => l.DedupeKey, full));
            return key;
        });
        Assert.Equal(full[..Core.Leads.LeadIdentity.KeyLength], stored);

        world.Clock.Advance(TimeSpan.FromDays(1));
        var again = await world.SubmitAsync(TestWorld.Lead("Jane@Acme.com", company: "ACME"), TestWorld.Lead("ana@acme.com"));

        Assert.True(again[0].Duplicate);
        Assert.Equal(first, again[0].LeadId);
        Assert.False(again[1].Duplicate);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_WhenBatchRepeatsALead_SecondPointsAtFirst(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        var outcomes = await world.SubmitAsync(
            TestWorld.Lead("a@acme.com"),
            TestWorld.Lead("b@acme.com", externalId: "x-2"),
            TestWorld.Lead("A@ACME.COM"),
            TestWorld.Lead("c@acme.com", externalId: "x-2"));

        Assert.Equal([false, false, true, true], outcomes.Select(o => o.Duplicate));
        Assert.Equal(outcomes[0].LeadId, outcomes[2].LeadId);
        Assert.Equal(outcomes[1].LeadId, outcomes[3].LeadId);
        Assert.Equal(2, await PendingHandoffsAsync(world));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_WhenManySendersRaceWithTheSameLead_StoresItOnce(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => world.SubmitAsync(TestWorld.Lead("race@acme.com"))));

        Assert.Single(outcomes, o => !o[0].Duplicate);
        Assert.Single(outcomes.Select(o => o[0].LeadId).Distinct());
        Assert.Equal(1, await PendingHandoffsAsync(world));
    }

    private static Task<int> PendingHandoffsAsync(TestWorld world) =>
        world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Outbox.CountAsync(o => o.Kind == "handoff" && o.CompletedAt == null));
}
