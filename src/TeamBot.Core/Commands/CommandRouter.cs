using System.Globalization;
using System.Text;
using TeamBot.Core.Chat;
using TeamBot.Core.Goals;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Commands;

/// <summary>Who ran a command, where.</summary>
public sealed record CommandContext(Workspace Workspace, Person Person, PlaceRef Place, ChatCommand Command);

/// <summary>Checks roles and hands each command to its feature.</summary>
public sealed class CommandRouter(
    LeadCommands leads,
    ReasonCommands reasons,
    AvailabilityCommands availability,
    GoalCommands goals,
    Standups.StandupCommands standups,
    Digests.DigestCommands digests,
    SetupCommands setup,
    Privacy.PrivacyCommands privacy)
{
    public async Task<ChatReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var spec = CommandCatalog.All.FirstOrDefault(s => s.Name == command.Name && s.Subcommand == command.Subcommand);
        if (spec is null) return ChatReply.Private($"There is no {command.FullName} command. Try /help.");
        if (spec.AllowedRoles != TeamRoles.None && (context.Person.Roles & spec.AllowedRoles) == 0)
        {
            var allowed = string.Join(" or ", TeamRolesText.Names(spec.AllowedRoles));
            var mine = TeamRolesText.Names(context.Person.Roles);
            return ChatReply.Private($"Only {allowed} people can use {spec.FullName}; you are set up as {(mine.Count == 0 ? "no role yet" : string.Join(" and ", mine))}. Nothing was changed.");
        }

        return command.Name switch
        {
            "help" => Help(context.Person),
            "leads" => await leads.HandleAsync(context, cancellationToken),
            "reasons" => await reasons.HandleAsync(context, cancellationToken),
            "away" or "back" or "availability" or "holidays" => await availability.HandleAsync(context, cancellationToken),
            "goal" => await goals.HandleAsync(context, cancellationToken),
            "standup" => await standups.HandleAsync(context, cancellationToken),
            "digest" => await digests.HandleAsync(context, cancellationToken),
            "setup" => await setup.HandleAsync(context, cancellationToken),
            "privacy" => await privacy.HandleAsync(context, cancellationToken),
            _ => ChatReply.Private($"There is no {command.FullName} command. Try /help."),
        };
    }

    private static ChatReply Help(Person person)
    {
        var text = new StringBuilder("TeamBot hands leads from marketing to sales and brings the verdicts back.\n");
        text.Append("On a handoff card: claim it, rate it with the buttons or with reactions (🙋 claim, 🔥 great, 👍 good, 🤷 meh, 👎 poor, 🚫 reject), reply in its thread to comment.\n\n");
        foreach (var spec in CommandCatalog.All)
        {
            var mark = spec.AllowedRoles == TeamRoles.None || (person.Roles & spec.AllowedRoles) != 0 ? "" : " (not for your role)";
            text.Append(CultureInfo.InvariantCulture, $"{spec.Usage}\n    {spec.Description}{mark}\n");
        }
        return ChatReply.Private(text.ToString().TrimEnd());
    }
}
