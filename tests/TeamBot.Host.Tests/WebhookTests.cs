using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Workspaces;
using TeamBot.Host.Api;

namespace TeamBot.Host.Tests;

public sealed class WebhookHostFixture : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await TestHost.StartAsync(s =>
        {
            s["Intake:MaxBodyBytes"] = "65536";
            s["Workspaces:other:ApiKey"] = "other-workspace-key-0123";
        });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Bad input to the webhook gets a specific error and stores nothing; good input is acknowledged once.</summary>
public sealed class WebhookTests(WebhookHostFixture fixture) : IClassFixture<WebhookHostFixture>
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Post_WithoutKey_OrWithAWrongKey_Is401WithAReason()
    {
        var none = await Host.PostLeadsAsync("""{"email":"a@acme.com"}""", key: null);
        var wrong = await Host.PostLeadsAsync("""{"email":"a@acme.com"}""", key: "not-the-key-at-all");
        var elsewhere = await Host.PostLeadsAsync("""{"email":"a@acme.com"}""", key: TestHost.ApiKey, workspace: "other");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", await Detail(none));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("not valid for workspace 'local'", await Detail(wrong));
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Post_ToAWorkspaceWithoutAHandoffsChannel_Is409SayingHowToSetItUp_AndStoresNothing()
    {
        const string bare = "bare-webhook";
        const string key = "bare-workspace-key-0123";
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var workspaces = scope.ServiceProvider.GetRequiredService<IWorkspaceStore>();
            await workspaces.UpsertAsync(new Workspace(bare, "discord", "Bare", "UTC", new WorkspacePlaces("", "", "")), CancellationToken.None);
            await workspaces.SetApiKeyHashAsync(bare, ApiKeys.Hash(key), CancellationToken.None);
        }

        var response = await Host.PostLeadsAsync("""{"email":"a@acme.com"}""", key: key, workspace: bare);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"Workspace {bare} has no handoffs channel yet: an admin runs /setup handoffs in the channel where leads should go.", await Detail(response));
        using var report = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/workspaces/{bare}/reports/lead-quality?period=1d&by=source");
        report.Headers.Authorization = new("Bearer", key);
        var totals = JsonDocument.Parse(await (await Host.Client.SendAsync(report)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, totals.GetProperty("total").GetProperty("leads").GetInt32());
    }

    [Fact]
    public async Task Post_WithAnotherContentType_Is415()
    {
        var response = await Host.PostLeadsAsync("email=a@acme.com", tweak: r => r.Content = new StringContent("email=a@acme.com", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content-Type: application/json", await Detail(response));
    }

    [Fact]
    public async Task Post_LargerThanTheLimit_Is413AndStoresNothing()
    {
        var before = await LeadCountAsync();
        var leads = string.Join(",", Enumerable.Range(0, 900).Select(i => $$"""{"email":"lead{{i}}@acme.com","reason":"{{new string('x', 60)}}"}"""));

        var response = await Host.PostLeadsAsync($$"""{"leads":[{{leads}}]}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("the limit is 65,536 bytes", await Detail(response));
        Assert.Equal(before, await LeadCountAsync());
    }

    [Fact]
    public async Task Post_MalformedJson_Is400NamingWhere()
    {
        var response = await Host.PostLeadsAsync("""{"email": "a@acme.com", """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await Errors(response);
        Assert.StartsWith("is not valid JSON", errors["$"][0], StringComparison.Ordinal);
        Assert.Contains("line 1", errors["$"][0]);
    }

    [Fact]
    public async Task Post_ABatchWithBadLeads_Is400NamingEveryBadFieldByPath_AndStoresNoneOfTheBatch()
    {
        var before = await LeadCountAsync();
        var response = await Host.PostLeadsAsync("""
            {"leads":[
              {"email":"good@acme.com","company":"Acme"},
              {"email":"not-an-email","score":"high"},
              {"firstName":"No","lastName":"Contact"},
              {"email":"c@acme.com","companySize":true,"fields":{"nested":{"a":1}}},
              {"email":"d@acme.com","emial":"typo","url":"javascript:alert(1)"}
            ]}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("The leads were not accepted", body.GetProperty("title").GetString());
        Assert.Contains("nothing was stored", body.GetProperty("detail").GetString());
        var errors = await Errors(response);
        Assert.Equal("is not a valid email address.", errors["leads[1].email"][0]);
        Assert.Equal("must be a number from 0 to 100.", errors["leads[1].score"][0]);
        Assert.StartsWith("is required: a lead needs an email or a phone number", errors["leads[2].email"][0], StringComparison.Ordinal);
        Assert.Equal("must be a number or a string, not true/false.", errors["leads[3].companySize"][0]);
        Assert.StartsWith("must be text, a number, true/false or null", errors["leads[3].fields.nested"][0], StringComparison.Ordinal);
        Assert.Equal("is not a lead field; did you mean 'email'?", errors["leads[4].emial"][0]);
        Assert.Equal("must be an absolute http:// or https:// URL.", errors["leads[4].url"][0]);
        Assert.DoesNotContain(errors.Keys, k => k.StartsWith("leads[0]", StringComparison.Ordinal));
        Assert.Equal(before, await LeadCountAsync());
    }

    [Fact]
    public async Task Post_MoreThanAThousandLeads_Is400()
    {
        var leads = string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"email":"l{{i}}@x.io"}"""));

        var response = await Host.PostLeadsAsync($$"""{"leads":[{{leads}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("may contain at most 1,000 leads per request (got 1,001).", (await Errors(response))["leads"][0]);
    }

    [Fact]
    public async Task Post_WrongShapes_AreNamed()
    {
        foreach (var (json, path, message) in new[]
                 {
                     ("[]", "$", "must be a lead object or {\"leads\": [...]}, not an array."),
                     ("""{"leads":{}}""", "leads", "must be an array of lead objects, not an object."),
                     ("""{"leads":[1]}""", "leads[0]", "must be a lead object, not a number."),
                     ("""{"email":"a@acme.com","email":"b@acme.com"}""", "email", "appears more than once."),
                     ("""{"email":"a@acme.com","firstName":"Jo\u0000e"}""", "firstName", "contains a control character (U+0000); line breaks are not allowed here."),
                     ("""{"email":"a@acme.com","company":"\u202Eevil"}""", "company", "contains an invisible text-direction character (U+202E)."),
                 })
        {
            var response = await Host.PostLeadsAsync(json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = await Errors(response);
            Assert.True(errors.TryGetValue(path, out var found), $"{json}: expected an error at {path}, got {string.Join("; ", errors.Keys)}");
            Assert.Equal(message, found![0]);
        }
    }

    [Fact]
    public async Task Post_InvalidUtf8_Is400()
    {
        var response = await Host.PostLeadsAsync("", tweak: r => r.Content = new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'])
        {
            Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await Errors(response)).Values.SelectMany(v => v), m => m.Contains("UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentPosts_ShareCommits_YetEachSenderGetsItsOwnAnswer_AndACopyIsADuplicateOfTheFirst()
    {
        // 24 senders at once: most land in shared transactions (group commit). Each gets its own leads back; the same
        // lead sent by four of them is accepted once and the others are told it is a duplicate of that one.
        var bodies = Enumerable.Range(0, 24).Select(i => i % 6 == 0
            ? """{"email":"same-lead@acme.com","firstName":"Same","company":"Acme"}"""
            : $$"""{"leads":[{"email":"batch{{i}}a@acme.com","company":"Acme"},{"email":"batch{{i}}b@acme.com","company":"Acme"}]}""").ToList();

        var answers = await Task.WhenAll(bodies.Select(async body =>
        {
            var response = await Host.PostLeadsAsync(body);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        }));

        for (var i = 0; i < bodies.Count; i++)
        {
            Assert.Equal(i % 6 == 0 ? 1 : 2, answers[i].GetProperty("leads").GetArrayLength());
        }
        var same = Enumerable.Range(0, bodies.Count).Where(i => i % 6 == 0).Select(i => answers[i].GetProperty("leads")[0]).ToList();
        Assert.Single(same, l => l.GetProperty("status").GetString() == "accepted");
        Assert.Single(same.Select(l => l.GetProperty("id").GetInt64()).Distinct());
        var others = Enumerable.Range(0, bodies.Count).Where(i => i % 6 != 0).SelectMany(i => answers[i].GetProperty("leads").EnumerateArray()).ToList();
        Assert.All(others, l => Assert.Equal("accepted", l.GetProperty("status").GetString()));
        Assert.Equal(others.Count, others.Select(l => l.GetProperty("id").GetInt64()).Distinct().Count());
    }

    [Fact]
    public async Task Post_TheSameLeadTwice_IsAcknowledgedBothTimes_ButPostedOnce()
    {
        var body = """{"externalId":"dup-1","email":"dup@acme.com","firstName":"Dup","company":"Acme"}""";

        var first = JsonDocument.Parse(await (await Host.PostLeadsAsync(body)).Content.ReadAsStringAsync()).RootElement;
        var second = JsonDocument.Parse(await (await Host.PostLeadsAsync(body)).Content.ReadAsStringAsync()).RootElement;

        Assert.Equal((1, 0), (first.GetProperty("accepted").GetInt32(), first.GetProperty("duplicates").GetInt32()));
        Assert.Equal("duplicate", second.GetProperty("leads")[0].GetProperty("status").GetString());
        var id = first.GetProperty("leads")[0].GetProperty("id").GetInt64();
        Assert.Equal(id, second.GetProperty("leads")[0].GetProperty("id").GetInt64());
        Assert.Equal("dup-1", second.GetProperty("leads")[0].GetProperty("externalId").GetString());
        await Eventually.TrueAsync(async () => (await Host.HandoffCardsAsync()).ContainsKey(id), "the lead is posted");
        await Task.Delay(300);
        Assert.Single((await Host.HandoffCardsAsync()).Values, c => TestHost.Field(c, "Email") == "dup@acme.com");
    }

    [Fact]
    public async Task Post_MarkupAndMentionsInEveryTextField_AreStoredAndShownLiterally()
    {
        const string evil = "<img src=x onerror=alert(1)> @everyone **bold** <@123> [x](javascript:alert(1))";
        var fields = new[] { "firstName", "lastName", "company", "title", "source", "campaign", "segment", "country", "reason" };
        var lead = fields.ToDictionary(f => f, f => (object)(f + " " + evil));
        lead["email"] = "evil@acme.com";
        lead["fields"] = new Dictionary<string, string> { ["note"] = evil };

        var response = await Host.PostLeadsAsync(JsonSerializer.Serialize(lead));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("leads")[0].GetProperty("id").GetInt64();

        var card = await Eventually.ElementAsync(async () => (await Host.HandoffCardsAsync()).TryGetValue(id, out var c) ? c : null, "the lead is posted");
        var raw = card.GetRawText();
        var title = card.GetProperty("card").GetProperty("title").GetString()!;
        Assert.StartsWith($"firstName {evil} lastName {evil} · company ", title, StringComparison.Ordinal);
        Assert.True(title.Length <= 256 && title.EndsWith('…'), "a title longer than the platform takes is cut, not refused");
        Assert.Equal($"source {evil}", TestHost.Field(card, "Source"));
        Assert.Equal($"note: {evil}", TestHost.Field(card, "Details"));
        Assert.Empty(card.GetProperty("notify").EnumerateArray());
        Assert.DoesNotContain("&lt;", raw, StringComparison.Ordinal); // text is data, not pre-escaped HTML: the page renders it as text
    }

    private async Task<int> LeadCountAsync() => (await Host.GetReportAsync("period=1d&by=source")).GetProperty("total").GetProperty("leads").GetInt32();

    private static async Task<string> Detail(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;

    private static async Task<Dictionary<string, string[]>> Errors(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray());
}

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec-0123456789abcdef";

    [Fact]
    public async Task Post_ToAWorkspaceWithASigningSecret_NeedsAFreshValidSignature()
    {
        await using var host = await TestHost.StartAsync(s => s["Workspaces:local:SigningSecret"] = Secret);
        const string body = """{"email":"signed@acme.com","company":"Acme"}""";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var missing = await host.PostLeadsAsync(body);
        var garbled = await host.PostLeadsAsync(body, tweak: r => r.Headers.Add(WebhookSignature.Header, "sha256=abc"));
        var wrongSecret = await host.PostLeadsAsync(body, tweak: r => r.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign("another-secret-0123", now, Encoding.UTF8.GetBytes(body))));
        var stale = await host.PostLeadsAsync(body, tweak: r => r.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(Secret, now - 600, Encoding.UTF8.GetBytes(body))));
        var otherBody = await host.PostLeadsAsync(body.Replace("signed", "changed", StringComparison.Ordinal), tweak: r => r.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(Secret, now, Encoding.UTF8.GetBytes(body))));
        var good = await host.PostLeadsAsync(body, tweak: r => r.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(Secret, now, Encoding.UTF8.GetBytes(body))));
        var rotated = await host.PostLeadsAsync(body, tweak: r => r.Headers.Add(WebhookSignature.Header,
            WebhookSignature.Sign("old-secret-0123456789", now, Encoding.UTF8.GetBytes(body)) + ",v1=" + WebhookSignature.Sign(Secret, now, Encoding.UTF8.GetBytes(body)).Split("v1=")[1]));

        foreach (var (response, says) in new[]
                 {
                     (missing, "accepts only signed requests"), (garbled, "must look like t="), (wrongSecret, "does not match"),
                     (stale, "seconds away from the server's clock; it must be within 300"), (otherBody, "does not match"),
                 })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains(says, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        }
        Assert.Matches("timestamp is 60[0-9] seconds away", JsonDocument.Parse(await stale.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, rotated.StatusCode);
    }
}
