using System.CommandLine;
using System.Globalization;
using System.Text;
using Spectre.Console;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Cli;

/// <summary>
/// The teambot executable: with no verb it runs the bot; <c>teambot import &lt;file.csv&gt; --workspace local [--mapping &lt;file&gt;]</c>
/// imports leads. Other arguments (such as <c>--urls</c>) go to the host's configuration.
/// </summary>
public static class TeamBotCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int SomeRowsRejected = 2;
    public const int BadConfiguration = 3;

    public static async Task<int> RunAsync(string[] args, IAnsiConsole? console = null)
    {
        console ??= AnsiConsole.Console;
        var root = new RootCommand("TeamBot keeps marketing and sales aligned in team chat. Without a command it runs the bot.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction((result, ct) => RunBotAsync([.. result.UnmatchedTokens], console, ct));

        var file = new Argument<FileInfo>("file") { Description = "The CSV file: a header line, then one lead per line." };
        var workspace = new Option<string>("--workspace") { Description = "The workspace to import into.", DefaultValueFactory = _ => "local" };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "A JSON file that maps CSV columns to lead fields (see README)." };
        var import = new Command("import", "Import leads from a CSV file, reporting every bad row with its line number.") { file, workspace, mapping };
        import.TreatUnmatchedTokensAsErrors = false;
        import.SetAction((result, ct) => ImportAsync(result.GetValue(file)!, result.GetValue(workspace)!, result.GetValue(mapping),
            [.. result.UnmatchedTokens], console, ct));
        root.Subcommands.Add(import);
        root.Subcommands.Add(BackupCommand.Create(console));
        PersonalDataCli.Register(root, console);

        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunBotAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        try
        {
            var app = TeamBotHost.BuildServer(args);
            await TeamBotHost.InitializeAsync(app.Services, cancellationToken);
            await app.RunAsync();
            return Ok;
        }
        catch (StartupException ex)
        {
            return Report(console, ex);
        }
    }

    private static async Task<int> ImportAsync(
        FileInfo file, string workspaceId, FileInfo? mappingFile, string[] args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            console.MarkupLineInterpolated($"[red]Cannot import:[/] '{file.FullName}' does not exist.");
            return Failed;
        }

        var mapping = CsvLeadMapping.Automatic;
        if (mappingFile is not null)
        {
            if (!mappingFile.Exists)
            {
                console.MarkupLineInterpolated($"[red]Cannot import:[/] the mapping file '{mappingFile.FullName}' does not exist.");
                return Failed;
            }
            var errors = new List<string>();
            mapping = CsvLeadMapping.Parse(await File.ReadAllTextAsync(mappingFile.FullName, cancellationToken), errors)!;
            if (errors.Count > 0) return Problems(console, "The mapping file has problems", errors);
        }

        IHost host;
        try
        {
            var builder = TeamBotHost.CreateToolBuilder(args);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            host = builder.Build();
            await TeamBotHost.InitializeAsync(host.Services, cancellationToken);
        }
        catch (StartupException ex)
        {
            return Report(console, ex);
        }

        using (host)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var workspace = await scope.ServiceProvider.GetRequiredService<IWorkspaceStore>().FindAsync(workspaceId, cancellationToken);
            if (workspace is null)
            {
                console.MarkupLineInterpolated($"[red]Cannot import:[/] there is no workspace '{workspaceId}'. The built-in chat's workspace is 'local'.");
                return Failed;
            }
            if (LeadIntake.Refusal(workspace) is { } refusal)
            {
                console.MarkupLineInterpolated($"[red]Cannot import:[/] {refusal} Nothing was imported.");
                return Failed;
            }

            var import = new CsvImport(scope.ServiceProvider.GetRequiredService<LeadIntake>());
            ImportReport report;
            try
            {
                await using var stream = file.OpenRead();
                report = await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask($"Importing {file.Name}", maxValue: 1);
                        return await import.RunAsync(workspaceId, stream, mapping, new Progress<double>(v => task.Value = v), cancellationToken);
                    });
            }
            catch (ImportException ex)
            {
                return Problems(console, "Cannot import", ex.Problems);
            }

            return Summarize(console, file, report);
        }
    }

    private static int Summarize(IAnsiConsole console, FileInfo file, ImportReport report)
    {
        var table = new Table().AddColumns("Rows read", "Imported", "Duplicates (skipped)", "Rejected");
        table.AddRow(N(report.Rows), N(report.Imported), N(report.Duplicates), N(report.Rejected));
        console.Write(table);
        if (report.IgnoredColumns.Count > 0)
        {
            console.MarkupLineInterpolated($"[yellow]Ignored columns[/] (no lead field matches them; map them with --mapping to keep them): {string.Join(", ", report.IgnoredColumns)}");
        }
        if (report.Problems.Count == 0)
        {
            console.MarkupLine("[green]Every row was imported.[/] The handoffs are posted by the running bot.");
            return Ok;
        }

        console.MarkupLineInterpolated($"[red]{report.Rejected} rows were not imported[/]; the other rows were.");
        foreach (var problem in report.Problems.Take(50))
        {
            console.MarkupLineInterpolated($"  line {problem.Line}: {problem.Field} {problem.Problem}");
        }
        var reportPath = file.FullName + ".errors.csv";
        var csv = new StringBuilder("line,field,problem\n");
        foreach (var p in report.Problems)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Line},{Quote(p.Field)},{Quote(p.Problem)}\n");
        }
        File.WriteAllText(reportPath, csv.ToString());
        if (report.Problems.Count > 50) console.MarkupLineInterpolated($"  …and {report.Problems.Count - 50} more.");
        console.MarkupLineInterpolated($"Every problem is listed in {reportPath}.");
        return SomeRowsRejected;
    }

    private static int Report(IAnsiConsole console, StartupException ex) => Problems(console, "TeamBot cannot start: " + ex.Message.ToLowerInvariant(), ex.Problems, BadConfiguration);

    private static int Problems(IAnsiConsole console, string title, IReadOnlyList<string> problems, int code = Failed)
    {
        console.MarkupLineInterpolated($"[red]{title}:[/]");
        foreach (var problem in problems) console.MarkupLineInterpolated($"  - {problem}");
        return code;
    }

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A CSV cell; text a spreadsheet would run as a formula (=, +, -, @ first) is defused with a leading apostrophe.</summary>
    private static string Quote(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
