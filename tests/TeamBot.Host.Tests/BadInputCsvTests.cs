using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TeamBot.Host.Cli;

namespace TeamBot.Host.Tests;

/// <summary>One folder with config/teambot.json for a whole corpus of imports: the database grows, each case counts its own rows.</summary>
public sealed class ImportFolderFixture : IDisposable
{
    public ImportFolderFixture()
    {
        Directory.CreateDirectory(Path.Combine(Root, "config"));
        var settings = TestHost.DefaultSettings();
        settings["Workspaces:local:ApiKey"] = TestHost.ApiKey;
        settings.Remove("TEAMBOT_LOCAL_API_KEY");
        File.WriteAllText(Path.Combine(Root, "config", "teambot.json"), JsonSerializer.Serialize(CsvImportTests.Nest(settings)));
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "teambot-import-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// The bad-input corpus for <c>teambot import</c> (issue #7, item 5). As the README documents, every good row is imported
/// and every bad row is reported by line and field (exit 2); a file that cannot be read at all imports nothing (exit 1).
/// A bad row is never stored, not even in part.
/// </summary>
public sealed class BadInputCsvTests(ImportFolderFixture folder) : IClassFixture<ImportFolderFixture>
{
    private const string Header = "email,firstName,lastName,company,phone,score,companySize,url,reason,source,externalId";

    /// <summary>
    /// A file: its bytes (with {good} standing for a fresh good row), the exit code, what the output says, and how many
    /// rows must be stored.
    /// </summary>
    public sealed record Case(Func<string, byte[]> File, int Code, string[] Says, int Stored, string? Mapping = null);

    private static readonly Dictionary<string, Case> Cases = BuildCases();

    public static TheoryData<string> Names => [.. Cases.Keys];

    private static Dictionary<string, Case> BuildCases()
    {
        var cases = new Dictionary<string, Case>();
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        // A good row on line 2, then one bad row on line 3: the good row is imported, the bad one reported and not stored.
        void BadRow(string name, string row, string field, string says) =>
            cases.Add(name, new Case(good => Utf8($"{Header}\n{good}\n{row}\n"), TeamBotCli.SomeRowsRejected, [$"line 3: {field} ", says], 1));
        string Row(string column, string value)
        {
            var values = new Dictionary<string, string> { ["email"] = $"bad-{Guid.NewGuid():N}@acme.com", ["firstName"] = "Bad", ["score"] = "50" };
            values[column] = value;
            return string.Join(",", Header.Split(',').Select(h => values.GetValueOrDefault(h, "")));
        }
        static string Quoted(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        BadRow("email: not an address", Row("email", "not-an-email"), "email", "is not a valid email address.");
        BadRow("email: mention", Row("email", "@everyone"), "email", "is not a valid email address.");
        BadRow("email: sql", Row("email", Quoted("'); DROP TABLE leads;--")), "email", "is not a valid email address.");
        BadRow("email: formula", Row("email", Quoted("=cmd|' /C calc'!A0")), "email", "is not a valid email address.");
        BadRow("email: markup", Row("email", "<script>@x.io"), "email", "is not a valid email address.");
        BadRow("email and phone missing", Row("email", ""), "email", "is required");
        BadRow("firstName: 1 MB cell", Row("firstName", new string('x', 1_000_000)), "firstName", "must be at most 200 characters (got 1,000,000).");
        BadRow("firstName: NUL", Row("firstName", "a\0b"), "firstName", "U+0000");
        BadRow("firstName: ESC", Row("firstName", "a\u001b[31mred"), "firstName", "U+001B");
        BadRow("firstName: BEL", Row("firstName", "a\u0007"), "firstName", "U+0007");
        BadRow("firstName: line break in quotes", Row("firstName", "\"a\nb\""), "firstName", "U+000A");
        BadRow("company: RLO", Row("company", "\u202eevil"), "company", "U+202E");
        BadRow("company: 201 chars", Row("company", new string('c', 201)), "company", "must be at most 200");
        BadRow("lastName: DEL", Row("lastName", "a\u007f"), "lastName", "U+007F");
        BadRow("phone: letters", Row("phone", "call me"), "phone", "is not a valid phone number");
        BadRow("phone: formula", Row("phone", "=1+1"), "phone", "is not a valid phone number");
        BadRow("score: 101", Row("score", "101"), "score", "must be a number from 0 to 100.");
        BadRow("score: -1", Row("score", "-1"), "score", "must be a number from 0 to 100.");
        BadRow("score: text", Row("score", "high"), "score", "must be a number from 0 to 100.");
        BadRow("score: comma decimal", Row("score", "\"8,5\""), "score", "must be a number from 0 to 100.");
        BadRow("score: 1e400", Row("score", "1e400"), "score", "must be a number from 0 to 100.");
        BadRow("score: formula", Row("score", "=50+50"), "score", "must be a number from 0 to 100.");
        BadRow("companySize: words", Row("companySize", "lots"), "companySize", "must be a number of employees");
        BadRow("companySize: negative", Row("companySize", "-5"), "companySize", "must be a number of employees");
        BadRow("url: javascript", Row("url", "javascript:alert(1)"), "url", "must be an absolute http:// or https:// URL.");
        BadRow("url: file", Row("url", "file:///etc/passwd"), "url", "must be an absolute http:// or https:// URL.");
        BadRow("url: formula", Row("url", Quoted("=HYPERLINK(\"https://evil.example\")")), "url", "must be an absolute http:// or https:// URL.");
        BadRow("reason: 2,001 chars", Row("reason", new string('r', 2001)), "reason", "must be at most 2,000");
        BadRow("reason: NUL", Row("reason", "a\0b"), "reason", "U+0000");
        BadRow("source: 101 chars", Row("source", new string('s', 101)), "source", "must be at most 100");
        BadRow("externalId: 201 chars", Row("externalId", new string('e', 201)), "externalId", "must be at most 200");
        BadRow("too many values", Row("reason", "a,b,c"), "(row)", "has 13 values but the header has 11 columns");
        BadRow("latin-1 bytes", Row("lastName", "M\uFFFDller"), "lastName", "not UTF-8");

        // A header that is a spreadsheet formula, mapped by a mapping file: the error report names it, defused.
        cases.Add("formula header in the error report", new Case(
            good => Utf8($"=cmd|' /C calc'!A0\n{good.Split(',')[0]}\nnot-an-email\n"), TeamBotCli.SomeRowsRejected,
            ["line 3: =cmd|' /C calc'!A0 (email) is not a valid email address."], 1, Mapping: """{"columns":{"=cmd|' /C calc'!A0":"email"}}"""));

        // Invalid UTF-8 bytes in a row: the row is named, not stored with replacement characters.
        foreach (var (label, bytes) in new (string, byte[])[] { ("latin-1 ü", [0xFC]), ("C3 28", [0xC3, 0x28]), ("lone continuation", [0x80]), ("overlong", [0xC0, 0xAF]), ("FF", [0xFF]) })
        {
            cases.Add($"invalid utf-8: {label}", new Case(
                good => [.. Utf8($"{Header}\n{good}\nbad-{Guid.NewGuid():N}@acme.com,M"), .. bytes, .. Utf8("ller,,,,,,,,,\n")],
                TeamBotCli.SomeRowsRejected, ["line 3: firstName ", "not UTF-8"], 1));
        }

        // Files that cannot be read at all: nothing is stored.
        void BadFile(string name, Func<string, byte[]> file, string says, string? mapping = null) =>
            cases.Add(name, new Case(file, TeamBotCli.Failed, [says], 0, mapping));
        BadFile("empty file", _ => [], "The file is empty");
        BadFile("only a byte order mark", _ => [0xEF, 0xBB, 0xBF], "The file is empty");
        BadFile("only blank lines", _ => Utf8("\n\n\r\n"), "The file is empty");
        BadFile("no header, data first", good => Utf8($"{good}\n"), "No column maps to a lead field");
        BadFile("header of unknown columns", good => Utf8($"foo,bar,baz\n{good}\n"), "No column maps to a lead field");
        cases.Add("utf-16 without a byte order mark", new Case(
            good => Encoding.Unicode.GetBytes($"{Header}\n{good}\n"), TeamBotCli.SomeRowsRejected, ["line 2: ", "U+0000"], 0));
        BadFile("binary garbage", _ => [0x00, 0x01, 0x02, 0xFF, 0xFE, 0x0A, 0x03, 0x04], "No column maps to a lead field");
        BadFile("a column twice", good => Utf8($"email,E-mail\n{good.Split(',')[0]},x@acme.com\n"), "both map to email");
        BadFile("header with a 1 MB unknown column only", _ => Utf8(new string('h', 1_000_000) + "\nx\n"), "No column maps to a lead field");
        BadFile("quote never closes on line 2", good => Utf8($"{Header}\n\"{good}\n{good}\n"), "Line 2: a quoted value is never closed");
        BadFile("mapping: not JSON", good => Utf8($"Mail\n{good.Split(',')[0]}\n"), "The mapping file is not valid JSON", mapping: "{columns:");
        BadFile("mapping: unknown target", good => Utf8($"Mail\n{good.Split(',')[0]}\n"), "is not a lead field", mapping: """{"columns":{"Mail":"emial"}}""");
        BadFile("mapping: missing column", good => Utf8($"Mail\n{good.Split(',')[0]}\n"), "which the file does not have", mapping: """{"columns":{"Mail":"email","Phone Number":"phone"}}""");
        BadFile("mapping: an array", good => Utf8($"Mail\n{good.Split(',')[0]}\n"), "must be a JSON object", mapping: "[]");

        // Text that looks like an attack but is valid data: imported as sent, and the table is intact.
        void Accepted(string name, string column, string value) =>
            cases.Add(name, new Case(_ => Utf8($"{Header}\n{Row(column, Quoted(value))}\n"), TeamBotCli.Ok, ["Every row was imported."], 1));
        Accepted("sql drop table in firstName", "firstName", "'); DROP TABLE leads;--");
        Accepted("sql in company", "company", "Robert'); DELETE FROM leads WHERE ('1'='1");
        Accepted("formula in firstName", "firstName", "=cmd|' /C calc'!A0");
        Accepted("formula in company", "company", "@SUM(1+1)*cmd|' /C calc'!A0");
        Accepted("mention in company", "company", "@everyone <@123> <at>Sam</at>");
        Accepted("markup in reason", "reason", "<script>alert(1)</script> **bold** [x](javascript:alert(1))");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task BadFile_GetsTheDocumentedExitCode_NamesLineAndField_AndStoresNoBadRow(string name)
    {
        var bad = Cases[name];
        var goodEmail = $"good-{Guid.NewGuid():N}@acme.com";
        var good = $"{goodEmail},Good,Row,Acme,,50,,,,csv,";
        var path = Path.Combine(folder.Root, $"{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, bad.File(good));
        string[] mapping = [];
        if (bad.Mapping is not null)
        {
            var mappingPath = path + ".mapping.json";
            await File.WriteAllTextAsync(mappingPath, bad.Mapping);
            mapping = ["--mapping", mappingPath];
        }
        var before = await CountAsync();
        using var output = new StringWriter();

        var code = await CliConsole.RunAsync(output, ["import", path, "--workspace", "local", .. mapping, "--contentRoot", folder.Root]);

        var said = output.ToString().ReplaceLineEndings(" ");
        Assert.True(code == bad.Code, $"{name}: exit {code}, expected {bad.Code}: {Short(said)}");
        foreach (var fragment in bad.Says) Assert.True(said.Contains(fragment, StringComparison.Ordinal), $"{name}: expected \"{fragment}\" in {Short(said)}");
        Assert.Equal(before + bad.Stored, await CountAsync());
        if (code == TeamBotCli.SomeRowsRejected)
        {
            var report = await File.ReadAllLinesAsync(path + ".errors.csv");
            if (bad.Stored == 1)
            {
                Assert.Equal(1, await CountAsync($"SELECT count(*) FROM leads WHERE email = '{goodEmail}'"));
                Assert.StartsWith("3,", report[1], StringComparison.Ordinal);
            }
            // Opened in a spreadsheet, no cell of the report is a formula.
            Assert.All(report, line => Assert.DoesNotMatch(",\"[=+\\-@]", line));
        }
    }

    private async Task<long> CountAsync(string sql = "SELECT count(*) FROM leads")
    {
        var database = Path.Combine(folder.Root, "data", "teambot.db");
        if (!File.Exists(database)) return 0;
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Short(string text) => text.Length > 600 ? text[..600] + "…" : text;
}
