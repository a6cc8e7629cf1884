using TeamBot.Core.Chat;
using TeamBot.Core.Commands;

namespace TeamBot.Core.Digests;

/// <summary>/digest now (post it to the digest channel) and /digest preview (show it only to the asker).</summary>
public sealed class DigestCommands(WeeklyDigests digests, DigestBuilder builder, TimeProvider clock)
{
    public async Task<ChatReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var command = context.Command;
        if (!DigestWeek.TryParse(command.Option("week"), workspace.TimeZone, clock.GetUtcNow(), out var week, out var error))
        {
            return ChatReply.Private(error + " Nothing was posted.");
        }

        if (command.Subcommand == "now")
        {
            var channel = await digests.PostNowAsync(workspace, week, cancellationToken);
            return ChatReply.Private($"Posting the digest for {week.Label} in #{channel} now.");
        }

        var digest = await builder.BuildAsync(workspace, week, cancellationToken);
        var url = digests.PageUrl(workspace.Id, week);
        var limit = TextParts.LimitFor(workspace.Platform);
        var parts = TextParts.Split(DigestText.Render(digest, url), limit);
        if (parts.Count == 1) return ChatReply.Private(parts[0]);

        // A private answer is one message: the first part, and where the rest is.
        var more = url is null ? "\n\n…the rest is longer than one message: /digest now posts all of it." : $"\n\n…the rest is on the page: {url}";
        var first = TextParts.Split(parts[0], limit - more.Length)[0];
        return ChatReply.Private(first + more);
    }
}
