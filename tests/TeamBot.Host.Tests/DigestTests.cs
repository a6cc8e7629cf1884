using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Reports;

namespace TeamBot.Host.Tests;

/// <summary>The digest end to end on the local chat: leads, claims, ratings and a rejection with a reason; then the chat post, the page and the JSON agree.</summary>
public sealed class DigestTests
{
    private const string Leads = """
        {"leads":[
          {"email":"jane@acme.com","company":"Acme GmbH","source":"webinar","campaign":"Q4 launch"},
          {"email":"li@globex.com","company":"Globex","source":"webinar","campaign":"Q4 launch"},
          {"email":"o@initech.com","company":"Initech <script>alert(1)</script>","source":"partner & co","campaign":"Referrals"}]}
        """;

    [Fact]
    public async Task DigestNow_ChatPostAndPage_ShowTheJsonApisNumbers_ForTheSameWeek()
    {
        await using var host = await TestHost.StartAsync(s => s["Digest:BaseUrl"] = "http://localhost:5080");
        var accepted = await host.PostLeadsAsync(Leads);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var ids = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("leads").EnumerateArray().Select(l => l.GetProperty("id").GetInt64()).ToList();
        await Eventually.TrueAsync(async () => (await host.HandoffCardsAsync()).Count == 3, "the three handoff cards are posted");

        // Sam claims the first with the card's button, rates it great and wins it; Ana claims the second and rejects it with a reason.
        var cards = await host.HandoffCardsAsync();
        await host.ActAsync(cards[ids[0]].GetProperty("id").GetString()!, "sam", "claim");
        await host.SayAsync("handoffs", "sam", $"/leads rate lead:{ids[0]} rating:great");
        await host.SayAsync("handoffs", "sam", $"/leads outcome lead:{ids[0]} outcome:won amount:12000");
        await host.SayAsync("handoffs", "ana", $"/leads claim lead:{ids[1]}");
        await host.SayAsync("handoffs", "ana", $"/leads rate lead:{ids[1]} rating:reject");
        var reason = await host.SayAsync("handoffs", "ana", $"/leads reason lead:{ids[1]} reason:no-budget");
        Assert.Equal("Thanks! Your reason goes back to marketing.", reason.GetProperty("reply").GetProperty("message").GetProperty("text").GetString());

        // Maria asks for this week's digest now; it is posted in #general.
        var asked = await host.SayAsync("marketing", "maria", "/digest now week:this");
        Assert.StartsWith("Posting the digest for ", asked.GetProperty("reply").GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        var post = await Eventually.ElementAsync(async () => (await host.MessagesAsync("general"))
            .Where(m => m.GetProperty("text").GetString()?.StartsWith("📊 Weekly digest", StringComparison.Ordinal) == true)
            .Select(m => (JsonElement?)m).FirstOrDefault(), "the digest is posted in #general");
        var chat = post.GetProperty("text").GetString()!;

        // The JSON for the same week.
        var json = await GetDigestAsync(host, "week=this");
        var week = json.GetProperty("week");
        var total = json.GetProperty("total");
        Assert.StartsWith($"📊 Weekly digest for Local workspace: {week.GetProperty("label").GetString()}", chat);
        Assert.Equal((3, 2, 1, 1, 12000m), (total.GetProperty("leads").GetInt32(), total.GetProperty("claimed").GetInt32(), total.GetProperty("rejected").GetInt32(),
            total.GetProperty("won").GetInt32(), total.GetProperty("wonAmount").GetDecimal()));
        Assert.Equal(json, await GetDigestAsync(host, "week=" + week.GetProperty("start").GetString()), JsonElementComparer.Instance);

        Assert.Contains($"Leads: {total.GetProperty("leads").GetInt32()} (none the week before) · claimed: {total.GetProperty("claimed").GetInt32()} of 3 (67%)", chat);
        Assert.Contains($"Rejected: {total.GetProperty("rejected").GetInt32()} of 3 (33%)", chat);
        Assert.Contains($"won: {total.GetProperty("won").GetInt32()} (none the week before) worth 12,000", chat);
        var reasons = json.GetProperty("rejections").GetProperty("reasons");
        Assert.Equal(("no-budget", 1), (reasons[0].GetProperty("code").GetString(), reasons[0].GetProperty("count").GetInt32()));
        Assert.Contains("No budget ██████████ 1", chat);
        var speed = json.GetProperty("speedToLead");
        Assert.Equal((2, 1), (speed.GetProperty("claimed").GetInt32(), speed.GetProperty("unclaimed").GetInt32()));
        var median = LeadQualityCard.Duration(speed.GetProperty("medianSeconds").GetDouble());
        var p95 = LeadQualityCard.Duration(speed.GetProperty("p95Seconds").GetDouble());
        Assert.Contains($"Median {median}, 95th percentile {p95}", chat);
        Assert.Contains($"Within SLA ██████████ {speed.GetProperty("withinSla").GetInt32()} of 2", chat);
        var bySource = json.GetProperty("bySource");
        Assert.Equal(["webinar", "partner & co"], bySource.EnumerateArray().Select(g => g.GetProperty("key").GetString()));
        var webinar = bySource[0].GetProperty("week");
        Assert.Equal((2, 1, 3.0, 1), (webinar.GetProperty("leads").GetInt32(), webinar.GetProperty("rejected").GetInt32(), webinar.GetProperty("averageRating").GetDouble(), webinar.GetProperty("won").GetInt32()));
        Assert.Contains("webinar ██████████ 2 (none the week before) · 1 rejected (50%) · rated 3.0 · 1 won", chat);
        Assert.Contains($"Charts and every number: http://localhost:5080/digest/local/latest?week={week.GetProperty("start").GetString()}", chat);
        Assert.Equal($"http://localhost:5080/digest/local/latest?week={week.GetProperty("start").GetString()}", json.GetProperty("pageUrl").GetString());

        // The page, reached from this machine, shows the same numbers, with its values encoded.
        var page = await host.Client.GetAsync($"/digest/local/latest?week={week.GetProperty("start").GetString()}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<th>Leads</th><td class=\"n\">3</td><td class=\"n\">0</td>", html);
        Assert.Contains("<th>Claimed</th><td class=\"n\">2</td>", html);
        Assert.Contains("<th>Rejected</th><td class=\"n\">1</td>", html);
        Assert.Contains("<th>Won amount</th><td class=\"n\">12,000</td>", html);
        Assert.Contains($"<th>Median</th><td class=\"n\">{median}</td>", html);
        Assert.Contains("<svg role=\"img\"", html);
        Assert.Contains("partner &amp; co", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DigestApi_NeedsTheKey_BadWeekNamesTheParameter_AndThePageRefusesOtherHostNames()
    {
        await using var host = await TestHost.StartAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/api/v1/workspaces/local/digests/latest")).StatusCode);

        using var bad = new HttpRequestMessage(HttpMethod.Get, "/api/v1/workspaces/local/digests/latest?week=2026-13-01");
        bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.ApiKey);
        var response = await host.Client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("'2026-13-01' is not a week", problem.GetProperty("errors").GetProperty("week")[0].GetString(), StringComparison.Ordinal);

        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/digest/local/latest");
        rebound.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.SendAsync(rebound)).StatusCode);

        using var withKey = new HttpRequestMessage(HttpMethod.Get, "/digest/local/latest");
        withKey.Headers.Host = "bot.example";
        withKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(withKey)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/digest/nowhere/latest")).StatusCode);
    }

