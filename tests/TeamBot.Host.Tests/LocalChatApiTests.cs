using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TeamBot.Host.Tests;

public sealed class LocalChatHostFixture : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>The local chat's page and JSON API: what the page and tests rely on, and clear errors for bad requests.</summary>
public sealed class LocalChatApiTests(LocalChatHostFixture fixture) : IClassFixture<LocalChatHostFixture>
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Page_IsServedWithSecurityHeaders()
    {
        var page = await Host.Client.GetAsync("/");
        var script = await Host.Client.GetAsync("/app.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<script src=\"/app.js\"", await page.Content.ReadAsStringAsync());
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        // Lead data is never turned into markup by the page.
        Assert.DoesNotMatch(@"\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\(|document\.write\(", await script.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Config_ListsChannelsPeopleWithRolesReactionsAndCommands()
    {
        var config = await Host.Client.GetFromJsonAsync<JsonElement>("/api/local/config");
        var people = await Host.Client.GetFromJsonAsync<JsonElement>("/api/local/people");

        Assert.Equal(["handoffs", "marketing", "general"], config.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Contains(people.EnumerateArray(), p => p.GetProperty("id").GetString() == "alex"
                                                      && p.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).SequenceEqual(["admin", "sales"]));
        Assert.Equal(["🙋", "🔥", "👍", "🤷", "👎", "🚫"], config.GetProperty("reactions").EnumerateArray().Select(r => r.GetProperty("emoji").GetString()));
        Assert.Contains(config.GetProperty("commands").EnumerateArray(), c => c.GetProperty("usage").GetString() == "/leads quality period:30d by:source");
    }

    [Fact]
    public async Task BadRequests_GetSpecificProblems()
    {
        var unknownUser = await Host.Client.PostAsJsonAsync("/api/local/channels/general/messages", new { user = "mallory", text = "hi" });
        var unknownChannel = await Host.Client.PostAsJsonAsync("/api/local/channels/random/messages", new { user = "sam", text = "hi" });
        var empty = await Host.Client.PostAsJsonAsync("/api/local/channels/general/messages", new { user = "sam", text = "  " });
        var tooLong = await Host.Client.PostAsJsonAsync("/api/local/channels/general/messages", new { user = "sam", text = new string('x', 4001) });
        var control = await Host.Client.PostAsJsonAsync("/api/local/channels/general/messages", new { user = "sam", text = "a\u0007b" });
        var notJson = await Host.Client.PostAsync("/api/local/channels/general/messages", new StringContent("{user:", System.Text.Encoding.UTF8, "application/json"));
        var noMessage = await Host.Client.PutAsync("/api/local/messages/999999/reactions/%F0%9F%94%A5?user=sam", null);
        var posted = await Host.SayAsync("general", "sam", "plain message");
        var id = posted.GetProperty("message").GetProperty("id").GetString();
        var badEmoji = await Host.Client.PutAsync($"/api/local/messages/{id}/reactions/%3Cb%3E?user=sam", null);
        var noControl = await Host.Client.PostAsJsonAsync($"/api/local/messages/{id}/actions", new { user = "sam", action = "claim" });

        await AssertProblem(unknownUser, HttpStatusCode.BadRequest, "'mallory' is not a person in the local workspace; use one of: maria, sam, ana, alex.");
        await AssertProblem(unknownChannel, HttpStatusCode.NotFound, "The local chat has no channel 'random'");
        await AssertProblem(empty, HttpStatusCode.BadRequest, "\"text\" is required and may not be blank.");
        await AssertProblem(tooLong, HttpStatusCode.BadRequest, "\"text\" may be at most 4000 characters (got 4001).");
        await AssertProblem(control, HttpStatusCode.BadRequest, "control character");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType!.MediaType);
        await AssertProblem(noMessage, HttpStatusCode.NotFound, "There is no message 999999.");
        await AssertProblem(badEmoji, HttpStatusCode.BadRequest, "A reaction is one emoji");
        await AssertProblem(noControl, HttpStatusCode.BadRequest, $"Message {id} has no control 'claim'");
    }

    [Fact]
    public async Task Commands_PrivateRepliesAreNotStored_PublicOnesAreWithWhoAsked()
    {
        var before = (await Host.MessagesAsync("general")).Length;

        var help = await Host.SayAsync("general", "sam", "/help");
        var bad = await Host.SayAsync("general", "sam", "/leads quality by:mood");
        var reasons = await Host.SayAsync("general", "alex", "/reasons add code:too-small label:\"Company too small\"");

        Assert.Equal(JsonValueKind.Null, help.GetProperty("message").ValueKind);
        Assert.Equal("private", help.GetProperty("reply").GetProperty("visibility").GetString());
        Assert.Contains("/leads claim lead:42", help.GetProperty("reply").GetProperty("message").GetProperty("text").GetString());
        Assert.Equal("'mood' is not a choice for by: use source, campaign, segment, rep.", bad.GetProperty("reply").GetProperty("message").GetProperty("text").GetString());
        Assert.Equal("public", reasons.GetProperty("reply").GetProperty("visibility").GetString());
        var stored = (await Host.MessagesAsync("general")).Skip(before).ToList();
        var echo = Assert.Single(stored);
        Assert.Equal("Alex Kim added the reason too-small (Company too small).", echo.GetProperty("text").GetString());
        Assert.Equal("alex", echo.GetProperty("command").GetProperty("user").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Events_StreamTellsThePageAboutNewMessages()
    {
        using var stream = new HttpClient { BaseAddress = Host.Client.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await stream.GetAsync("/api/local/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync());

        var posted = await Host.SayAsync("general", "maria", "live?");
        var id = posted.GetProperty("message").GetProperty("id").GetString();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line is null || !line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var change = JsonDocument.Parse(line[6..]).RootElement;
            if (change.GetProperty("messageId").GetString() != id) continue;
            Assert.Equal("message.created", change.GetProperty("type").GetString());
            Assert.Equal("general", change.GetProperty("channel").GetString());
            break;
        }
    }

    [Fact]
    public async Task DirectMessages_AreAChannelPerPerson()
    {
        var dm = await Host.SayAsync("@sam", "sam", "/leads quality period:30d");

        Assert.Equal("public", dm.GetProperty("reply").GetProperty("visibility").GetString());
        Assert.Single(await Host.MessagesAsync("@sam"));
        var unknown = await Host.Client.GetAsync("/api/local/channels/%40mallory/messages");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task DirectMessages_SomeoneElseCanNeitherPostNorReplyInThem()
    {
        var sams = await Host.SayAsync("@sam", "sam", "1. Webinar on Friday");
        var id = sams.GetProperty("message").GetProperty("id").GetString();

        var post = await Host.Client.PostAsJsonAsync("/api/local/channels/%40sam/messages", new { user = "ana", text = "hello" });
        var reply = await Host.Client.PostAsJsonAsync($"/api/local/messages/{id}/replies", new { user = "ana", text = "I read your answer" });

        await AssertProblem(post, HttpStatusCode.Forbidden, "@sam is sam's direct conversation with the bot");
        await AssertProblem(reply, HttpStatusCode.Forbidden, "@sam is sam's direct conversation with the bot");
        var thread = Assert.Single(await Host.MessagesAsync("@sam"), m => m.GetProperty("id").GetString() == id);
        Assert.Empty(thread.GetProperty("replies").EnumerateArray());
    }

    [Fact]
    public async Task Health_IsHealthyWhenReady()
    {
        var health = await Host.Client.GetFromJsonAsync<JsonElement>("/healthz");

        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReachedByAnotherHostName_OrChangedFromAnotherSite_IsRefused()
    {
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/local/channels/handoffs/messages");
        rebound.Headers.Host = "attacker.example";
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/local/channels/general/messages")
        {
            Content = JsonContent.Create(new { user = "sam", text = "hi" }),
        };
        crossSite.Headers.Add("Origin", "https://attacker.example");
        using var ownPage = new HttpRequestMessage(HttpMethod.Post, "/api/local/channels/general/messages")
        {
            Content = JsonContent.Create(new { user = "sam", text = "from the page" }),
        };
        ownPage.Headers.Add("Origin", Host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority));

        await AssertProblem(await Host.Client.SendAsync(rebound), HttpStatusCode.Forbidden, "answers only on this machine when reached as localhost");
        await AssertProblem(await Host.Client.SendAsync(crossSite), HttpStatusCode.Forbidden, "not from https://attacker.example");
        Assert.Equal(HttpStatusCode.Created, (await Host.Client.SendAsync(ownPage)).StatusCode);
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(detail, body.GetProperty("detail").GetString());
    }
}
