using System.Text.RegularExpressions;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;

namespace TeamBot.Core.Commands;

/// <summary>/reasons: the admin-managed list of reasons for poor and rejected leads.</summary>
public sealed partial class ReasonCommands(IFeedbackStore feedback)
{
    public async Task<ChatReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var workspaceId = context.Workspace.Id;
        var command = context.Command;
        switch (command.Subcommand)
        {
            case "add":
                {
                    var code = command.Option("code")!.Trim().ToLowerInvariant();
                    var label = command.Option("label")!.Trim();
                    if (!CodePattern().IsMatch(code))
                    {
                        return ChatReply.Private($"'{code}' is not a usable code: use 1 to 40 lowercase letters, digits and dashes, e.g. no-budget.");
                    }
                    if (label.Length == 0 || LeadDraft.CheckText(label, 80, multiline: false) is not null)
                    {
                        return ChatReply.Private("The label must be 1 to 80 characters of plain text on one line.");
                    }
                    var added = await feedback.SaveReasonOptionAsync(workspaceId, code, label, cancellationToken);
                    return ChatReply.Public(added
                        ? $"{context.Person.DisplayName} added the reason {code} ({label})."
                        : $"{context.Person.DisplayName} renamed the reason {code} to \"{label}\".");
                }
            case "remove":
                {
                    var code = command.Option("code")!.Trim().ToLowerInvariant();
                    if (code == FeedbackSettings.OtherCode) return ChatReply.Private("The 'other' reason stays: it is how reps say something the list does not cover.");
                    return await feedback.RemoveReasonOptionAsync(workspaceId, code, cancellationToken)
                        ? ChatReply.Public($"{context.Person.DisplayName} removed the reason {code}. Leads that already have it keep it.")
                        : ChatReply.Private($"There is no reason with the code '{code}'. /reasons list shows them.");
                }
            default:
                {
                    var options = await feedback.ListReasonOptionsAsync(workspaceId, cancellationToken);
                    return ChatReply.Private("Reasons reps can give for poor or rejected leads:\n" +
                                             string.Join("\n", options.Select(o => $"• {o.Code}: {o.Label}")));
                }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex CodePattern();
}
