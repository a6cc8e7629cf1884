using Spectre.Console;

namespace TeamBot.Host.Tests;

/// <summary>The console a command-line verb writes to in a test: plain text, no colours, never interactive, wide.</summary>
public static class CliConsole
{
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
}