    [Fact]
    public async Task Start_SetsTheWeeklyTimerInQuartz_AndAnEarlyFireOrARestartPostsNothing()
    {
        await using var host = await TestHost.StartAsync();
        var expected = new Core.Digests.DigestSchedule(DayOfWeek.Monday, new TimeOnly(9, 0), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Next(DateTimeOffset.UtcNow);
        var key = new Quartz.TriggerKey("local", "digest");

        async Task<DateTimeOffset?> TimerAsync()
        {
            var scheduler = await host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
            return (await scheduler.GetTrigger(key))?.StartTimeUtc;
        }

        await Eventually.TrueAsync(async () => await TimerAsync() == expected, "the digest timer is set for next Monday 09:00 in Berlin");

        // Fired early (by hand), then restarted: still one timer for the same time, and no digest.
        var scheduler = await host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(new Quartz.JobKey("local", "digest"));
        await host.RestartAsync();
        await Eventually.TrueAsync(async () => await TimerAsync() == expected, "the digest timer survives the restart");
        Assert.DoesNotContain(await host.MessagesAsync("general"), m => m.GetProperty("text").GetString()?.StartsWith("📊", StringComparison.Ordinal) == true);
    }

    private static async Task<JsonElement> GetDigestAsync(TestHost host, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/workspaces/local/digests/latest?{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.ApiKey);
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private sealed class JsonElementComparer : IEqualityComparer<JsonElement>
    {
        public static readonly JsonElementComparer Instance = new();

        public bool Equals(JsonElement x, JsonElement y) => x.GetRawText() == y.GetRawText();

        public int GetHashCode(JsonElement obj) => obj.GetRawText().GetHashCode(StringComparison.Ordinal);
    }
}
