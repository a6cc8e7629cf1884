using Microsoft.Data.Sqlite;
using Spectre.Console;
using TeamBot.Host.Cli;

namespace TeamBot.Host.Tests;

/// <summary>The teambot command line as a user runs it, in a test: plain text, no colours, never interactive, wide.</summary>
public static class CliConsole
{
    /// <summary>The console a command-line verb writes to, into <paramref name="output"/>.</summary>
    public static IAnsiConsole Writing(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 400;
        return console;
    }

    /// <summary>Runs a verb with its output written to <paramref name="output"/>; the exit code.</summary>
    public static async Task<int> RunAsync(TextWriter output, params string[] args)
    {
        var code = await TeamBotCli.RunAsync(args, Writing(output));
        SqliteConnection.ClearAllPools();
        return code;
    }
}
