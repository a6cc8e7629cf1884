using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using TeamBot.Host.Cli;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Tests;

/// <summary>Bad configuration stops the bot at start with messages that name each key and say what is wrong.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task Start_WithBadOptions_ListsEveryProblemByKey()
    {
        var settings = TestHost.DefaultSettings();
        settings["Local:TimeZone"] = "Mars/Olympus";
        settings["Local:People:1:Roles:0"] = "salez";
        settings["Local:People:2:WorkHours"] = "9 to 5";
        settings["Routing:SlaMinutes"] = "-5";
        settings["Routing:Mode"] = "Rules";
        settings["Intake:MaxLeadsPerRequest"] = "0";
        settings["Feedback:Reactions:🔥"] = "amazing";
        settings["Workspaces:local:SigningSecret"] = "short";
        settings["Dispatch:Lease"] = "00:00:01";
        settings["TEAMBOT_LOCAL_API_KEY"] = "change-me";

        var problems = await StartupProblemsAsync(settings);

        Assert.Contains("Local:TimeZone 'Mars/Olympus' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).", problems);
        Assert.Contains("Local:People:1:Roles: 'salez' is not a role; use sales, marketing or admin.", problems);
        Assert.Contains("Local:People:2:WorkHours '9 to 5' must look like 09:00-18:00.", problems);
        Assert.Contains("Routing:SlaMinutes must be between 0 (off) and 10080 (a week); got -5.", problems);
        Assert.Contains("Routing:Mode is Rules, but Routing:Rules is empty.", problems);
        Assert.Contains("Intake:MaxLeadsPerRequest must be between 1 and 10000 (got 0).", problems);
        Assert.Contains(problems, p => p.StartsWith("Feedback:Reactions: The reaction '🔥' maps to 'amazing'", StringComparison.Ordinal));
        Assert.Contains("Workspaces:local:SigningSecret must be at least 16 characters.", problems);
        Assert.Contains("Dispatch:Lease must be at least 00:00:05, longer than one dispatch pass.", problems);
        Assert.Contains("TEAMBOT_LOCAL_API_KEY must be at least 16 characters: webhook keys should not be guessable.", problems);
    }

    [Fact]
    public async Task Start_WithBadDiscordSettings_NamesEachKey()
    {
        var settings = TestHost.DefaultSettings();
        settings["Discord:Token"] = "Bot abc.def";
        settings["Discord:ApiBaseUrl"] = "https://discord.com/api";
        settings["Discord:ShardCount"] = "0";
        settings["Discord:Guilds:acme:HandoffsChannel"] = "123";
        settings["Discord:Guilds:111:MarketingChannel"] = "#marketing";
        settings["Discord:Guilds:111:ApiKey"] = "short";
        settings["Discord:Guilds:111:Roles:Sales"] = "sales-team";
        settings["Discord:Guilds:111:TimeZone"] = "Europe/Atlantis";
        settings["Discord:Guilds:222:ApiKey"] = "discord-key-0123456789";
        settings["Workspaces:discord-222:ApiKey"] = "workspace-key-0123456789";

        var problems = await StartupProblemsAsync(settings);

        Assert.Contains("Discord:Token must not contain spaces or line breaks.", problems);
        Assert.Contains("Discord:Token must be the bare token, without the \"Bot \" prefix.", problems);
        Assert.Contains("Discord:ApiBaseUrl must end with the API version /v10, e.g. https://discord.com/api/v10 (got 'https://discord.com/api').", problems);
        Assert.Contains("Discord:ShardCount must be at least 1, or empty for Discord's recommended count (got 0).", problems);
        Assert.Contains(problems, p => p.StartsWith("Discord:Guilds:acme: 'acme' is not a Discord server (guild) id", StringComparison.Ordinal));
        Assert.Contains("Discord:Guilds:111:MarketingChannel: '#marketing' is not a Discord channel id.", problems);
        Assert.Contains("Discord:Guilds:111:ApiKey must be at least 16 characters: webhook keys should not be guessable.", problems);
        Assert.Contains("Discord:Guilds:111:Roles:Sales: 'sales-team' is not a list of Discord role ids (separate several with commas).", problems);
        Assert.Contains("Discord:Guilds:111:TimeZone must be an IANA time zone such as Europe/Berlin (got 'Europe/Atlantis').", problems);
        Assert.Contains("Discord:Guilds:222:ApiKey and Workspaces:discord-222:ApiKey are both set; keep one of them.", problems);
    }

    [Fact]
    public async Task Start_WithABadCalendar_NamesEachKey()
    {
        var settings = TestHost.DefaultSettings();
        settings["Calendar:WorkWeek"] = "Weekdays";
        settings["Calendar:Holidays:0"] = "2026-12-25 Christmas Day";
        settings["Calendar:Holidays:1"] = "25.12.2026";
        settings["Workspaces:local:Calendar:WorkHours"] = "18:00-09:00";

        var problems = await StartupProblemsAsync(settings);

        Assert.Contains("Calendar:WorkWeek 'Weekdays' must look like Mon-Fri, Sun-Thu or Mon,Wed,Fri.", problems);
        Assert.Contains("Calendar:Holidays:1 '25.12.2026' must be a date YYYY-MM-DD, optionally followed by a name (2026-12-25 Christmas).", problems);
        Assert.Contains("Workspaces:local:Calendar:WorkHours '18:00-09:00' must look like 09:00-18:00 and end after it starts.", problems);
        Assert.DoesNotContain(problems, p => p.StartsWith("Calendar:Holidays:0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithBadStandupOptions_NamesTheKeys()
    {
        var settings = TestHost.DefaultSettings();
        settings["Standups:GracePeriod"] = "2.00:00:00";
        settings["Standups:DefaultWindow"] = "00:01:00";

        var problems = await StartupProblemsAsync(settings);

        Assert.Contains("Standups:GracePeriod must be between 00:00:00 and 1.00:00:00 (got 2.00:00:00).", problems);
        Assert.Contains("Standups:DefaultWindow must be between 00:05:00 and 1.00:00:00 (got 00:01:00).", problems);
    }

    [Fact]
    public async Task Start_WithBadIntakeBounds_NamesTheKeys()
    {
        var settings = TestHost.DefaultSettings();
        settings["Intake:MaxQueuedLeads"] = "500";
        settings["Intake:WriteTimeoutSeconds"] = "30";
        settings["Intake:RetryAfterSeconds"] = "0";

        var problems = await StartupProblemsAsync(settings);

        Assert.Contains("Intake:MaxQueuedLeads must be between Intake:MaxLeadsPerRequest (1000) and 1000000 (got 500): a request of the largest size must fit.", problems);
        Assert.Contains("Intake:WriteTimeoutSeconds must be at least 1 and less than the database's busy timeout of 30 seconds (got 30).", problems);
        Assert.Contains("Intake:RetryAfterSeconds must be between 1 and 3600 (got 0).", problems);
    }

    [Fact]
    public async Task Start_WithBadSecurityOptions_NamesTheKeys()
    {
        var settings = TestHost.DefaultSettings();
        settings["RateLimits:PerKeyPerSecond"] = "-1";
        settings["Local:AccessToken"] = "short";

        var problems = await StartupProblemsAsync(settings);

        Assert.Contains("RateLimits:PerKeyPerSecond must be between 0 (off) and 1000000 (got -1).", problems);
        Assert.Contains("Local:AccessToken must be at least 16 characters: it is the local chat's only login.", problems);
    }

    [Fact]
    public async Task Start_WithPostgresButNoConnectionString_SaysWhichKeyToSet()
    {
        var settings = TestHost.DefaultSettings();
        settings["Storage:Provider"] = "Postgres";

        var problems = await StartupProblemsAsync(settings);

        Assert.Contains(problems, p => p.StartsWith("Storage:ConnectionString is required when Storage:Provider is Postgres", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithARoutingRuleForSomeoneUnknown_SaysWho()
    {
        var settings = TestHost.DefaultSettings();
        settings["Routing:Mode"] = "Rules";
        settings["Routing:Rules:0:Name"] = "DACH";
        settings["Routing:Rules:0:Country:0"] = "DE";
        settings["Routing:Rules:0:Rep"] = "zoe";
        settings["Routing:Rules:1:Name"] = "Both";
        settings["Routing:Rules:1:Rep"] = "sam";
        settings["Routing:Rules:1:Channel"] = "handoffs";

        var problems = await StartupProblemsAsync(settings);

        Assert.Contains("Routing:Rules:0 names 'zoe', who is not in Local:People.", problems);
        Assert.Contains("Routing:Rules:1 must send the lead to exactly one of Rep, Pool or Channel.", problems);
    }

    [Fact]
    public async Task Cli_WithBadOptions_PrintsTheProblems_AndExitsWithTheConfigurationCode()
    {
        var directory = Directory.CreateTempSubdirectory("teambot-config-").FullName;
        File.WriteAllText(Path.Combine(directory, "bad.json"), """{ "Local": { "TimeZone": "Nowhere/Special", "People": [ { "Id": "sam", "Name": "Sam", "Roles": [ "sales" ] } ] } }""");
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(output) });
        console.Profile.Width = 300;

        var code = await TeamBotCli.RunAsync(["import", Path.Combine(directory, "none.csv"), "--contentRoot", directory, "--config", "bad.json"], console);
        Assert.Equal(TeamBotCli.Failed, code); // the file is checked first

        File.WriteAllText(Path.Combine(directory, "leads.csv"), "email\na@acme.com\n");
        code = await TeamBotCli.RunAsync(["import", Path.Combine(directory, "leads.csv"), "--contentRoot", directory, "--config", "bad.json"], console);

        Assert.Equal(TeamBotCli.BadConfiguration, code);
        Assert.Contains("TeamBot cannot start: the configuration has problems:", output.ToString());
        Assert.Contains("Local:TimeZone 'Nowhere/Special' is not a known IANA time zone", output.ToString());
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task TheShippedConfigFile_IsValid_AndDefinesTheLocalTeam()
    {
        var repository = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repository, "TeamBot.sln"))) repository = Path.GetDirectoryName(repository)!;
        var directory = Directory.CreateTempSubdirectory("teambot-shipped-").FullName;
        var app = TeamBotHost.BuildServer(["--urls", "http://127.0.0.1:0", "--contentRoot", directory, "--config", Path.Combine(repository, "config", "teambot.json")],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["TEAMBOT_LOCAL_API_KEY"] = TestHost.ApiKey, ["Logging:LogLevel:Default"] = "Warning" }));
        await using (app)
        {
            await TeamBotHost.InitializeAsync(app.Services, CancellationToken.None);
            var local = app.Services.GetRequiredService<TeamBot.Chat.Local.LocalChatOptions>();
            var roles = local.People.SelectMany(p => p.Roles).ToList();
            Assert.Contains("marketing", roles);
            Assert.True(roles.Count(r => r == "sales") >= 2, "at least two sales reps");
            Assert.Contains("admin", roles);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void WorkspaceRoutingRules_ReplaceTheDefaultRules_AndOtherSettingsLayerOver()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Rules",
            ["Routing:SlaMinutes"] = "20",
            ["Routing:Rules:0:Name"] = "Default rule",
            ["Routing:Rules:0:Rep"] = "sam",
            ["Workspaces:local:Routing:Rules:0:Name"] = "Local rule",
            ["Workspaces:local:Routing:Rules:0:Rep"] = "ana",
            ["Workspaces:other:Routing:SlaMinutes"] = "5",
        }).Build();
        var settings = new ConfiguredWorkspaceSettings(configuration);

        Assert.Equal(["Local rule"], settings.Routing("local").Rules.Select(r => r.Name));
        Assert.Equal(20, settings.Routing("local").SlaMinutes);
        Assert.Equal(["Default rule"], settings.Routing("other").Rules.Select(r => r.Name));
        Assert.Equal(5, settings.Routing("other").SlaMinutes);
    }

    internal static async Task<List<string>> StartupProblemsAsync(Dictionary<string, string?> settings)
    {
        var directory = Directory.CreateTempSubdirectory("teambot-config-").FullName;
        try
        {
            var app = TeamBotHost.BuildServer(["--urls", "http://127.0.0.1:0", "--contentRoot", directory], b => b.Configuration.AddInMemoryCollection(settings));
            await using (app)
            {
                var error = await Assert.ThrowsAsync<StartupException>(() => TeamBotHost.InitializeAsync(app.Services, CancellationToken.None));
                Assert.Equal("The configuration has problems", error.Message);
                Assert.False(File.Exists(Path.Combine(directory, "data", "teambot.db")), "nothing is created before the configuration is right");
                return [.. error.Problems];
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
