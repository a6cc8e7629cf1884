using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace TeamBot.Host.Tests;

/// <summary>
/// The bad-input corpus for chat commands, through the local chat API (issue #7, item 5): each bad command gets a
/// specific answer (200 with a private reply, or 400 problem details for text the chat itself refuses), never 5xx,
/// never a generic error, and no row of the workspace's data changes.
/// </summary>
public sealed class BadInputChatTests(BadInputHostFixture fixture) : IClassFixture<BadInputHostFixture>
{
    /// <summary>Who sends <paramref name="Text"/> ({lead} is a real lead's number), and a fragment of the answer.</summary>
    public sealed record Case(string User, string Text, string Says, HttpStatusCode Status = HttpStatusCode.OK);

    private static readonly string[] DataTables =
    [
        "leads", "assignments", "ratings", "outcomes", "reasons", "reason_options", "holidays", "people", "role_mappings",
        "goals", "goal_updates", "standups", "standup_runs", "standup_answers", "workspaces",
    ];

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // Not a command at all.
        ["slash alone"] = new("sam", "/", "Type a command after the slash"),
        ["unknown command"] = new("sam", "/frobnicate", "There is no /frobnicate command. Try /help."),
        ["sql as a command"] = new("sam", "/DROP TABLE leads;--", "There is no /drop command."),
        ["mention as a command"] = new("sam", "/@everyone", "There is no /@everyone command."),
        ["markup as a command"] = new("sam", "/<script>alert(1)</script>", "There is no /<script>alert(1)</script> command."),
        ["control character"] = new("sam", "/leads\u0007 quality", "control character", HttpStatusCode.BadRequest),
        ["NUL"] = new("sam", "/leads quality\0", "control character", HttpStatusCode.BadRequest),
        ["4,001 characters"] = new("sam", "/leads quality period:" + new string('x', 3980), "may be at most 4000 characters", HttpStatusCode.BadRequest),
        ["unknown user"] = new("@everyone", "/help", "is not a person in the local workspace", HttpStatusCode.BadRequest),

