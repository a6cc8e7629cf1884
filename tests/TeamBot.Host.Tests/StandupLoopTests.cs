using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using TeamBot.Core.Standups;
using TeamBot.Testing;

namespace TeamBot.Host.Tests;

/// <summary>A stand-up through the real host and the local chat: created by command, run, answered (one edit, one late), summarised.</summary>
public sealed class StandupLoopTests
{
    [Fact]
    public async Task Standup_CreatedRunAnsweredEditedLate_SummaryInTheThread()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(EveryoneWorksEveryDay, clock);

        var created = await host.SayAsync("general", "alex",
            "/standup create name:\"Daily sync\" channel:general participants:\"sam, ana, maria\" days:Mon-Sun time:09:30 window:2h remind:off");
        Assert.Contains("created the stand-up \"Daily sync\"", created.GetProperty("reply").GetProperty("message").GetProperty("text").GetString());
        await host.SayAsync("general", "alex", "/standup run name:\"Daily sync\"");

        var prompt = await Eventually.ElementAsync(async () => (await host.MessagesAsync("general"))
            .Where(m => m.GetProperty("text").GetString()?.StartsWith("🗓️ Stand-up: Daily sync", StringComparison.Ordinal) == true)
            .Select(m => (JsonElement?)m).FirstOrDefault(), "the prompt is posted");
        var promptId = prompt.GetProperty("id").GetString()!;

        // Sam answers in the thread and then corrects himself; Maria's first answer is plain.
        var sam = await host.ReplyAsync(promptId, "sam", "1. Webinar on Thursday\n5. none");
        await host.ReplyAsync(promptId, "maria", "1. Spring campaign goes live\n4. Need call notes from sales");
        var edited = await host.EditAsync(sam.GetProperty("message").GetProperty("id").GetString()!, "sam", "1. Webinar moved to Friday\n5. none");
        Assert.NotEqual(JsonValueKind.Null, edited.GetProperty("message").GetProperty("editedAt").ValueKind);

        // The window closes; Ana answers just after it, before the summary goes out.
        clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var late = await host.ReplyAsync(promptId, "ana", "2. Prospects ask about SSO\n5. Pricing page is down");
        Assert.Contains("late answer", late.GetProperty("reply").GetProperty("message").GetProperty("text").GetString());
        await CloseRunsAsync(host);

        var summary = await Eventually.ElementAsync(async () => (await host.MessagesAsync("general"))
            .Single(m => m.GetProperty("id").GetString() == promptId).GetProperty("replies").EnumerateArray()
            .Where(m => m.GetProperty("text").GetString()?.StartsWith("📋 Stand-up summary: Daily sync", StringComparison.Ordinal) == true)
            .Select(m => (JsonElement?)m).FirstOrDefault(), "the summary is posted in the prompt's thread");
        var text = summary.GetProperty("text").GetString()!;
        Assert.Contains("Answered: 3 of 3", text);
        Assert.Contains("• Sam Carter (edited): Webinar moved to Friday", text);
        Assert.DoesNotContain("Thursday", text);
        Assert.Contains("• Ana Silva (late): Prospects ask about SSO", text);
        Assert.Contains("• Ana Silva: Pricing page is down", text);
        Assert.Contains("• Maria Lopez: Spring campaign goes live; Need call notes from sales", text);

