using System.Text;
using TeamBot.Core.Chat;

namespace TeamBot.Core.Commands;

/// <summary>
/// Parses typed commands in the slash-command option style: <c>/goal add name:"SQLs this quarter" target:120</c>.
/// Values may be quoted with straight or curly quotes. Option names are matched without regard to case.
/// </summary>
public static class CommandParser
{
    public static bool LooksLikeCommand(string text) => text.TrimStart().StartsWith('/');

    public static bool TryParse(string text, out ChatCommand command, out string error)
    {
        command = null!;
        error = "";
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('/'))
        {
            error = "Commands start with a slash, e.g. /help.";
            return false;
        }

        if (!TryTokenize(trimmed[1..], out var tokens, out error)) return false;
        if (tokens.Count == 0 || tokens[0].Value is null && tokens[0].Key.Length == 0)
        {
            error = "Type a command after the slash, e.g. /help.";
            return false;
        }

        var name = tokens[0].Key.ToLowerInvariant();
        if (tokens[0].Value is not null || name.Length == 0)
        {
            error = $"'{Show(tokens[0])}' is not a command name. Try /help.";
            return false;
        }
        var specs = CommandCatalog.Named(name);
        if (specs.Count == 0)
        {
            error = $"There is no /{name} command. Try /help.";
            return false;
        }

        var index = 1;
        string? subcommand = null;
        if (specs.Any(s => s.Subcommand is not null))
        {
            if (tokens.Count < 2 || tokens[1].Value is not null)
            {
                error = $"/{name} needs a subcommand: {string.Join(", ", specs.Select(s => s.Subcommand))}. Example: {specs[0].Usage}";
                return false;
            }
            subcommand = tokens[1].Key.ToLowerInvariant();
            index = 2;
        }

        var spec = specs.FirstOrDefault(s => s.Subcommand == subcommand);
        if (spec is null)
        {
            error = $"/{name} has no '{subcommand}' subcommand. It has: {string.Join(", ", specs.Select(s => s.Subcommand))}.";
            return false;
        }

        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var token in Paired(tokens.Skip(index).ToList(), spec))
        {
            if (token.Value is null)
            {
                error = $"'{token.Key}' is not an option. Options look like name:value; {spec.FullName} takes {Describe(spec)}.";
                return false;
            }
            var option = spec.Option(token.Key);
            if (option is null)
            {
                error = $"{spec.FullName} has no option '{token.Key}'. It takes {Describe(spec)}.";
                return false;
            }
            if (!options.TryAdd(option.Name, token.Value))
            {
                error = $"The option '{option.Name}' is given twice.";
                return false;
            }
            if (option.Choices is { } choices && !choices.Contains(token.Value, StringComparer.OrdinalIgnoreCase))
            {
                error = $"'{token.Value}' is not a choice for {option.Name}: use {string.Join(", ", choices)}.";
                return false;
            }
        }

        var missing = spec.Options.Where(o => o.Required && string.IsNullOrWhiteSpace(options.GetValueOrDefault(o.Name))).ToList();
        if (missing.Count > 0)
        {
            error = $"{spec.FullName} needs {string.Join(" and ", missing.Select(o => o.Name + ":"))}. Example: {spec.Usage}";
            return false;
        }

        command = new ChatCommand(name, subcommand, options, trimmed);
        return true;
    }

    /// <summary>Lets an option be typed as two words, <c>until 2026-12-02</c>, as well as <c>until:2026-12-02</c>.</summary>
    private static IEnumerable<(string Key, string? Value)> Paired(List<(string Key, string? Value)> tokens, CommandSpec spec)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Value is null && spec.Option(token.Key) is not null && i + 1 < tokens.Count && tokens[i + 1].Value is null
                && spec.Option(tokens[i + 1].Key) is null)
            {
                yield return (token.Key, tokens[++i].Key);
            }
            else
            {
                yield return token;
            }
        }
    }

    private static string Describe(CommandSpec spec) =>
        spec.Options.Count == 0 ? "no options" : string.Join(", ", spec.Options.Select(o => o.Name));

    private static string Show((string Key, string? Value) token) => token.Value is null ? token.Key : $"{token.Key}:{token.Value}";

    private static bool TryTokenize(string text, out List<(string Key, string? Value)> tokens, out string error)
    {
        tokens = [];
        error = "";
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) break;

            var key = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != ':') key.Append(text[i++]);
            if (i >= text.Length || text[i] != ':')
            {
                tokens.Add((key.ToString(), null));
                continue;
            }
            i++; // the colon

            var value = new StringBuilder();
            if (i < text.Length && Closing(text[i]) is { } close)
            {
                var open = i++;
                while (i < text.Length && text[i] != close && !(close == '”' && text[i] == '"')) value.Append(text[i++]);
                if (i >= text.Length)
                {
                    error = $"The quote that starts at \"{text[open..Math.Min(text.Length, open + 20)]}\" is never closed.";
                    return false;
                }
                i++;
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i])) value.Append(text[i++]);
            }
            tokens.Add((key.ToString(), value.ToString()));
        }
        return true;
    }

    private static char? Closing(char open) => open switch
    {
        '"' => '"',
        '\'' => '\'',
        '“' => '”',
        '‘' => '’',
        _ => null,
    };
}