        // /leads
        ["leads: no subcommand"] = new("sam", "/leads", "/leads needs a subcommand: quality, handoff, claim, release, rate, rea"),
        ["leads: unknown subcommand"] = new("sam", "/leads frobnicate", "/leads has no 'frobnicate' subcommand. It has: quality, handoff, claim"),
        ["leads claim: no lead"] = new("sam", "/leads claim", "lead:"),
        ["leads claim: text lead"] = new("sam", "/leads claim lead:abc", "'abc' is not a lead number; use the number on the card, e.g. lead:42."),
        ["leads claim: negative lead"] = new("sam", "/leads claim lead:-1", "'-1' is not a lead number; use the number on the card, e.g. lead:42."),
        ["leads claim: overflowing lead"] = new("sam", "/leads claim lead:99999999999999999999999", "'99999999999999999999999' is not a lead number; use the number on the"),
        ["leads claim: unknown lead"] = new("sam", "/leads claim lead:987654", "There is no lead #987654 in this workspace."),
        ["leads claim: lead twice"] = new("sam", "/leads claim lead:{lead} lead:{lead}", "The option 'lead' is given twice."),
        ["leads claim: unterminated quote"] = new("sam", "/leads claim lead:\"{lead}", "The quote that starts at \"\"1\" is never closed."),
        ["leads claim: unknown option"] = new("sam", "/leads claim lead:{lead} colour:red", "/leads claim has no option 'colour'. It takes lead."),
        ["leads rate: unknown rating"] = new("sam", "/leads rate lead:{lead} rating:awesome", "'awesome' is not a choice for rating: use great, good, meh, poor, reje"),
        ["leads rate: sql rating"] = new("sam", "/leads rate lead:{lead} rating:\"'; DROP TABLE ratings;--\"", "''; DROP TABLE ratings;--' is not a choice for rating: use great, good"),
        ["leads quality: unknown by"] = new("sam", "/leads quality by:mood", "'mood' is not a choice for by"),
        ["leads quality: bad period"] = new("sam", "/leads quality period:1000y", "'1000y' is not a period. Use 7d, 30d, 90d, quarter or YYYY-MM-DD..YYYY"),
        ["leads quality: backwards range"] = new("sam", "/leads quality period:2026-03-01..2026-01-01", "'2026-03-01..2026-01-01' ends before it starts."),
        ["leads quality: impossible date"] = new("sam", "/leads quality period:2026-02-30..2026-03-01", "'2026-02-30..2026-03-01' has a date that does not exist."),
        ["leads quality: sql period"] = new("sam", "/leads quality period:\"'; DROP TABLE leads;--\"", "''; drop table leads;--' is not a period. Use 7d, 30d, 90d, quarter or"),
        ["leads why: lead 0"] = new("sam", "/leads why lead:0", "There is no lead #0 in this workspace."),
        ["leads show: fractional lead"] = new("sam", "/leads show lead:1.5", "'1.5' is not a lead number; use the number on the card, e.g. lead:42."),
        ["leads outcome: unknown outcome"] = new("alex", "/leads outcome lead:{lead} outcome:bought", "'bought' is not a choice for outcome: use contacted, meeting, opportun"),
        ["leads outcome: bad amount"] = new("alex", "/leads outcome lead:{lead} outcome:won amount:lots", "'lots' is not an amount. Write it like 12000, 12,500.50 or 12k."),
        ["leads outcome: negative amount"] = new("alex", "/leads outcome lead:{lead} outcome:won amount:-5", "'-5' is not an amount. Write it like 12000, 12,500.50 or 12k."),
        ["leads assign: mention as rep"] = new("alex", "/leads assign lead:{lead} rep:@everyone", "Nobody here is called 'everyone'."),
        ["leads assign: discord mention as rep"] = new("alex", "/leads assign lead:{lead} rep:<@123456789>", "Nobody here is called '<@123456789>'."),
        ["leads assign: markup as rep"] = new("alex", "/leads assign lead:{lead} rep:<b>sam</b>", "Nobody here is called '<b>sam</b>'."),
        ["leads reason: unknown reason"] = new("sam", "/leads reason lead:{lead} reason:not-a-reason", "A reason explains a poor or rejected lead. Rate lead #1 poor or reject"),
        ["leads handoff: no fields"] = new("alex", "/leads handoff", "email is required"),
        ["leads handoff: bad email"] = new("alex", "/leads handoff email:not-an-email", "email is not a valid email address"),
        ["leads handoff: score 500"] = new("alex", "/leads handoff email:h@acme.com score:500", "score must be a number from 0 to 100"),
        ["leads handoff: unknown field"] = new("alex", "/leads handoff email:h@acme.com emial:x", "/leads handoff has no option 'emial'. It takes email, phone, firstName"),
        ["leads handoff: 300-character name"] = new("alex", $"/leads handoff email:h@acme.com firstName:{new string('n', 300)}", "firstName must be at most 200 characters"),
        ["leads handoff: javascript url"] = new("alex", "/leads handoff email:h@acme.com url:javascript:alert(1)", "url must be an absolute http:// or https:// URL"),
        ["leads handoff: RLO"] = new("alex", "/leads handoff email:h@acme.com company:\u202Eevil", "company contains an invisible text-direction character (U+202E)"),