        // Firing the close again posts nothing more.
        await CloseRunsAsync(host);
        var replies = (await host.MessagesAsync("general")).Single(m => m.GetProperty("id").GetString() == promptId).GetProperty("replies").EnumerateArray();
        Assert.Single(replies, m => m.GetProperty("text").GetString()?.StartsWith("📋", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task DirectMessages_ToTheBot_AreAnswers_AndOnlyAuthorsEditTheirPlainMessages()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(EveryoneWorksEveryDay, clock);
        await host.SayAsync("general", "alex", "/standup create name:Dm participants:sam days:Mon-Sun time:09:30 mode:dm window:1h");
        await host.SayAsync("general", "alex", "/standup run name:Dm");
        await Eventually.TrueAsync(async () => (await host.MessagesAsync("@sam")).Any(m => m.GetProperty("text").GetString()?.StartsWith("🗓️", StringComparison.Ordinal) == true),
            "the prompt reaches Sam's direct messages");

        var answer = await host.SayAsync("@sam", "sam", "1. Closing two deals this week");
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("reply").ValueKind);
        var id = answer.GetProperty("message").GetProperty("id").GetString()!;

        var other = await host.Client.PatchAsJsonAsync($"/api/local/messages/{id}", new { user = "ana", text = "hijacked" });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        var missing = await host.Client.PatchAsJsonAsync("/api/local/messages/999999", new { user = "sam", text = "x" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var blank = await host.Client.PatchAsJsonAsync($"/api/local/messages/{id}", new { user = "sam", text = " " });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        var botMessage = (await host.MessagesAsync("@sam")).First(m => m.GetProperty("author").GetProperty("isBot").GetBoolean()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.PatchAsJsonAsync($"/api/local/messages/{botMessage}", new { user = "sam", text = "x" })).StatusCode);
        var intoOthersDm = await host.Client.PostAsJsonAsync("/api/local/channels/%40sam/messages", new { user = "ana", text = "hello" });
        Assert.Equal(HttpStatusCode.Forbidden, intoOthersDm.StatusCode);

        await host.EditAsync(id, "sam", "1. Closing three deals this week");
        clock.Advance(TimeSpan.FromHours(1));
        await CloseRunsAsync(host);
        var summary = await Eventually.ElementAsync(async () => (await host.MessagesAsync("general")).SelectMany(m => m.GetProperty("replies").EnumerateArray())
            .Where(m => m.GetProperty("text").GetString()?.StartsWith("📋 Stand-up summary: Dm", StringComparison.Ordinal) == true)
            .Select(m => (JsonElement?)m).FirstOrDefault(), "the summary is posted");
        Assert.Contains("• Sam Carter (edited): Closing three deals this week", summary.GetProperty("text").GetString());
    }

    /// <summary>People work Monday to Friday by default; the test must not depend on the day it runs.</summary>
    [Fact]
    public async Task RunNow_SaysWhoWasLeftOut_AndTheDigestCallsOutTheBlockerOnceWithoutItsLabel()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(EveryoneWorksEveryDay, clock);
        await host.SayAsync("general", "maria", "/away until " + DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await host.SayAsync("general", "alex", "/standup create name:Sync participants:\"sam, maria\" days:Mon-Sun time:09:30 window:2h remind:off");

        var run = await host.SayAsync("general", "alex", "/standup run name:Sync");
        var said = run.GetProperty("reply").GetProperty("message").GetProperty("text").GetString()!;
        Assert.Contains("1 asked", said);
        Assert.Contains("Not asked: Maria Lopez (away until ", said);

        var prompt = await Eventually.ElementAsync(async () => (await host.MessagesAsync("general"))
            .Where(m => m.GetProperty("text").GetString()?.StartsWith("🗓️ Stand-up: Sync", StringComparison.Ordinal) == true)
            .Select(m => (JsonElement?)m).FirstOrDefault(), "the prompt is posted");
        await host.ReplyAsync(prompt.GetProperty("id").GetString()!, "sam", "1. Webinar on Friday\n5. Blockers: legal still has the DPA");

        var preview = await host.SayAsync("general", "maria", "/digest preview week:this");
        var digest = preview.GetProperty("reply").GetProperty("message").GetProperty("text").GetString()!;
        Assert.Contains("Sync: 1 stand-up, 1 of 1 answers (100%).", digest);
        Assert.Contains("🚧 Sam Carter (Sync): legal still has the DPA", digest);
        Assert.DoesNotContain("Blockers: legal", digest);
        Assert.DoesNotContain("· answers", digest); // the section's bars are the page's charts, not a second list in chat

        var html = await (await host.Client.GetAsync("/digest/local/latest?week=this")).Content.ReadAsStringAsync();
        Assert.Contains("<li>Sam Carter: Webinar on Friday</li>", html); // one bullet, the list's
        Assert.Contains("<div class=\"wide\"><svg role=\"img\"", html); // charts scroll rather than overflow a narrow screen
        var css = await host.Client.GetStringAsync("/digest/digest.css");
        Assert.Contains(".wide{overflow-x:auto", css);
    }

    private static void EveryoneWorksEveryDay(Dictionary<string, string?> settings)
    {
        for (var i = 0; i < 4; i++) settings[$"Local:People:{i}:WorkDays"] = "Mon-Sun";
    }

    /// <summary>Fires every open run's Quartz job now, as the scheduler would at the close.</summary>
    private static async Task CloseRunsAsync(TestHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var runs = await scope.ServiceProvider.GetRequiredService<IStandupStore>().ListOpenRunsAsync(CancellationToken.None);
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        foreach (var run in runs)
        {
            var key = new JobKey("run-" + run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "standups");
            Assert.True(await scheduler.Exists(key), $"run {run.Id} has its timer");
            await scheduler.TriggerJob(key);
        }
        await Eventually.TrueAsync(async () =>
        {
            await using var check = host.Services.CreateAsyncScope();
            var store = check.ServiceProvider.GetRequiredService<IStandupStore>();
            foreach (var run in runs)
            {
                if ((await store.GetRunAsync(run.Id, CancellationToken.None))!.State == RunState.Open) return false;
            }
            return true;
        }, "the runs are closed");
    }
}
