using System.Text.RegularExpressions;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Commands;
using Cut = TeamBot.Core.Chat.MessageLimits;

namespace TeamBot.Chat.Discord;

/// <summary>
/// TeamBot's commands as Discord slash commands, for one bulk overwrite per guild. Built from
/// <see cref="CommandCatalog.All"/>: one top-level command per name; a name with subcommands registers them as
/// options of type 1. Options are strings, required ones first, with the catalog's choices. Names are lowercased
/// (Discord's rule for chat-input commands; <see cref="DiscordInbound.TryReadCommand"/> maps them back) and
/// descriptions cut to 100 characters; <see cref="Validate"/> checks the rest of Discord's rules.
/// </summary>
public static partial class DiscordCommands
{
    public const int MaxCommands = 100;
    public const int MaxName = 32;
    public const int MaxDescription = 100;
    public const int MaxOptions = 25;
    public const int MaxChoices = 25;
    public const int MaxChoiceText = 100;

    /// <summary>Discord counts the names, descriptions and choices of one command together against this limit.</summary>
    public const int MaxCommandText = 4000;

    /// <summary>The registration for <paramref name="specs"/> (the catalog by default); throws if Discord would refuse it.</summary>
    public static IReadOnlyList<ApplicationCommand> Registration(IReadOnlyList<CommandSpec>? specs = null)
    {
        specs ??= CommandCatalog.All;
        var commands = specs.GroupBy(s => s.Name.ToLowerInvariant()).Select(Command).ToList();
        var problems = Validate(commands);
        if (problems.Count > 0) throw new InvalidOperationException("The slash commands break Discord's rules: " + string.Join(" ", problems));
        return commands;
    }

    /// <summary>Every way <paramref name="commands"/> break Discord's rules for guild chat-input commands; empty when none.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<ApplicationCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var problems = new List<string>();
        if (commands.Count > MaxCommands) problems.Add($"A guild takes at most {MaxCommands} slash commands (got {commands.Count}).");
        Unique(commands.Select(c => c.Name), "/", problems);
        foreach (var command in commands)
        {
            var where = "/" + command.Name;
            Named(command.Name, command.Description, where, problems);
            Options(command.Options ?? [], where, problems);
            var text = command.Name.Length + command.Description.Length + TextLength(command.Options ?? []);
            if (text > MaxCommandText) problems.Add($"{where} has {text} characters of names, descriptions and choices; Discord allows {MaxCommandText}.");
        }
        return problems;
    }

    private static ApplicationCommand Command(IGrouping<string, CommandSpec> specs)
    {
        var list = specs.ToList();
        if (list is [{ Subcommand: null } single])
        {
            return new ApplicationCommand(specs.Key, Describe(single.Description), StringOptions(single));
        }

        var subcommands = list.Select(s => new ApplicationCommandOption(ApplicationCommandOptionType.SubCommand, (s.Subcommand ?? "").ToLowerInvariant(), Describe(s.Description))
        {
            Options = StringOptions(s),
        }).ToList();
        var description = Describe($"{char.ToUpperInvariant(specs.Key[0])}{specs.Key[1..]}: {string.Join(", ", list.Select(s => s.Subcommand))}");
        return new ApplicationCommand(specs.Key, description, subcommands);
    }

    private static List<ApplicationCommandOption>? StringOptions(CommandSpec spec)
    {
        var options = spec.Options.OrderBy(o => o.Required ? 0 : 1).Select(o => new ApplicationCommandOption(ApplicationCommandOptionType.String, o.Name.ToLowerInvariant(), Describe(o.Description))
        {
            Required = o.Required ? true : null,
            Choices = o.Choices is { Count: > 0 } choices ? [.. choices.Select(c => new ApplicationCommandChoice(c, c))] : null,
            // Discord offers choices or autocompletion, never both.
            Autocomplete = o.Suggest != SuggestKind.None && o.Choices is not { Count: > 0 } ? true : null,
        }).ToList();
        return options.Count == 0 ? null : options;
    }

    private static string Describe(string description) => Cut.Cut(string.IsNullOrWhiteSpace(description) ? "…" : description.Trim(), MaxDescription)!;

    private static void Options(IReadOnlyList<ApplicationCommandOption> options, string where, List<string> problems)
    {
        if (options.Count > MaxOptions) problems.Add($"{where} has {options.Count} options; Discord allows {MaxOptions}.");
        Unique(options.Select(o => o.Name), where + " ", problems);
        var subcommands = options.Count(o => o.Type is ApplicationCommandOptionType.SubCommand or ApplicationCommandOptionType.SubCommandGroup);
        if (subcommands > 0 && subcommands < options.Count) problems.Add($"{where} mixes subcommands with other options.");

        var seenOptional = false;
        foreach (var option in options)
        {
            var at = $"{where} {option.Name}";
            Named(option.Name, option.Description, at, problems);
            if (option.Type is ApplicationCommandOptionType.SubCommand)
            {
                Options(option.Options ?? [], at, problems);
                continue;
            }
            if (option.Required != true) seenOptional = true;
            else if (seenOptional) problems.Add($"{at} is required but comes after an optional option.");
            if (option.Choices is { } choices)
            {
                if (choices.Count > MaxChoices) problems.Add($"{at} has {choices.Count} choices; Discord allows {MaxChoices}.");
                foreach (var choice in choices)
                {
                    if (choice.Name.Length is 0 or > MaxChoiceText || choice.Value.Length > MaxChoiceText)
                    {
                        problems.Add($"{at}: the choice '{choice.Name}' must have a name of 1–{MaxChoiceText} characters and a value of at most {MaxChoiceText}.");
                    }
                }
            }
        }
    }

    private static void Named(string name, string description, string where, List<string> problems)
    {
        if (!NamePattern().IsMatch(name) || name.Any(char.IsUpper))
        {
            problems.Add($"{where}: the name '{name}' must be 1–{MaxName} lowercase letters, digits, '-' or '_'.");
        }
        if (description.Length is 0 or > MaxDescription) problems.Add($"{where}: the description must be 1–{MaxDescription} characters (got {description.Length}).");
    }

    private static void Unique(IEnumerable<string> names, string where, List<string> problems)
    {
        foreach (var twice in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{where.TrimEnd()}: the name '{twice.Key}' is used twice.");
        }
    }

    private static int TextLength(IReadOnlyList<ApplicationCommandOption> options) =>
        options.Sum(o => o.Name.Length + o.Description.Length + (o.Choices?.Sum(c => c.Name.Length + c.Value.Length) ?? 0) + TextLength(o.Options ?? []));

    [GeneratedRegex(@"^[-_'\p{L}\p{N}]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