        // /reasons, /away, /availability, /holidays, /setup, /privacy
        ["reasons add: nothing"] = new("alex", "/reasons add", "/reasons add needs code: and label:. Example: /reasons add code:no-bud"),
        ["reasons add: bad code"] = new("alex", "/reasons add code:\"bad code!\" label:x", "'bad code!' is not a usable code: use 1 to 40 lowercase letters, digit"),
        ["reasons add: 300-character label"] = new("alex", $"/reasons add code:long label:\"{new string('l', 300)}\"", "The label must be 1 to 80 characters of plain text on one line."),
        ["reasons remove: unknown"] = new("alex", "/reasons remove code:nope", "There is no reason with the code 'nope'. /reasons list shows them."),
        ["away: not a date"] = new("sam", "/away until:yesterday", "until: 'yesterday' is not a date; give the first day back as YYYY-MM-D"),
        ["away: in the past"] = new("sam", "/away until:2020-01-01", "until: 2020-01-01 is not after today"),
        ["away: impossible date"] = new("sam", "/away until:2027-02-30", "until: '2027-02-30' is not a date; give the first day back as YYYY-MM-"),
        ["away: year 9999999"] = new("sam", "/away until:9999999-01-01", "until: '9999999-01-01' is not a date; give the first day back as YYYY-"),
        ["away: mention as person"] = new("alex", "/away person:@everyone until:2027-01-04", "person: Nobody here is called 'everyone'."),
        ["availability set: unknown zone"] = new("sam", "/availability set tz:Mars/Olympus", "tz: 'Mars/Olympus' is not a known IANA time zone (e.g. Europe/Berlin,"),
        ["availability set: hour 25"] = new("sam", "/availability set hours:25:00-26:00", "hours: '25:00-26:00' must look like 09:00-17:30."),
        ["availability set: funday"] = new("sam", "/availability set days:Funday", "days: 'Funday' must look like Mon-Fri, Sun-Thu or Mon,Wed,Fri."),
        ["availability show: nobody"] = new("sam", "/availability show person:nobody", "person: Nobody here is called 'nobody'."),
        ["holidays add: impossible date"] = new("alex", "/holidays add date:2027-02-30 name:x", "date: '2027-02-30' is not a date; use YYYY-MM-DD, e.g. date:2026-12-25"),
        ["holidays add: 300-character name"] = new("alex", $"/holidays add date:2027-01-05 name:\"{new string('h', 300)}\"", "name: at most 100 characters."),
        ["holidays remove: not a date"] = new("alex", "/holidays remove date:notadate", "date: 'notadate' is not a date; use YYYY-MM-DD, e.g. date:2026-12-25."),
        ["setup: unknown subcommand"] = new("alex", "/setup frobnicate", "/setup has no 'frobnicate' subcommand. It has: show, handoffs, marketi"),
        ["setup handoffs: a person as the channel"] = new("alex", "/setup handoffs channel:<@123>", "mentions a person or a role, not a channel"),
        ["setup handoffs: a channel name"] = new("alex", "/setup handoffs channel:#general", "is a channel's name, not its id"),
        ["setup handoffs: a channel the workspace does not have"] = new("alex", "/setup handoffs channel:sales-floor",
            "channel: 'sales-floor' is not one of the workspace's channels (handoffs, marketing, general). Nothing was changed."),
        ["setup roles: bad role"] = new("alex", "/setup roles sales:\"'; DROP TABLE role_mappings;--\"", "sales: '';' is not a role id or a role mention like <@&123>. Nothing w"),
        ["privacy forget: bad email"] = new("alex", "/privacy forget email:not-an-email confirm:yes", "email: That is not an e-mail address (name@example.com)."),
        ["privacy forget: confirm maybe"] = new("alex", "/privacy forget email:x@acme.com confirm:maybe", "'maybe' is not a choice for confirm: use yes."),

        // /goal
        ["goal: no subcommand"] = new("alex", "/goal", "/goal needs a subcommand: add, update, list, show, archive. Example: /"),
        ["goal add: nothing"] = new("alex", "/goal add", "/goal add needs name: and metric: and target:. Example: /goal add name"),
        ["goal add: unknown metric"] = new("alex", "/goal add name:X metric:nonsense target:10", "'nonsense' is not a choice for metric: use handoffs, claimed, sqls, me"),
        ["goal add: negative target"] = new("alex", "/goal add name:X metric:sqls target:-5", "target:-5 must be a whole number of leads, e.g. 120 for metric sqls. N"),
        ["goal add: text target"] = new("alex", "/goal add name:X metric:sqls target:abc", "target:abc must be a whole number of leads, e.g. 120 for metric sqls."),
        ["goal add: huge target"] = new("alex", "/goal add name:X metric:sqls target:1e400", "target:1e400 must be a whole number of leads, e.g. 120 for metric sqls"),
        ["goal add: unknown period"] = new("alex", "/goal add name:X metric:sqls target:10 period:century", "period: 'century' is not a period. Use month, quarter, next-month, nex"),
        ["goal add: mentions as owners"] = new("alex", "/goal add name:X metric:sqls target:10 owners:\"@everyone, <@123>\"", "owners: Nobody here is called 'everyone'. Nothing was saved."),
        ["goal add: 300-character name"] = new("alex", $"/goal add name:\"{new string('g', 300)}\" metric:sqls target:10", "name: a goal's name must be 1 to 100 characters of plain text on one l"),
        ["goal update: unknown goal"] = new("alex", "/goal update goal:987654 value:5", "There is no goal #987654 in this workspace; /goal list shows them. Not"),
        ["goal update: text goal"] = new("alex", "/goal update goal:abc value:5", "goal:abc is not a goal number; /goal list shows them, e.g. goal:3. Not"),
        ["goal show: negative goal"] = new("alex", "/goal show goal:-1", "goal:-1 is not a goal number; /goal list shows them, e.g. goal:3."),
        ["goal archive: unknown goal"] = new("alex", "/goal archive goal:987654", "There is no goal #987654 in this workspace; /goal list shows them."),
        ["goal list: unknown status"] = new("alex", "/goal list status:bogus", "'bogus' is not a choice for status: use active, archived, all."),

