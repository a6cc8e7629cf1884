using System.Globalization;
using System.Text;
using Humanizer;
using TeamBot.Core.Chat;
using TeamBot.Core.Commands;

namespace TeamBot.Core.Privacy;

/// <summary>
/// /privacy: an admin answers a person's access or erasure request in chat, for the workspace they administer. Replies are
/// private, since they name the person; the full export (a JSON document) comes from <c>teambot export</c>.
/// </summary>
public sealed class PrivacyCommands(PersonalDataService personalData)
{
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("privacy", "export", "What TeamBot holds about a lead's e-mail address in this workspace (admins)",
            [new("email", "The person's e-mail address", Required: true)], TeamRoles.Admin, "/privacy export email:jane@acme.com"),
        new("privacy", "forget", "Erase a lead's personal data in this workspace and redact its posted cards (admins)",
        [
            new("email", "The person's e-mail address", Required: true),
            new("confirm", "yes, to erase (without it, shows what would be erased)", Choices: ["yes"]),
        ], TeamRoles.Admin, "/privacy forget email:jane@acme.com confirm:yes"),
    ];

    public Task<ChatReply> HandleAsync(CommandContext context, CancellationToken cancellationToken) => context.Command.Subcommand switch
    {
        "forget" => ForgetAsync(context, cancellationToken),
        _ => ExportAsync(context, cancellationToken),
    };

    private async Task<ChatReply> ExportAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var email = context.Command.Option("email");
        if (PersonalDataService.Problem(email) is { } problem) return ChatReply.Private("email: " + problem);
        var export = await personalData.ExportAsync(email!, context.Workspace.Id, cancellationToken);
        if (export.Leads.Count == 0) return NoLeads(context);

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"TeamBot holds {"lead".ToQuantity(export.Leads.Count)} with that address in workspace {context.Workspace.Id}:\n");
        foreach (var lead in export.Leads)
        {
            var history = new[] { ("rating", lead.Ratings.Count), ("reason", lead.Reasons.Count), ("comment", lead.Comments.Count), ("outcome", lead.Outcomes.Count) }
                .Where(h => h.Item2 > 0).Select(h => h.Item1.ToQuantity(h.Item2)).ToList();
            text.Append(CultureInfo.InvariantCulture,
                $"• Lead #{lead.Id}, received {lead.ReceivedAt:yyyy-MM-dd}{(lead.Data.Source is { } source ? " from " + source : "")}, {lead.Stage.ToString().ToLowerInvariant()}")
                .Append(history.Count == 0 ? "" : ": " + string.Join(", ", history)).Append('\n');
        }
        text.Append(CultureInfo.InvariantCulture,
            $"For the full document (every field and its history, as JSON), run on the server: teambot export --person <address> --workspace {context.Workspace.Id}");
        return ChatReply.Private(text.ToString());
    }

    private async Task<ChatReply> ForgetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var email = context.Command.Option("email");
        if (PersonalDataService.Problem(email) is { } problem) return ChatReply.Private("email: " + problem);
        var confirmed = string.Equals(context.Command.Option("confirm")?.Trim(), "yes", StringComparison.OrdinalIgnoreCase);
        if (!confirmed)
        {
            var found = await personalData.FindAsync(email!, context.Workspace.Id, cancellationToken);
            if (found.Count == 0) return NoLeads(context);
            return ChatReply.Private(
                $"{"lead".ToQuantity(found.Count)} in workspace {context.Workspace.Id} {(found.Count == 1 ? "has" : "have")} that address: " +
                string.Join(", ", found.Select(id => "#" + id.ToString(CultureInfo.InvariantCulture))) +
                ". Erasing removes the person's name, contact details, company, free text and comments for good, and redacts the posted cards; " +
                "ratings and outcomes stay as anonymous numbers. Add confirm:yes to erase. Nothing was changed.");
        }

        var result = await personalData.ForgetAsync(email!, context.Workspace.Id, cancellationToken);
        if (result.Leads == 0) return NoLeads(context);
        return ChatReply.Private(
            $"Erased the personal data of {"lead".ToQuantity(result.Leads)} in workspace {context.Workspace.Id}" +
            (result.Posts == 0 ? "." : $"; {"message".ToQuantity(result.Posts)} TeamBot posted about {(result.Leads == 1 ? "it" : "them")} (cards, thread notes) will show as redacted shortly.") +
            " Reports keep counting them, without the person.");
    }

    private static ChatReply NoLeads(CommandContext context) =>
        ChatReply.Private($"TeamBot holds no lead with that e-mail address in workspace {context.Workspace.Id}. Nothing was changed.");
}
