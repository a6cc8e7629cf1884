using Microsoft.Data.Sqlite;
using Spectre.Console;
using TeamBot.Host.Cli;

namespace TeamBot.Host.Tests;

/// <summary>Runs the teambot command line as a user would, with its console output written to <c>output</c>, plain and wide.</summary>
internal static class CliConsole
{
    public static async Task<int> RunAsync(TextWriter output, params string[] args)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 400;
        var code = await TeamBotCli.RunAsync(args, console);
        SqliteConnection.ClearAllPools();
        return code;
    }
}
