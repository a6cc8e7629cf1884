using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TeamBot.Host.Tests;

/// <summary>Goals end to end on the local chat: added by chat command, measured from real leads, the same numbers in chat and in the JSON API.</summary>
public sealed class GoalsApiTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static async Task<HttpResponseMessage> GetGoalsAsync(TestHost host, string query = "", string? key = TestHost.ApiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/workspaces/local/goals" + query);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await host.Client.SendAsync(request);
    }

    private static string ReplyText(JsonElement answer) => answer.GetProperty("reply").GetProperty("message").GetProperty("text").GetString()!;

    [Fact]
    public async Task GoalAddedInChat_IsMeasuredFromTheLeads_AndShowsTheSameNumbersInChatAndJson()
    {
        // Every day is a working day, so that the pace does not depend on the weekday the test runs on.
        await using var host = await TestHost.StartAsync(s => s["Calendar:WorkWeek"] = "Mon-Sun");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Berlin).DateTime);
        var period = string.Create(CultureInfo.InvariantCulture, $"{today:yyyy-MM-dd}..{today.AddDays(9):yyyy-MM-dd}");

        var refused = await host.SayAsync("general", "maria", $"/goal add name:Nope metric:handoffs target:10 period:{period}");
        Assert.StartsWith("Only admin people can use /goal add", ReplyText(refused), StringComparison.Ordinal);

        var added = await host.SayAsync("general", "alex", $"/goal add name:\"Handoffs this sprint\" metric:handoffs target:10 period:{period} owners:\"maria, sam\"");
        Assert.StartsWith("Alex Kim added goal #1 \"Handoffs this sprint\": Handoffs 10 in", ReplyText(added), StringComparison.Ordinal);
        await host.SayAsync("general", "alex", $"/goal add name:\"SQLs this sprint\" metric:sqls target:5 period:{period} owners:\"maria, ana\"");

        var accepted = await host.PostLeadsAsync("""{"leads":[{"email":"a@acme.com"},{"email":"b@acme.com"},{"email":"c@acme.com"}]}""");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var cards = await Eventually.ElementAsync(async () => (await host.HandoffCardsAsync()) is { Count: 3 } all ? JsonSerializer.SerializeToElement(all.Values) : null,
            "the three handoff cards are posted");
        var ids = cards.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        await host.ActAsync(ids[0], "sam", "claim");
        await host.ReactAsync(ids[0], "👍", "sam");
        await host.ActAsync(ids[1], "ana", "claim");
        await host.ReactAsync(ids[1], "👎", "ana");

        // The API: exact numbers.
        var response = await GetGoalsAsync(host);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("local", body.GetProperty("workspace").GetString());
        Assert.Equal("active", body.GetProperty("status").GetString());
        var goals = body.GetProperty("goals").EnumerateArray().ToList();
        Assert.Equal(2, goals.Count);
        var handoffs = goals[0];
        Assert.Equal((1L, "Handoffs this sprint", "handoffs", "count", "active", "running"),
            (handoffs.GetProperty("id").GetInt64(), handoffs.GetProperty("name").GetString(), handoffs.GetProperty("metric").GetString(),
             handoffs.GetProperty("unit").GetString(), handoffs.GetProperty("status").GetString(), handoffs.GetProperty("state").GetString()));
        Assert.Equal((today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), today.AddDays(9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (handoffs.GetProperty("period").GetProperty("from").GetString(), handoffs.GetProperty("period").GetProperty("to").GetString()));
        Assert.Equal((1, 10), (handoffs.GetProperty("workingDaysElapsed").GetInt32(), handoffs.GetProperty("workingDaysTotal").GetInt32()));
        Assert.Equal((3m, 10m, 1m, 30m), (handoffs.GetProperty("actual").GetDecimal(), handoffs.GetProperty("target").GetDecimal(),
            handoffs.GetProperty("expected").GetDecimal(), handoffs.GetProperty("projected").GetDecimal()));
        Assert.Equal(0.3, handoffs.GetProperty("share").GetDouble());
        Assert.Equal("on-track", handoffs.GetProperty("verdict").GetString());
        Assert.Equal(["Maria Lopez", "Sam Carter"], handoffs.GetProperty("owners").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(["maria", "sam"], handoffs.GetProperty("owners").EnumerateArray().Select(o => o.GetProperty("userId").GetString()));
        var sqls = goals[1];
        Assert.Equal((1m, 5m, 0.5m, 10m, "on-track"), (sqls.GetProperty("actual").GetDecimal(), sqls.GetProperty("target").GetDecimal(),
            sqls.GetProperty("expected").GetDecimal(), sqls.GetProperty("projected").GetDecimal(), sqls.GetProperty("verdict").GetString()));

        // The chat: the same numbers.
        var shown = await host.SayAsync("marketing", "maria", "/goal show goal:1");
        var card = shown.GetProperty("reply").GetProperty("message").GetProperty("card");
        Assert.Equal("Goal #1: Handoffs this sprint", card.GetProperty("title").GetString());
        var fields = card.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("value").GetString());
        Assert.Equal(("3", "10", "1", "1 of 10"), (fields["Actual"], fields["Target"], fields["Expected by now"], fields["Working days"]));
        Assert.Equal("30", fields.Single(f => f.Key.StartsWith("Projected by ", StringComparison.Ordinal)).Value);
        Assert.StartsWith("▓▓▓░░░░░░░ 30%\n3 of 10 (30%), expected 1 by now (working day 1 of 10); projected 30 by ", card.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(handoffs.GetProperty("explanation").GetString(), card.GetProperty("text").GetString()!.Split('\n')[1]);

        // Archived goals leave the default list.
        await host.SayAsync("general", "alex", "/goal archive goal:2");
        var active = await (await GetGoalsAsync(host)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([1L], active.GetProperty("goals").EnumerateArray().Select(g => g.GetProperty("id").GetInt64()));
        var archived = await (await GetGoalsAsync(host, "?status=archived")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("archived", archived.GetProperty("goals")[0].GetProperty("status").GetString());
        var all = await (await GetGoalsAsync(host, "?status=all")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, all.GetProperty("goals").GetArrayLength());
    }

    [Fact]
    public async Task Goals_WithoutAValidKey_Are401_AndABadStatusIs400()
    {
        await using var host = await TestHost.StartAsync();

        var missing = await GetGoalsAsync(host, key: null);
        var wrong = await GetGoalsAsync(host, key: "not-the-key-0123456789");
        var bad = await GetGoalsAsync(host, "?status=finished");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("'finished' is not a status: use active, archived or all.", problem.GetProperty("errors").GetProperty("status")[0].GetString());
    }

    [Fact]
    public async Task Start_WithABadSqlRating_NamesTheKey()
    {
        var settings = TestHost.DefaultSettings();
        settings["Goals:SqlRating"] = "excellent";

        var problems = await ConfigurationTests.StartupProblemsAsync(settings);

        Assert.Contains("Goals:SqlRating 'excellent' must be a rating: great, good, meh, poor or reject (a lead counts as an SQL at this rating or better).", problems);
    }
}
