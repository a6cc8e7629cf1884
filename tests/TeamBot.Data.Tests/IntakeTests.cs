using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

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

    // SQLite looks dedupe keys up in memory (RecentLeadKeys): the tests below are what the index over them answered, and are
    // run on PostgreSQL too, where the index still answers.

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_WhenAnotherWriterStoredTheLeadMeanwhile_IsADuplicateOfIt(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await world.SubmitAsync(TestWorld.Lead("first@acme.com"));
        // Written as `teambot import` in another process would: not through this host's intake.
        var other = await StoreDirectlyAsync(world, "jane@acme.com", world.Clock.GetUtcNow());

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await world.SubmitAsync(TestWorld.Lead("Jane@Acme.com"));

        Assert.True(again[0].Duplicate);
        Assert.Equal(other, again[0].LeadId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_WhenTheLeadWasStoredBeforeTheHostStarted_IsADuplicate_UnlessOutsideTheWindow(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var now = world.Clock.GetUtcNow();
        var recent = await StoreDirectlyAsync(world, "jane@acme.com", now - TimeSpan.FromDays(10));
        // Written later by a writer that had not seen the first, with an earlier time: the first written is the one repeated.
        await StoreDirectlyAsync(world, "jane@acme.com", now - TimeSpan.FromDays(20));
        await StoreDirectlyAsync(world, "old@acme.com", now - TimeSpan.FromDays(31));

        // The first intake of this host, which reads the workspace's recent keys.
        var outcomes = await world.SubmitAsync(TestWorld.Lead("jane@acme.com"), TestWorld.Lead("old@acme.com"));

        Assert.True(outcomes[0].Duplicate);
        Assert.Equal(recent, outcomes[0].LeadId);
        Assert.False(outcomes[1].Duplicate);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_WhenTheFirstWasErased_IsNew(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var first = (await world.SubmitAsync(TestWorld.Lead("jane@acme.com")))[0].LeadId;
        await world.InScopeAsync(sp => sp.GetRequiredService<Core.Privacy.IPersonalDataStore>().EraseAsync([first], "jane@acme.com", world.Clock.GetUtcNow(), CancellationToken.None));

        world.Clock.Advance(TimeSpan.FromDays(1));
        var again = await world.SubmitAsync(TestWorld.Lead("jane@acme.com"));

        Assert.False(again[0].Duplicate);
        Assert.NotEqual(first, again[0].LeadId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_WhenTwoStoredLeadsHoldTheKey_IsADuplicateOfTheFirst_AndOfTheOtherOnceTheFirstIsErased(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await world.SubmitAsync(TestWorld.Lead("first@acme.com"));
        var now = world.Clock.GetUtcNow();
        // Two writers that did not see each other; the one written second received its lead earlier.
        var firstWritten = await StoreDirectlyAsync(world, "jane@acme.com", now - TimeSpan.FromDays(1));
        var secondWritten = await StoreDirectlyAsync(world, "jane@acme.com", now - TimeSpan.FromDays(2));

        var again = await world.SubmitAsync(TestWorld.Lead("jane@acme.com"));
        await world.InScopeAsync(sp => sp.GetRequiredService<Core.Privacy.IPersonalDataStore>().EraseAsync([firstWritten], null, now, CancellationToken.None));
        var afterErasure = await world.SubmitAsync(TestWorld.Lead("jane@acme.com"));

        Assert.Equal((true, firstWritten), (again[0].Duplicate, again[0].LeadId));
        Assert.Equal((true, secondWritten), (afterErasure[0].Duplicate, afterErasure[0].LeadId));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_OverMonths_RepeatsAreDuplicatesOfTheLeadOfTheirWindow(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        // Every 10 days for half a year: each lead repeats the one stored 30 days or less before, or starts a new window.
        long? current = null;
        var currentAt = DateTimeOffset.MinValue;
        for (var day = 0; day < 180; day += 10)
        {
            var outcome = (await world.SubmitAsync(TestWorld.Lead("jane@acme.com")))[0];
            var now = world.Clock.GetUtcNow();
            if (current is { } id && now - currentAt <= TimeSpan.FromDays(30))
            {
                Assert.True(outcome.Duplicate, $"day {day}");
                Assert.Equal(id, outcome.LeadId);
            }
            else
            {
                Assert.False(outcome.Duplicate, $"day {day}");
                current = outcome.LeadId;
                currentAt = now;
            }
            world.Clock.Advance(TimeSpan.FromDays(10));
        }
        Assert.Equal(5, await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Leads.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_AfterAGroupOfTwoWorkspacesRolledBack_FindsTheLeadsThatTookItsIds(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await world.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IWorkspaceStore>().UpsertAsync(
                new Workspace("beta", "fake", "Beta", "Europe/Berlin", new WorkspacePlaces("beta-handoffs", "beta-marketing", "beta-general")), CancellationToken.None);
            return true;
        });
        await world.SubmitAsync(TestWorld.Lead("first@acme.com"));

        // As the webhook's group commit: one transaction, one intake per workspace, then it fails and nothing is stored.
        await Assert.ThrowsAsync<InvalidOperationException>(() => InOneTransactionAsync<bool>(world, async (intake, ct) =>
        {
            await intake.SubmitAsync(TestWorld.WorkspaceId, [Webhook("gone@acme.com")], ct);
            await intake.SubmitAsync("beta", [Webhook("gone@beta.com")], ct);
            throw new InvalidOperationException("the group failed");
        }));
        // Another writer's lead now has the id the rolled-back lead had.
        var other = await StoreDirectlyAsync(world, "jane@acme.com", world.Clock.GetUtcNow());

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await world.SubmitAsync(TestWorld.Lead("jane@acme.com"), TestWorld.Lead("gone@acme.com"));

        Assert.Equal((true, other), (again[0].Duplicate, again[0].LeadId));
        Assert.False(again[1].Duplicate);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_TwiceInOneTransaction_TheSecondIsADuplicateOfTheFirst_AndSoIsOneAfterTheCommit(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await world.SubmitAsync(TestWorld.Lead("first@acme.com"));

        var (first, second) = await InOneTransactionAsync(world, async (intake, ct) =>
            ((await intake.SubmitAsync(TestWorld.WorkspaceId, [Webhook("jane@acme.com")], ct))[0],
             (await intake.SubmitAsync(TestWorld.WorkspaceId, [Webhook("Jane@Acme.com")], ct))[0]));
        var after = (await world.SubmitAsync(TestWorld.Lead("jane@acme.com")))[0];

        Assert.False(first.Duplicate);
        Assert.Equal((true, first.LeadId), (second.Duplicate, second.LeadId));
        Assert.Equal((true, first.LeadId), (after.Duplicate, after.LeadId));
    }

    private static NewLead Webhook(string email) => new(TestWorld.Lead(email), IntakeChannel.Webhook, null);

    private static Task<T> InOneTransactionAsync<T>(TestWorld world, Func<LeadIntake, CancellationToken, Task<T>> work) =>
        world.InScopeAsync(sp =>
        {
            var intake = sp.GetRequiredService<LeadIntake>();
            return sp.GetRequiredService<IUnitOfWork>().InTransactionAsync(ct => work(intake, ct), CancellationToken.None);
        });

    /// <summary>Writes a lead straight into the table, as another process would, and returns its id.</summary>
    private static Task<long> StoreDirectlyAsync(TestWorld world, string email, DateTimeOffset receivedAt) =>
        world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            var row = new LeadRow
            {
                WorkspaceId = TestWorld.WorkspaceId,
                Email = email,
                Company = "Acme GmbH",
                DedupeKey = Core.Leads.LeadIdentity.DedupeKey(email, "Acme GmbH"),
                ReceivedAt = receivedAt,
            };
            db.Leads.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });

    private static Task<int> PendingHandoffsAsync(TestWorld world) =>
        world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Outbox.CountAsync(o => o.Kind == "handoff" && o.CompletedAt == null));
}
