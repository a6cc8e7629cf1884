using System.CommandLine;
using Spectre.Console;
using TeamBot.Core.Privacy;
using TeamBot.Core.Workspaces;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Cli;

/// <summary>
/// <c>teambot export --person &lt;email&gt;</c> and <c>teambot forget --person &lt;email&gt;</c>: answer a person's access or
/// erasure request over every workspace (or one, with <c>--workspace</c>). They run beside the bot on the same database;
/// the running bot edits the posted cards.
/// </summary>
internal static class PersonalDataCli
{
    /// <summary>No lead has the address: nothing to export or erase.</summary>
    public const int NotFound = 4;

    public static void Register(RootCommand root, IAnsiConsole console)
    {
        var person = new Option<string>("--person") { Description = "The person's e-mail address.", Required = true };
        var workspace = new Option<string?>("--workspace") { Description = "Only this workspace (default: every workspace)." };
        var output = new Option<FileInfo?>("--output") { Description = "Write the JSON document to this file (default: the console)." };
        var export = new Command("export", "Export everything TeamBot holds about a lead's e-mail address, as JSON.") { person, workspace, output };
        export.TreatUnmatchedTokensAsErrors = false;
        export.SetAction((result, ct) => ExportAsync(result.GetValue(person)!, result.GetValue(workspace), result.GetValue(output),
            [.. result.UnmatchedTokens], console, ct));
        root.Subcommands.Add(export);

        var yes = new Option<bool>("--yes") { Description = "Erase without asking." };
        var forget = new Command("forget", "Erase a lead's personal data everywhere and redact its posted cards.") { person, workspace, yes };
        forget.TreatUnmatchedTokensAsErrors = false;
        forget.SetAction((result, ct) => ForgetAsync(result.GetValue(person)!, result.GetValue(workspace), result.GetValue(yes),
            [.. result.UnmatchedTokens], console, ct));
        root.Subcommands.Add(forget);
    }

    private static Task<int> ExportAsync(
        string email, string? workspaceId, FileInfo? output, string[] args, IAnsiConsole console, CancellationToken cancellationToken) =>
        WithServiceAsync("export", email, workspaceId, args, console, async (service, ct) =>
        {
            var document = await service.ExportAsync(email, workspaceId, ct);
            if (document.Leads.Count == 0) return NoLeads(console, "export", workspaceId);
            var json = document.ToJson();
            if (output is null)
            {
                console.Profile.Out.Writer.WriteLine(json);
                return TeamBotCli.Ok;
            }
            await File.WriteAllTextAsync(output.FullName, json, ct);
            console.MarkupLineInterpolated($"[green]Exported {document.Leads.Count} lead(s)[/] to {output.FullName}. The file holds personal data: hand it over securely and delete it after.");
            return TeamBotCli.Ok;
        }, cancellationToken);

    private static Task<int> ForgetAsync(
        string email, string? workspaceId, bool yes, string[] args, IAnsiConsole console, CancellationToken cancellationToken) =>
        WithServiceAsync("forget", email, workspaceId, args, console, async (service, ct) =>
        {
            var found = await service.FindAsync(email, workspaceId, ct);
            if (found.Count == 0) return NoLeads(console, "forget", workspaceId);
            var question = $"Erase the personal data of {found.Count} lead(s) ({string.Join(", ", found.Select(id => $"#{id}"))})? This cannot be undone.";
            if (!yes && !(console.Profile.Capabilities.Interactive && await new ConfirmationPrompt(question) { DefaultValue = false }.ShowAsync(console, ct)))
            {
                console.MarkupLineInterpolated($"Found {found.Count} lead(s) ({string.Join(", ", found.Select(id => $"#{id}"))}). [yellow]Nothing was erased:[/] run again with --yes to erase.");
                return TeamBotCli.Failed;
            }
            var result = await service.ForgetAsync(email, workspaceId, ct);
            console.MarkupLineInterpolated($"[green]Erased the personal data of {result.Leads} lead(s)[/] in {string.Join(", ", result.Workspaces)}.");
            if (result.Posts > 0)
            {
                console.MarkupLineInterpolated($"{result.Posts} posted message(s) (cards, TeamBot's notes in their threads) will be redacted by the running bot (they wait in its outbox until it runs).");
            }
            return TeamBotCli.Ok;
        }, cancellationToken);

    private static async Task<int> WithServiceAsync(
        string verb, string email, string? workspaceId, string[] args, IAnsiConsole console,
        Func<PersonalDataService, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        if (PersonalDataService.Problem(email) is { } problem)
        {
            console.MarkupLineInterpolated($"[red]Cannot {verb}:[/] --person: {problem}");
            return TeamBotCli.Failed;
        }

        IHost host;
        try
        {
            host = await TeamBotHost.StartToolAsync(args, cancellationToken);
        }
        catch (StartupException ex)
        {
            console.MarkupLineInterpolated($"[red]TeamBot cannot start: {ex.Message.ToLowerInvariant()}:[/]");
            foreach (var line in ex.Problems) console.MarkupLineInterpolated($"  - {line}");
            return TeamBotCli.BadConfiguration;
        }

        using (host)
        {
            await using var scope = host.Services.CreateAsyncScope();
            if (workspaceId is not null && await scope.ServiceProvider.GetRequiredService<IWorkspaceStore>().FindAsync(workspaceId, cancellationToken) is null)
            {
                console.MarkupLineInterpolated($"[red]Cannot {verb}:[/] there is no workspace '{workspaceId}'. The built-in chat's workspace is 'local'.");
                return TeamBotCli.Failed;
            }
            return await run(scope.ServiceProvider.GetRequiredService<PersonalDataService>(), cancellationToken);
        }
    }

    private static int NoLeads(IAnsiConsole console, string verb, string? workspaceId)
    {
        var where = workspaceId is null ? "any workspace" : $"workspace '{workspaceId}'";
        console.MarkupLineInterpolated($"[yellow]No lead in {where} has that e-mail address[/] (erased leads no longer do). Nothing to {verb}.");
        return NotFound;
    }
}