        // /standup
        ["standup: no subcommand"] = new("alex", "/standup", "/standup needs a subcommand: create, edit, pause, resume, delete, list"),
        ["standup create: nothing"] = new("alex", "/standup create", "/standup create needs name:. Example: /standup create name:\"Monday syn"),
        ["standup create: time 25:99"] = new("alex", "/standup create name:X participants:sam days:Mon-Fri time:25:99", "time: '25:99' is not a time of day; use 24-hour HH:mm, e.g. 09:30."),
        ["standup create: bad cron"] = new("alex", "/standup create name:X participants:sam cron:\"not a cron\"", "cron: 'not a cron' has 3 fields; a cron expression has 5: minute hour"),
        ["standup create: unknown participant"] = new("alex", "/standup create name:X participants:nobody time:09:30", "participants: 'nobody' is not a person in this workspace. Use their id"),
        ["standup create: mention as participant"] = new("alex", "/standup create name:X participants:\"@everyone\" time:09:30", "participants: 'everyone' is not a person in this workspace. Use their"),
        ["standup create: unknown zone"] = new("alex", "/standup create name:X participants:sam time:09:30 tz:Nowhere/City", "tz: 'Nowhere/City' is not an IANA time zone; use e.g. Europe/Berlin, A"),
        ["standup create: bad window"] = new("alex", "/standup create name:X participants:sam time:09:30 window:forever", "window: 'forever' must be a duration from 5m to 24h, e.g. 4h, 90m or 1"),
        ["standup create: unknown mode"] = new("alex", "/standup create name:X participants:sam time:09:30 mode:pigeon", "'pigeon' is not a choice for mode: use thread, dm."),
        ["standup create: a person as the channel"] = new("alex", "/standup create name:X participants:sam time:09:30 channel:<@123>", "channel: '<@123>' is not a channel name"),
        ["standup edit: unknown standup"] = new("alex", "/standup edit name:nonexistent time:10:00", "name: there is no stand-up called \"nonexistent\". /standup list shows t"),
        ["standup delete: unknown standup"] = new("alex", "/standup delete name:nonexistent", "name: there is no stand-up called \"nonexistent\". /standup list shows t"),
        ["standup run: sql name"] = new("alex", "/standup run name:\"'; DROP TABLE standups;--\"", "name: there is no stand-up called \"'; DROP TABLE standups;--\". /standu"),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    private TestHost Host => fixture.Host;

    [Theory]
    [MemberData(nameof(Names))]
    public async Task BadCommand_GetsASpecificAnswer_AndChangesNoRow(string name)
    {
        var bad = Cases[name];
        var lead = await fixture.LeadAsync();
        var text = bad.Text.Replace("{lead}", lead.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var before = await FingerprintAsync();

        var response = await Host.Client.PostAsJsonAsync("/api/local/channels/general/messages", new { user = bad.User, text });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == bad.Status, $"{name}: {(int)response.StatusCode} {body}");
        var json = JsonDocument.Parse(body).RootElement;
        var said = bad.Status == HttpStatusCode.OK
            ? json.GetProperty("reply").GetProperty("message").GetProperty("text").GetString()!
            : json.GetProperty("detail").GetString()!;
        Assert.True(said.Contains(bad.Says, StringComparison.Ordinal), $"{name}: expected \"{bad.Says}\" in: {said}");
        Assert.DoesNotContain("Something went wrong", said, StringComparison.Ordinal);
        if (bad.Status == HttpStatusCode.OK)
        {
            Assert.Equal(JsonValueKind.Null, json.GetProperty("message").ValueKind);
            Assert.Empty(json.GetProperty("reply").GetProperty("message").GetProperty("notify").EnumerateArray());
        }
        Assert.Equal(before, await FingerprintAsync());
    }

    /// <summary>A hash of every row of the workspace's data, by table: any insert, update or delete changes one.</summary>
    private async Task<Dictionary<string, string>> FingerprintAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Host.DataDirectory, "teambot.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new Dictionary<string, string>();
        foreach (var table in DataTables)
        {
            var rows = new StringBuilder();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY rowid";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) rows.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                rows.Append('\n');
            }
            tables[table] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(rows.ToString())));
        }
        return tables;
    }
}
