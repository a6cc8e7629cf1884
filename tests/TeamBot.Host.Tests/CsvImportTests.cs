using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TeamBot.Host.Cli;

namespace TeamBot.Host.Tests;

/// <summary>`teambot import`, run as a user would: its own folder with config/teambot.json, a CSV, the console output.</summary>
public sealed class CsvImportTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "teambot-import-tests", Guid.NewGuid().ToString("N"));
    private readonly StringWriter _output = new();

    public CsvImportTests()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "config"));
        var settings = TestHost.DefaultSettings();
        settings["Workspaces:local:ApiKey"] = TestHost.ApiKey;
        settings.Remove("TEAMBOT_LOCAL_API_KEY");
        File.WriteAllText(Path.Combine(_directory, "config", "teambot.json"), JsonSerializer.Serialize(Nest(settings)));
    }

    [Fact]
    public async Task Import_TenThousandRowsWithBadOnes_ImportsEveryGoodRow_AndReportsEveryBadRowByLine()
    {
        var csv = new StringBuilder("External ID,E-mail Address,First Name,Last Name,Company,Lead Source,Score,Why\n");
        var line = 1;
        var bad = new SortedDictionary<int, (string Field, string Problem)>();
        var good = 0;
        for (var i = 0; i < 10_000; i++)
        {
            line++;
            if (i % 97 == 0)
            {
                csv.Append(CultureInfo.InvariantCulture, $"x-{i},not-an-email,Bad,Email,Acme,csv,50,nope\n");
                bad[line] = ("E-mail Address (email)", "is not a valid email address.");
            }
            else if (i % 101 == 0)
            {
                csv.Append(CultureInfo.InvariantCulture, $"x-{i},,No,Contact,Acme,csv,50,\n");
                bad[line] = ("E-mail Address (email)", "is required: a lead needs an email or a phone number so that sales can reach it.");
            }
            else if (i % 89 == 0)
            {
                // Markup, mentions and a line break inside quotes: a good row that spans two lines.
                csv.Append(CultureInfo.InvariantCulture, $"x-{i},evil{i}@acme.com,\"<b>Eve</b>\",\"@everyone\",\"Acme, Inc.\",csv,\"70\",\"Line one\nline two\"\n");
                line++;
                good++;
            }
            else if (i % 83 == 0)
            {
                csv.Append(CultureInfo.InvariantCulture, $"x-{i},score{i}@acme.com,Too,High,Acme,csv,250,\n");
                bad[line] = ("score", "must be a number from 0 to 100.");
            }
            else
            {
                csv.Append(CultureInfo.InvariantCulture, $"x-{i},lead{i}@example.com,Lead,{i},Company {i % 50},csv,{i % 100},Downloaded the guide\n");
                good++;
            }
        }
        var path = Write("leads.csv", csv.ToString());

        var code = await RunAsync("import", path, "--workspace", "local");

        Assert.Equal(TeamBotCli.SomeRowsRejected, code);
        var output = _output.ToString();
        Assert.Contains($"{bad.Count} rows were not imported", output);
        var report = File.ReadAllLines(path + ".errors.csv").Skip(1).ToList();
        Assert.Equal(bad.Count, report.Count);
        Assert.Equal(bad.Select(b => $"{b.Key},\"{b.Value.Field}\",\"{b.Value.Problem}\""), report);
        Assert.Equal(good, await CountAsync("SELECT count(*) FROM leads"));
        Assert.Equal(good, await CountAsync("SELECT count(*) FROM outbox WHERE kind = 'handoff' AND completed_at IS NULL"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM leads WHERE first_name = '<b>Eve</b>' AND reason = 'Line one\nline two' AND external_id = 'x-89'"));
    }

    [Fact]
    public async Task Import_TheSameFileTwice_StoresEachLeadOnce()
    {
        var path = Write("twice.csv", "email,firstName,company\na@acme.com,A,Acme\nb@acme.com,B,Acme\n");

        Assert.Equal(TeamBotCli.Ok, await RunAsync("import", path));
        Assert.Equal(TeamBotCli.Ok, await RunAsync("import", path));

        Assert.Equal(2, await CountAsync("SELECT count(*) FROM leads"));
        Assert.Contains("Duplicates (skipped)", _output.ToString());
    }

    [Fact]
    public async Task Import_WithAMappingFile_MapsArbitraryHeaders_AndAppliesDefaults()
    {
        var csv = Write("export.csv", "Mail;Vorname;Firma;Quelle;Branche;Intern\njane@acme.de;Jane;Acme GmbH;Messe;SaaS;ignore me\n");
        var mapping = Write("mapping.json", """
            { "columns": { "Mail": "email", "Vorname": "firstName", "Firma": "company", "Quelle": "source", "Branche": "fields.industry", "Intern": null },
              "defaults": { "campaign": "Expo 2026", "country": "DE" } }
            """);

        Assert.Equal(TeamBotCli.Ok, await RunAsync("import", csv, "--mapping", mapping));

        Assert.Equal(1, await CountAsync("""
            SELECT count(*) FROM leads WHERE email = 'jane@acme.de' AND first_name = 'Jane' AND company = 'Acme GmbH' AND source = 'Messe'
              AND campaign = 'Expo 2026' AND country = 'DE' AND fields_json = '{"industry":"SaaS"}'
            """));
    }

    [Fact]
    public async Task Import_WithABadMappingFile_SaysWhatIsWrong_AndImportsNothing()
    {
        var csv = Write("export.csv", "Mail,Name\njane@acme.de,Jane\n");
        var mapping = Write("mapping.json", """{ "columns": { "Mail": "emial", "Missing": "company" } }""");

        Assert.Equal(TeamBotCli.Failed, await RunAsync("import", csv, "--mapping", mapping));

        var output = _output.ToString();
        Assert.Contains("\"emial\" is not a lead field", output);
        Assert.False(File.Exists(Path.Combine(_directory, "data", "teambot.db")) && await CountAsync("SELECT count(*) FROM leads") > 0);
    }

    [Fact]
    public async Task Import_WhenAColumnIsMappedTwiceOrMissing_SaysSo()
    {
        var csv = Write("export.csv", "Email,E-mail\na@acme.com,b@acme.com\n");
        var mapping = Write("mapping.json", """{ "columns": { "Phone Number": "phone" } }""");

        Assert.Equal(TeamBotCli.Failed, await RunAsync("import", csv, "--mapping", mapping));

        var output = _output.ToString();
        Assert.Contains("both map to email", output);
        Assert.Contains("names the column \"Phone Number\", which the file does not have", output);
    }

    [Fact]
    public async Task Import_WhenAQuoteNeverCloses_KeepsTheRowsBeforeIt_AndNamesTheLine()
    {
        var csv = Write("broken.csv", "email,firstName\na@acme.com,A\nb@acme.com,\"B\nc@acme.com,C\n");

        Assert.Equal(TeamBotCli.Failed, await RunAsync("import", csv));

        Assert.Contains("Line 3: a quoted value is never closed", _output.ToString());
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM leads"));
    }

    [Fact]
    public async Task Import_MissingFile_OrUnknownWorkspace_IsAClearError()
    {
        Assert.Equal(TeamBotCli.Failed, await RunAsync("import", Path.Combine(_directory, "nope.csv")));
        Assert.Contains("does not exist", _output.ToString());

        var csv = Write("ok.csv", "email\na@acme.com\n");
        Assert.Equal(TeamBotCli.Failed, await RunAsync("import", csv, "--workspace", "acme"));
        Assert.Contains("there is no workspace 'acme'", _output.ToString());
    }

    [Fact]
    public async Task Import_IntoAWorkspaceWithoutAHandoffsChannel_OrThatTeamBotWasRemovedFrom_IsRefused_AndImportsNothing()
    {
        var csv = Write("ok.csv", "email\na@acme.com\n");
        Assert.Equal(TeamBotCli.Ok, await RunAsync("import", csv));
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "data", "teambot.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO workspaces (id, platform, name, time_zone, handoffs_place, marketing_place, general_place, created_at) " +
                                 "VALUES ('bare', 'discord', 'Bare', 'UTC', '', '', '', 0)";
            await insert.ExecuteNonQueryAsync();
            // A server that removed TeamBot (left_at: 2026-11-20 09:30 UTC), though it has a handoffs channel.
            insert.CommandText = "INSERT INTO workspaces (id, platform, name, time_zone, handoffs_place, marketing_place, general_place, created_at, left_at) " +
                                 "VALUES ('gone', 'discord', 'Gone Co', 'UTC', '42', '', '', 0, 1795167000000)";
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Equal(TeamBotCli.Failed, await RunAsync("import", csv, "--workspace", "bare"));
        Assert.Contains("Workspace bare has no handoffs channel yet: an admin runs /setup handoffs in the channel where leads should go.",
            _output.ToString().ReplaceLineEndings(" "));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM leads WHERE workspace_id = 'bare'"));

        Assert.Equal(TeamBotCli.Failed, await RunAsync("import", csv, "--workspace", "gone"));
        Assert.Contains("TeamBot is not in the server of Gone Co (workspace gone) since 2026-11-20 09:30 UTC (it was removed, or never added), so its handoffs cannot be posted: add TeamBot to the server before sending leads.",
            _output.ToString().ReplaceLineEndings(" "));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM leads WHERE workspace_id = 'gone'"));
    }

    private Task<int> RunAsync(params string[] args) => CliConsole.RunAsync(_output, [.. args, "--contentRoot", _directory]);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "data", "teambot.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Turns flat "A:B:0:C" keys into the nested JSON a config file holds.</summary>
    internal static Dictionary<string, object?> Nest(Dictionary<string, string?> flat)
    {
        var root = new Dictionary<string, object?>();
        foreach (var (key, value) in flat)
        {
            var parts = key.Split(':');
            var node = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!node.TryGetValue(parts[i], out var child) || child is not Dictionary<string, object?> next)
                {
                    next = new Dictionary<string, object?>();
                    node[parts[i]] = next;
                }
                node = next;
            }
            node[parts[^1]] = value;
        }
        return Arrays(root);
    }

    /// <summary>Dictionaries keyed 0..n become arrays, as configuration binding expects in JSON.</summary>
    private static dynamic Arrays(Dictionary<string, object?> node)
    {
        foreach (var key in node.Keys.ToList())
        {
            if (node[key] is Dictionary<string, object?> child) node[key] = Arrays(child);
        }
        return node.Keys.All(k => int.TryParse(k, out _)) && node.Count > 0
            ? node.OrderBy(k => int.Parse(k.Key, System.Globalization.CultureInfo.InvariantCulture)).Select(k => k.Value).ToList()
            : node;
    }

    public void Dispose()
    {
        _output.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
