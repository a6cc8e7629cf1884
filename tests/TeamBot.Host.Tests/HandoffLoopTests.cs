using System.Net;
using System.Text.Json;

namespace TeamBot.Host.Tests;

/// <summary>The whole loop through the real host: webhook, card in #handoffs, a claim race, reactions, a reason, an outcome, and the summary.</summary>
public sealed class HandoffLoopTests
{
    private const string Lead = """
        {"externalId":"hs-1001","email":"jane@acme.com","firstName":"Jane","lastName":"Doe","company":"Acme GmbH",
         "title":"VP Marketing","phone":"+49 30 1234567","source":"webinar","campaign":"Q4 launch","segment":"enterprise",
         "country":"DE","companySize":"1000+","score":87,"reason":"Asked for pricing after the webinar",
         "url":"https://crm.example.com/leads/1001","fields":{"industry":"SaaS"}}
        """;

    [Fact]
    public async Task Webhook_ToCard_ClaimRace_Reactions_Reason_Outcome_AndSummary()
    {
        await using var host = await TestHost.StartAsync();

        // A lead arrives.
        var accepted = await host.PostLeadsAsync(Lead);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var leadId = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("leads")[0].GetProperty("id").GetInt64();

        // It becomes a card in #handoffs with everything sales needs.
        var card = await Eventually.ElementAsync(async () => (await host.HandoffCardsAsync()).GetValueOrDefault(leadId) is { ValueKind: JsonValueKind.Object } m ? (JsonElement?)m : null, "the handoff card is posted");
        var messageId = card.GetProperty("id").GetString()!;
        Assert.Equal("Jane Doe · Acme GmbH", card.GetProperty("card").GetProperty("title").GetString());
        Assert.Equal("VP Marketing", card.GetProperty("card").GetProperty("subtitle").GetString());
        Assert.Equal("Why qualified: Asked for pricing after the webinar", card.GetProperty("card").GetProperty("text").GetString());
        Assert.Equal("https://crm.example.com/leads/1001", card.GetProperty("card").GetProperty("url").GetString());
        foreach (var (field, value) in new[] { ("Email", "jane@acme.com"), ("Source", "webinar"), ("Campaign", "Q4 launch"), ("Segment", "enterprise"), ("Score", "87"), ("Company size", "1000+") })
        {
            Assert.Equal(value, TestHost.Field(card, field));
        }

        // Two reps race for it: exactly one wins; the other is told who.
        var race = await Task.WhenAll(host.ActAsync(messageId, "sam", "claim"), host.ActAsync(messageId, "ana", "claim"));
        var texts = race.Select(r => r.GetProperty("reply").GetProperty("message").GetProperty("text").GetString()!).ToList();
        Assert.Single(texts, t => t.StartsWith($"You claimed lead #{leadId}", StringComparison.Ordinal));
        var loser = texts.Single(t => !t.StartsWith("You claimed", StringComparison.Ordinal));
        var winner = texts[0].StartsWith("You claimed", StringComparison.Ordinal) ? "sam" : "ana";
        var other = winner == "sam" ? "ana" : "sam";
        var winnerName = winner == "sam" ? "Sam Carter" : "Ana Silva";
        Assert.Equal($"Lead #{leadId} was already claimed by {winnerName}", loser[..loser.IndexOf(winnerName, StringComparison.Ordinal)] + winnerName);
        await Eventually.TrueAsync(async () => TestHost.Field((await host.HandoffCardsAsync())[leadId], "Status")?.StartsWith($"Claimed by {winnerName}", StringComparison.Ordinal) == true,
            "the card shows who claimed it");

        // Reactions rate it; a marketer's reaction does not count and is explained privately; removal retracts.
        Assert.Equal(JsonValueKind.Null, (await host.ReactAsync(messageId, "🔥", winner)).GetProperty("notice").ValueKind);
        var marketer = await host.ReactAsync(messageId, "👍", "maria");
        Assert.StartsWith("Only sales reps can rate leads", marketer.GetProperty("notice").GetProperty("text").GetString(), StringComparison.Ordinal);
        await host.ReactAsync(messageId, "👎", other);
        await host.ReactAsync(messageId, "🤷", other);
        await host.ReactAsync(messageId, "🤷", other, add: false);
        await Eventually.TrueAsync(async () => TestHost.Field((await host.HandoffCardsAsync())[leadId], "Ratings") is { } r
                                               && r.Contains($"{winnerName}: great", StringComparison.Ordinal) && r.Contains(": poor", StringComparison.Ordinal)
                                               && !r.Contains("meh", StringComparison.Ordinal) && !r.Contains("Maria", StringComparison.Ordinal),
            "the card shows the current ratings");

        // The poor rating asks its rep for a reason in the thread; the answer is kept.
        var prompt = await Eventually.ElementAsync(async () => (await host.HandoffCardsAsync())[leadId].GetProperty("replies").EnumerateArray()
            .Where(m => m.GetProperty("card").ValueKind == JsonValueKind.Object && m.GetProperty("card").GetProperty("title").GetString()!.StartsWith("Why was this lead poor", StringComparison.Ordinal))
            .Select(m => (JsonElement?)m).FirstOrDefault(), "the reason prompt is posted in the thread");
        var thanks = await host.ActAsync(prompt.GetProperty("id").GetString()!, other, "reason", "no-budget");
        Assert.Equal("Thanks! Your reason goes back to marketing.", thanks.GetProperty("reply").GetProperty("message").GetProperty("text").GetString());

        // The winner comments in the thread and records the outcome from the card.
        var comment = await host.ReplyAsync(messageId, winner, "Called her, demo on Tuesday");
        var commentId = comment.GetProperty("message").GetProperty("id").GetString();
        var won = await host.ActAsync(messageId, winner, "outcome", "won:12000");
        Assert.Equal($"Recorded for lead #{leadId}: won, 12,000.", won.GetProperty("reply").GetProperty("message").GetProperty("text").GetString());
        await Eventually.TrueAsync(async () =>
        {
            var thread = (await host.HandoffCardsAsync())[leadId].GetProperty("replies").EnumerateArray().ToList();
            return thread.Any(m => m.GetProperty("id").GetString() == commentId && m.GetProperty("reactions").EnumerateArray().Any(r => r.GetProperty("emoji").GetString() == "📝"))
                   && thread.Any(m => m.GetProperty("text").GetString() == $"📈 {winnerName} recorded: won, 12,000.");
        }, "the comment is acknowledged and the outcome is noted in the thread");

        // A marketer asks how good the leads were: in chat...
        var answer = await host.SayAsync("marketing", "maria", "/leads quality period:7d by:source");
        var reply = answer.GetProperty("reply");
        Assert.Equal("public", reply.GetProperty("visibility").GetString());
        var summary = reply.GetProperty("message").GetProperty("card");
        Assert.Equal("Lead quality by source: last 7 days", summary.GetProperty("title").GetString());
        Assert.Equal("All from one source: webinar.", summary.GetProperty("text").GetString());
        var whole = summary.GetProperty("fields")[0];
        Assert.Equal("All sources", whole.GetProperty("name").GetString());
        var text = whole.GetProperty("value").GetString()!;
        Assert.Contains("1 lead (none in the 7 days before); 1 of 1 claimed (100%)", text);
        Assert.Contains("Average rating 3.5 of 5", text);
        Assert.Contains("reasons given: no budget (1)", text);
        Assert.Contains("1 won (12,000)", text);
        Assert.Contains((await host.MessagesAsync("marketing")), m => m.GetProperty("command").ValueKind == JsonValueKind.Object);

        // ...and as JSON.
        var report = await host.GetReportAsync("period=7d&by=source");
        var total = report.GetProperty("total");
        Assert.Equal(1, total.GetProperty("leads").GetInt32());
        Assert.Equal(1, total.GetProperty("claimed").GetInt32());
        Assert.Equal(3.5, total.GetProperty("averageRating").GetDouble());
        Assert.Equal(0, total.GetProperty("rejected").GetInt32());
        Assert.Equal("no-budget", total.GetProperty("topReasons")[0].GetProperty("code").GetString());
        Assert.True(total.GetProperty("speedToClaim").GetProperty("medianSeconds").GetDouble() >= 0);
        Assert.Equal(1, total.GetProperty("won").GetInt32());
        Assert.Equal(1, total.GetProperty("meetings").GetInt32());
        Assert.Equal(1, total.GetProperty("opportunities").GetInt32());
        Assert.Equal(0, total.GetProperty("previous").GetProperty("leads").GetInt32());
        var group = Assert.Single(report.GetProperty("groups").EnumerateArray());
        Assert.Equal("webinar", group.GetProperty("key").GetString());

        // And asks why it went where it went.
        var why = await host.SayAsync("marketing", "maria", $"/leads why lead:{leadId}");
        Assert.Contains($"Claimed by {winnerName}", why.GetProperty("reply").GetProperty("message").GetProperty("text").GetString());
    }
}
