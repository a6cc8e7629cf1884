using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using TeamBot.Core.Handoffs;
using TeamBot.Host.Scheduling;

namespace TeamBot.Host.Tests;

/// <summary>The sweep that repairs SLA timers, against the real Quartz store: it sets what is missing and leaves the rest.</summary>
public sealed class SlaSweepHostTests
{
    private static string Lead(string email) => $$"""{"leads":[{"email":"{{email}}","firstName":"Jane","lastName":"Doe","company":"Acme","source":"webinar"}]}""";

    private static TriggerKey Key(long leadId) => new($"lead-{leadId}", QuartzSlaScheduler.Group);

    [Fact]
    public async Task Sweep_SetsTheTimerThatIsMissing_AndLeavesTheOthers()
    {
        await using var host = await TestHost.StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync(Lead("one@acme.example"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync(Lead("two@acme.example"))).StatusCode);
        var ids = (await Eventually.FoundAsync(() => host.HandoffCardsAsync().Result is { Count: 2 } cards ? cards : null, "2 handoff cards are posted")).Keys.Order().ToArray();
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await Eventually.TrueAsync(async () => await scheduler.GetTrigger(Key(ids[0])) is not null && await scheduler.GetTrigger(Key(ids[1])) is not null, "both SLA timers are set");
        var first = (await scheduler.GetTrigger(Key(ids[0])))!.NextFireTimeUtc;
        var second = (await scheduler.GetTrigger(Key(ids[1])))!.NextFireTimeUtc;

        // The first lead's timer is lost (as if setting it had failed); the sweep sets it again, for the same moment.
        Assert.True(await scheduler.DeleteJob(new JobKey(Key(ids[0]).Name, QuartzSlaScheduler.Group)));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<SlaService>().RecoverAsync(CancellationToken.None));
        }

        // The lead keeps its due time to the millisecond; the timer set when it was posted had the clock's ticks.
        Assert.Equal(first?.ToUnixTimeMilliseconds(), (await scheduler.GetTrigger(Key(ids[0])))?.NextFireTimeUtc?.ToUnixTimeMilliseconds());
        Assert.Equal(second, (await scheduler.GetTrigger(Key(ids[1])))?.NextFireTimeUtc);
    }

    [Fact]
    public async Task EnsureAll_SetsOnlyTheMissingTimers_AndADueOneThatWillNotFire()
    {
        await using var host = await TestHost.StartAsync();
        var sla = host.Services.GetRequiredService<ISlaScheduler>();
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var now = DateTimeOffset.UtcNow;
        await sla.ScheduleAsync(9001, now.AddHours(1), CancellationToken.None);

        // 9001 exists; 9002 is missing; 9003 is due and missing. Set: 9002 and 9003.
        var set = await sla.EnsureAllAsync([(9001, now.AddHours(1)), (9002, now.AddHours(2)), (9003, now.AddMinutes(-1))], now, CancellationToken.None);

        Assert.Equal(2, set);
        Assert.NotNull(await scheduler.GetTrigger(Key(9002)));
        Assert.NotNull(await scheduler.GetTrigger(Key(9003)));
        Assert.Equal(0, await sla.EnsureAllAsync([(9001, now.AddHours(1)), (9002, now.AddHours(2))], now, CancellationToken.None));
    }

    [Fact]
    public async Task Existing_AreTheNamesAskedFor_ThatQuartzHoldsInTheGroup()
    {
        await using var host = await TestHost.StartAsync();
        var sla = host.Services.GetRequiredService<ISlaScheduler>();
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var now = DateTimeOffset.UtcNow;
        await sla.ScheduleAsync(9001, now.AddHours(1), CancellationToken.None);
        await sla.ScheduleAsync(9002, now.AddHours(2), CancellationToken.None);
        await sla.ScheduleAsync(9005, now.AddHours(2), CancellationToken.None);
        var timers = host.Services.GetRequiredService<OneShotTimers>();
        await timers.SetAsync<SlaJob>(new JobKey("lead-9003", "other"), now.AddHours(1), new Dictionary<string, string>(), CancellationToken.None);

        var existing = await timers.ExistingAsync(QuartzSlaScheduler.Group, ["lead-9001", "lead-9002", "lead-9003", "lead-9004"], CancellationToken.None);

        // As Quartz itself lists them: not 9003 (another group), not 9005 (not asked for).
        var listed = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(QuartzSlaScheduler.Group));
        Assert.Equal(["lead-9001", "lead-9002", "lead-9005"], listed.Select(k => k.Name).Order());
        Assert.Equal(["lead-9001", "lead-9002"], existing.Order());
        Assert.Empty(await timers.ExistingAsync(QuartzSlaScheduler.Group, [], CancellationToken.None));
    }
}
