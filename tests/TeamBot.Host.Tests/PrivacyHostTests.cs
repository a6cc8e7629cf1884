using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamBot.Host.Api;
using TeamBot.Host.Cli;
using TeamBot.Host.Scheduling;
using TeamBot.Testing;
using TeamBot.Testing.Discord;

namespace TeamBot.Host.Tests;

/// <summary>
/// Personal data through the real host: `teambot export` and `teambot forget` beside the running bot, /privacy in the local
/// chat, the retention job, and a scan of every log line of a realistic run for the secrets and addresses it was given.
/// </summary>
public sealed class PrivacyHostTests
{
    private const string Email = "jane.doe@privacy-test.example";

    private static string Lead(string email, string company = "Acme GmbH") =>
        $$"""{"leads":[{"email":"{{email}}","firstName":"Jane","lastName":"Doe","company":"{{company}}","phone":"+49 30 1234567","source":"webinar"}]}""";

    private static async Task<Dictionary<long, JsonElement>> CardsAsync(TestHost host, int count) =>
        await Eventually.FoundAsync(() => host.HandoffCardsAsync().Result is { } cards && cards.Count >= count ? cards : null, $"{count} handoff cards are posted");

    [Fact]
    public async Task Cli_ExportThenForget_BesideTheRunningBot_WritesTheDocument_ErasesEverywhere_AndTheBotRedactsTheCards()
    {
        await using var host = await TestHost.StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync(Lead(Email))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync(Lead("bob@acme.example", "Bob Ltd"))).StatusCode);
        var cards = await CardsAsync(host, 2);
        var jane = cards.Single(c => TestHost.Field(c.Value, "Email") == Email).Key;

        var output = Path.Combine(host.Directory, "jane.json");
        var (code, text) = await RunAsync(host, "export", "--person", "JANE.DOE@privacy-test.example", "--output", output);
        Assert.Equal(TeamBotCli.Ok, code);
        Assert.Contains("Exported 1 lead(s)", text, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(await File.ReadAllTextAsync(output)))
        {
            var lead = Assert.Single(document.RootElement.GetProperty("leads").EnumerateArray().ToList());
            Assert.Equal(jane, lead.GetProperty("id").GetInt64());
            Assert.Equal("+49 30 1234567", lead.GetProperty("data").GetProperty("phone").GetString());
            Assert.Equal("local", lead.GetProperty("handoff").GetProperty("platform").GetString());
        }

        // Without --output the document goes to standard output, whole and unwrapped.
        (code, text) = await RunAsync(host, "export", "--person", Email, "--workspace", "local");
        Assert.Equal(TeamBotCli.Ok, code);
        using (var document = JsonDocument.Parse(text))
        {
            Assert.Equal(Email, document.RootElement.GetProperty("email").GetString());
            Assert.Equal("local", document.RootElement.GetProperty("workspace").GetString());
        }

        // Not interactive and no --yes: it says what it found and erases nothing.
        (code, text) = await RunAsync(host, "forget", "--person", Email);
        Assert.Equal(TeamBotCli.Failed, code);
        Assert.Contains($"Found 1 lead(s) (#{jane})", text, StringComparison.Ordinal);
        Assert.Contains("Nothing was erased", text, StringComparison.Ordinal);

        (code, text) = await RunAsync(host, "forget", "--person", Email, "--workspace", "local", "--yes");
        Assert.Equal(TeamBotCli.Ok, code);
        Assert.Contains("Erased the personal data of 1 lead(s) in local", text, StringComparison.Ordinal);
        Assert.Contains("1 posted message(s) (cards, TeamBot's notes in their threads) will be redacted", text, StringComparison.Ordinal);

        var redacted = await Eventually.FoundAsync(
            () => host.HandoffCardsAsync().Result.GetValueOrDefault(jane) is { ValueKind: JsonValueKind.Object } card
                  && card.GetProperty("card").GetProperty("title").GetString()!.Contains("personal data erased", StringComparison.Ordinal)
                ? card.ToString() : null,
            "the running bot edits the card to its redacted form");
        Assert.DoesNotContain(Email, redacted, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("1234567", redacted, StringComparison.Ordinal);
        Assert.Equal("bob@acme.example", TestHost.Field((await host.HandoffCardsAsync()).Values.Single(c => TestHost.Field(c, "Email") is not null), "Email"));

        // Asked again, the address is unknown: nothing to export or erase, and the exit code says so.
        (code, text) = await RunAsync(host, "export", "--person", Email);
        Assert.Equal(PersonalDataCli.NotFound, code);
        Assert.Contains("No lead in any workspace has that e-mail address", text, StringComparison.Ordinal);
        (code, _) = await RunAsync(host, "forget", "--person", Email, "--yes");
        Assert.Equal(PersonalDataCli.NotFound, code);
        (code, text) = await RunAsync(host, "forget", "--person", "not-an-address", "--yes");
        Assert.Equal(TeamBotCli.Failed, code);
        Assert.Contains("--person: That is not an e-mail address", text, StringComparison.Ordinal);
        (code, text) = await RunAsync(host, "export", "--person", "bob@acme.example", "--workspace", "acme");
        Assert.Equal(TeamBotCli.Failed, code);
        Assert.Contains("there is no workspace 'acme'", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCommand_InTheLocalChat_AdminErasesAfterConfirming_OthersAreRefused()
    {
        await using var host = await TestHost.StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync(Lead(Email))).StatusCode);
        var id = (await CardsAsync(host, 1)).Keys.Single();

        Assert.StartsWith("Only admin people can use /privacy forget", ReplyText(await host.SayAsync("general", "maria", $"/privacy forget email:{Email} confirm:yes")), StringComparison.Ordinal);
        Assert.Contains($"Lead #{id}", ReplyText(await host.SayAsync("general", "alex", $"/privacy export email:{Email}")), StringComparison.Ordinal);
        Assert.Contains("Add confirm:yes to erase", ReplyText(await host.SayAsync("general", "alex", $"/privacy forget email:{Email}")), StringComparison.Ordinal);
        var done = await host.SayAsync("general", "alex", $"/privacy forget email:{Email} confirm:yes");
        Assert.Equal("private", done.GetProperty("reply").GetProperty("visibility").GetString(), ignoreCase: true);
        Assert.StartsWith("Erased the personal data of 1 lead in workspace local", ReplyText(done), StringComparison.Ordinal);

        await Eventually.TrueAsync(async () => (await host.HandoffCardsAsync())[id].GetProperty("card").GetProperty("title").GetString()!.Contains("erased", StringComparison.Ordinal),
            "the card is redacted");
        var report = await host.GetReportAsync("period=7d&by=source");
        Assert.Contains("webinar", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetentionJob_ErasesLeadsOlderThanTheSetting_AndRedactsTheirCards()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(s => s["Privacy:RetentionDays"] = "30", clock);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync(Lead(Email))).StatusCode);
        var old = (await CardsAsync(host, 1)).Keys.Single();
        clock.Advance(TimeSpan.FromDays(25));
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync(Lead("recent@acme.example"))).StatusCode);
        var recent = (await CardsAsync(host, 2)).Keys.Single(k => k != old);
        clock.Advance(TimeSpan.FromDays(6));

        var scheduler = await host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        Assert.NotNull(await scheduler.GetTrigger(new Quartz.TriggerKey(RetentionJob.Key.Name, RetentionJob.Key.Group)));
        await scheduler.TriggerJob(RetentionJob.Key);

        await Eventually.TrueAsync(async () => (await host.HandoffCardsAsync())[old].GetProperty("card").GetProperty("title").GetString()!.Contains("erased", StringComparison.Ordinal),
            "the old lead's card is redacted");
        Assert.Equal("recent@acme.example", TestHost.Field((await host.HandoffCardsAsync())[recent], "Email"));
    }

    [Fact]
    public async Task Startup_WithABadRetentionSetting_ListsTheProblemsAndDoesNotStart()
    {
        var settings = TestHost.DefaultSettings();
        settings["Privacy:RetentionDays"] = "-1";
        settings["Privacy:PurgeEvery"] = "00:00:10";

        var problems = await ConfigurationTests.StartupProblemsAsync(settings);

        Assert.Contains("Privacy:RetentionDays must be between 0 (keep leads forever) and 36500.", problems);
        Assert.Contains("Privacy:PurgeEvery must be at least 00:01:00.", problems);
    }

    [Fact]
    public async Task Logs_AtTraceLevel_NeverHoldTheSecretsKeysTokensOrLeadAddressesTheyWereGiven()
    {
        const string signingSecret = "whsec-log-scan-5f1c2b7e9d";
        const string discordKey = "discord-key-log-scan-8a7b6c5d";
        const string appPassword = "bf-app-password-log-scan-3c4d";
        const ulong guild = 111_000_000_000_000_077;
        const ulong handoffs = 222_000_000_000_000_077;
        var logs = new CapturingLoggerProvider();
        await using var discord = await FakeDiscord.StartAsync(TimeProvider.System, new FakeGuild(guild, "Acme Revenue"));
        await using (var host = await TestHost.StartAsync(settings =>
        {
            foreach (var category in new[] { "Default", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Quartz", "Microsoft.Hosting.Lifetime", "System" })
            {
                settings[$"Logging:LogLevel:{category}"] = "Trace";
            }
            settings["Workspaces:local:SigningSecret"] = signingSecret;
            discord.Configure(settings);
            settings[$"Discord:Guilds:{guild}:HandoffsChannel"] = handoffs.ToString(CultureInfo.InvariantCulture);
            settings[$"Discord:Guilds:{guild}:ApiKey"] = discordKey;
            settings["BotFramework:AppId"] = "00000000-0000-0000-0000-0000000000aa";
            settings["BotFramework:AppPassword"] = appPassword;
        }, services: s => s.AddSingleton<ILoggerProvider>(logs)))
        {
            await discord.WaitLiveAsync();
            var body = Lead(Email);
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var signed = await host.PostLeadsAsync(body, tweak: r => r.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(signingSecret, now, Encoding.UTF8.GetBytes(body))));
            Assert.Equal(HttpStatusCode.Accepted, signed.StatusCode);
            // Refusals log too: a wrong key, a bad signature, a key of another workspace.
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.PostLeadsAsync(body, key: TestHost.ApiKey + "x")).StatusCode);
            Assert.NotEqual(HttpStatusCode.Accepted, (await host.PostLeadsAsync(body, tweak: r => r.Headers.Add(WebhookSignature.Header, $"t={now},v1={new string('0', 64)}"))).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync(Lead("discord.lead@privacy-test.example"), discordKey, $"discord-{guild}")).StatusCode);
            var id = (await CardsAsync(host, 1)).Keys.Single();
            await Eventually.FoundAsync(() => discord.Rest.Messages.FirstOrDefault(m => m["embeds"] is not null), "the Discord handoff is posted");

            await host.SayAsync("handoffs", "sam", $"/leads claim lead:{id}");
            var thread = (await host.HandoffCardsAsync())[id].GetProperty("id").GetString()!;
            await host.ReplyAsync(thread, "sam", $"Called {Email}, no answer");
            await host.SayAsync("general", "alex", $"/privacy export email:{Email}");
            await host.SayAsync("general", "alex", $"/privacy forget email:{Email} confirm:yes");
            await Eventually.TrueAsync(async () => (await host.HandoffCardsAsync())[id].GetProperty("card").GetProperty("title").GetString()!.Contains("erased", StringComparison.Ordinal),
                "the card is redacted");
        }

        var lines = logs.Lines;
        Assert.True(lines.Count > 500, $"only {lines.Count} log lines were captured");
        // The scan sees the chattiest sources too: every SQL command, every HTTP request, the scheduler.
        Assert.Contains(lines, l => l.Contains("Executed DbCommand", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Debug Quartz", StringComparison.Ordinal) || l.StartsWith("Trace Quartz", StringComparison.Ordinal));
        var seeded = new[] { Email, "discord.lead@privacy-test.example", TestHost.ApiKey, signingSecret, discordKey, appPassword, discord.Rest.Token, "1234567" };
        var leaks = lines.Where(line => seeded.Any(s => line.Contains(s, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, "log lines leak seeded data:\n" + string.Join("\n", leaks.Take(10)));
    }

    private static string ReplyText(JsonElement answer) => answer.GetProperty("reply").GetProperty("message").GetProperty("text").GetString()!;

    /// <summary>Runs a verb as a user would, against the running bot's folder and settings.</summary>
    private static async Task<(int Code, string Output)> RunAsync(TestHost host, params string[] args)
    {
        using var output = new StringWriter();
        var settings = host.Settings.Where(s => s.Value is not null).SelectMany(s => new[] { "--" + s.Key, s.Value! });
        var code = await CliConsole.RunAsync(output, [.. args, "--contentRoot", host.Directory, .. settings]);
        return (code, output.ToString());
    }

    /// <summary>Every log line of every category and level, with its exception, as a sink would write it.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly Lock _lock = new();
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lock) return [.. _lines];
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                owner.Add($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                owner.Add($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
            }
        }

        private void Add(string line)
        {
            lock (_lock) _lines.Add(line);
        }
    }
}
