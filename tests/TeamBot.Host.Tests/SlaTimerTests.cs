using Microsoft.Extensions.DependencyInjection;
using Quartz;
using TeamBot.Core.Handoffs;
using TeamBot.Host.Scheduling;

namespace TeamBot.Host.Tests;

/// <summary>SLA timers as Quartz triggers in TeamBot's database.</summary>
public sealed class SlaTimerTests
{
    [Fact]
    public async Task ScheduleAll_SetsEveryTimerInOneWrite_ReplacingOnesSetBefore()
    {
        await using var host = await TestHost.StartAsync();
        var scheduler = host.Services.GetRequiredService<ISlaScheduler>();
        var now = DateTimeOffset.UtcNow;
        await scheduler.ScheduleAsync(1, now.AddHours(1), CancellationToken.None);

        await scheduler.ScheduleAllAsync(
            [new(1, now.AddHours(2)), new(2, now.AddHours(3)), new(3, now.AddMinutes(90))], CancellationToken.None);

        var quartz = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        async Task<DateTimeOffset?> DueOf(long leadId) => (await quartz.GetTrigger(new TriggerKey($"lead-{leadId}", QuartzSlaScheduler.Group)))?.NextFireTimeUtc;
        Assert.Equal(now.AddHours(2).ToUnixTimeSeconds(), (await DueOf(1))?.ToUnixTimeSeconds());
        Assert.Equal(now.AddHours(3).ToUnixTimeSeconds(), (await DueOf(2))?.ToUnixTimeSeconds());
        Assert.Equal(now.AddMinutes(90).ToUnixTimeSeconds(), (await DueOf(3))?.ToUnixTimeSeconds());
        Assert.Equal(3, (await quartz.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(QuartzSlaScheduler.Group))).Count);
    }
}
