using System.Text.RegularExpressions;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Commands;

/// <summary>
/// /setup: binds the workspace's channels, maps platform roles to TeamBot roles and manages the webhook key, the same way
/// on every platform. Everything but <c>show</c> is for admins (the catalog says so); <c>show</c> is for everyone,
/// because it holds no secret (never the key, only whether one exists) and lets anyone see what an admin still has to do.
/// </summary>
/// <remarks>
/// A command answers with one reply, so the reply that carries a webhook key is private, even when it also says
/// where handoffs now go. Channel values are platform ids, or Discord channel mentions (<c>&lt;#123&gt;</c>); role
/// values are platform role ids or Discord role mentions (<c>&lt;@&amp;123&gt;</c>). Threads TeamBot opened itself (a lead's or
/// a posted note's) are refused; so is any place that is not one of the workspace's channels where the platform can list
/// them (the local chat's configured channels, a Discord server's text and announcement channels: not a direct
/// conversation, a thread, a voice channel). On Teams Core cannot tell a direct conversation from a channel.
/// </remarks>
public sealed partial class SetupCommands(
    IWorkspaceStore workspaces,
    IRoleMappingStore roleMappings,
    IUnitOfWork unitOfWork,
    ILeadStore leads,
    IPostedMessageStore postedMessages,
    ChatPlatforms platforms)
{
    private const int MaxIdLength = 100;
    private const int MaxIdsPerRole = 25;

    /// <summary>A refusal names at most this many of the workspace's channels (a Discord server can have hundreds).</summary>
    private const int ListedChannels = 20;

    private static readonly (TeamRoles Role, string Option)[] MappedRoles =
        [(TeamRoles.Sales, "sales"), (TeamRoles.Marketing, "marketing"), (TeamRoles.Admin, "admin")];

    /// <summary>The webhook that takes a workspace's leads.</summary>
    public static string WebhookPath(string workspaceId) => $"/api/v1/workspaces/{Uri.EscapeDataString(workspaceId)}/leads";

    public Task<ChatReply> HandleAsync(CommandContext context, CancellationToken cancellationToken) => context.Command.Subcommand switch
    {
        "handoffs" or "marketing" or "general" => BindAsync(context, context.Command.Subcommand, cancellationToken),
        "roles" => RolesAsync(context, cancellationToken),
        "key" => KeyAsync(context, cancellationToken),
        _ => ShowAsync(context, cancellationToken),
    };

    private async Task<ChatReply> BindAsync(CommandContext context, string which, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        string placeId;
        if (context.Command.Option("channel") is { } text)
        {
            if (!TryChannel(text, out placeId, out var error)) return ChatReply.Private("channel: " + error);
        }
        else
        {
            placeId = context.Place.Id;
        }
        var here = placeId == context.Place.Id;
        var where = here ? "this channel" : $"channel {placeId}";
        if (await IsTeamBotThreadAsync(new PlaceRef(workspace.Platform, workspace.Id, placeId), cancellationToken))
        {
            return ChatReply.Private(here
                ? $"This is a thread TeamBot opened, not a channel. Run /setup {which} in the channel itself, or give channel:. Nothing was changed."
                : $"channel: '{placeId}' is a thread TeamBot opened, not a channel. Nothing was changed.");
        }
        var channels = platforms.IsEnabled(workspace.Platform) ? await platforms.Get(workspace.Platform).ListChannelsAsync(workspace.Id, cancellationToken) : null;
        if (channels?.FirstOrDefault(c => string.Equals(c.Id, placeId, StringComparison.Ordinal)) is { } known)
        {
            // Named as the platform names it (on Discord "#name" rather than a number).
            if (!here) where = $"channel {known.Label}";
        }
        else if (channels is not null)
        {
            if (channels.Count == 0)
            {
                return ChatReply.Private($"The workspace has no channel TeamBot can post {which} in (a text or announcement channel). Make one, then run /setup {which} there. Nothing was changed.");
            }
            var list = string.Join(", ", channels.Take(ListedChannels).Select(c => c.Label))
                       + (channels.Count > ListedChannels ? $" and {channels.Count - ListedChannels} more" : "");
            return ChatReply.Private(here
                ? $"This is not one of the workspace's channels ({list}): run /setup {which} in one of them, or give channel:. Nothing was changed."
                : $"channel: '{placeId}' is not one of the workspace's channels ({list}). Nothing was changed.");
        }

        // Bound either way: an admin may fix the permissions after, and the first failed post names them again.
        var lacking = await LackingAsync(workspace, placeId, which, where, cancellationToken);
        var places = workspace.Places;
        if (Current(places, which) == placeId)
        {
            return ChatReply.Private($"{Capitalized(which)} already go to {where} (workspace {workspace.Id}); nothing was changed." + lacking);
        }
        var updated = workspace with
        {
            Places = which switch
            {
                "handoffs" => places with { Handoffs = placeId },
                "marketing" => places with { Marketing = placeId },
                _ => places with { General = placeId },
            },
        };
        var announce = $"{Capitalized(which)} will be posted in {where} (workspace {workspace.Id})." + lacking;

        // The first handoffs channel of a workspace without a key makes its key, so that leads can come in at once.
        var newKey = which == "handoffs" && places.Handoffs.Length == 0
                     && await workspaces.GetApiKeyHashAsync(workspace.Id, cancellationToken) is null
            ? ApiKeys.Generate()
            : null;
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await workspaces.UpsertAsync(updated, ct);
            if (newKey is not null) await workspaces.SetApiKeyHashAsync(workspace.Id, ApiKeys.Hash(newKey), ct);
            return true;
        }, cancellationToken);

        if (newKey is null) return ChatReply.Public(announce);
        return ChatReply.Private(announce + "\n\nThis workspace had no webhook key, so TeamBot made one. This reply is only for you, " +
                                 "because it carries the key, and the key is shown only this once:\n" + KeyInstructions(workspace.Id, newKey));
    }

    private async Task<ChatReply> RolesAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<TeamRoles, IReadOnlyList<string>>();
        foreach (var (role, option) in MappedRoles)
        {
            if (context.Command.Option(option) is not { } text) continue;
            if (!TryRoleIds(text, out var ids, out var error)) return ChatReply.Private($"{option}: {error} Nothing was changed.");
            changes[role] = ids;
        }
        if (changes.Count == 0)
        {
            return ChatReply.Private("Say which roles to map: sales:, marketing: or admin:, each with role ids or role mentions, " +
                                     "e.g. /setup roles sales:<@&123>,<@&456> admin:<@&789>. none clears a role.");
        }

        await roleMappings.ReplaceAsync(context.Workspace.Id, changes, cancellationToken);
        var mapping = await roleMappings.GetAsync(context.Workspace.Id, cancellationToken);
        return ChatReply.Public($"{context.Person.DisplayName} set how platform roles map to TeamBot roles in workspace {context.Workspace.Id}:\n" + MappingText(mapping));
    }

    private async Task<ChatReply> KeyAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var id = context.Workspace.Id;
        var key = ApiKeys.Generate();
        await workspaces.SetApiKeyHashAsync(id, ApiKeys.Hash(key), cancellationToken);
        return ChatReply.Private($"A new webhook key for workspace {id}, only for you and shown only this once:\n" + KeyInstructions(id, key) +
                                 "\n\nThe old key stops working (within a minute): update every form or tool that sends leads.");
    }

    private async Task<ChatReply> ShowAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var hasKey = await workspaces.GetApiKeyHashAsync(workspace.Id, cancellationToken) is not null;
        var mapping = await roleMappings.GetAsync(workspace.Id, cancellationToken);
        var places = new List<string>();
        foreach (var which in (string[])["handoffs", "marketing", "general"])
        {
            var place = Current(workspace.Places, which);
            if (place.Length == 0)
            {
                places.Add($"{Capitalized(which)}: not set: run /setup {which} in the channel");
                continue;
            }
            var missing = await MissingAsync(workspace, place, which, cancellationToken);
            places.Add($"{Capitalized(which)}: channel {place}" + (missing is { Count: > 0 } ? $" (TeamBot lacks {string.Join(", ", missing)} there)" : ""));
        }
        return ChatReply.Private(string.Join("\n", [
            $"Workspace {workspace.Id} ({workspace.Platform}).",
            .. places,
            "Roles:",
            MappingText(mapping),
            hasKey ? "Webhook key: set (/setup key makes a new one)." : "Webhook key: none yet (/setup handoffs makes one the first time, or /setup key).",
            $"Webhook: POST {WebhookPath(workspace.Id)}",
        ]));
    }

    /// <summary>A warning to add to the reply when TeamBot lacks permissions in the channel; empty when it lacks none or the platform cannot tell.</summary>
    private async Task<string> LackingAsync(Workspace workspace, string placeId, string which, string where, CancellationToken cancellationToken)
    {
        if (await MissingAsync(workspace, placeId, which, cancellationToken) is not { Count: > 0 } missing) return "";
        return $"\n\n⚠️ In {where} TeamBot lacks {(missing.Count == 1 ? "this permission" : "these permissions")}: {string.Join(", ", missing)}. " +
               $"Until a server admin gives {(missing.Count == 1 ? "it" : "them")} to TeamBot (the channel's settings, Permissions, or TeamBot's role), " +
               $"what needs {(missing.Count == 1 ? "it" : "them")} fails there.";
    }

    private Task<IReadOnlyList<string>?> MissingAsync(Workspace workspace, string placeId, string which, CancellationToken cancellationToken) =>
        platforms.IsEnabled(workspace.Platform)
            ? platforms.Get(workspace.Platform).MissingPermissionsAsync(workspace.Id, placeId, Use(which), cancellationToken)
            : Task.FromResult<IReadOnlyList<string>?>(null);

    private static ChannelUse Use(string which) => which switch
    {
        "handoffs" => ChannelUse.Handoffs,
        "marketing" => ChannelUse.Marketing,
        _ => ChannelUse.General,
    };

    private async Task<bool> IsTeamBotThreadAsync(PlaceRef place, CancellationToken cancellationToken) =>
        await leads.FindByThreadAsync(place, cancellationToken) is not null
        || await postedMessages.FindByThreadAsync(place, cancellationToken) is not null;

    private static string KeyInstructions(string workspaceId, string key) =>
        $"{key}\nSend leads with POST {WebhookPath(workspaceId)} and the header Authorization: Bearer <key>.";

    private static string MappingText(IReadOnlyDictionary<string, TeamRoles> mapping) =>
        string.Join("\n", MappedRoles.Select(r =>
        {
            var ids = mapping.Where(m => m.Value.HasFlag(r.Role)).Select(m => m.Key).Order(StringComparer.Ordinal).ToList();
            return $"• {r.Option}: {(ids.Count == 0 ? "none" : string.Join(", ", ids))}";
        }));

    private static string Current(WorkspacePlaces places, string which) => which switch
    {
        "handoffs" => places.Handoffs,
        "marketing" => places.Marketing,
        _ => places.General,
    };

    private static string Capitalized(string which) => which switch
    {
        "handoffs" => "Handoffs",
        "marketing" => "Marketing notices",
        _ => "General posts",
    };

    /// <summary>A channel id, raw or as a Discord channel mention.</summary>
    internal static bool TryChannel(string text, out string id, out string error)
    {
        var value = text.Trim();
        error = "";
        id = ChannelMention().Match(value) is { Success: true } mention ? mention.Groups[1].Value : value;
        if (id.Length == 0) error = "give a channel id or mention the channel, or leave channel: out to use this one.";
        else if (PersonOrRoleMention().IsMatch(id)) error = $"'{value}' mentions a person or a role, not a channel.";
        else if (id.StartsWith('#')) error = $"'{value}' is a channel's name, not its id: mention the channel (type # and pick it) or give its id.";
        else if (!PlainId().IsMatch(id)) error = $"'{value}' is not a channel id: give one id, without spaces, of at most {MaxIdLength} characters.";
        return error.Length == 0;
    }

    /// <summary>Role ids separated by commas or spaces, raw or as Discord role mentions; "none" (or nothing) is an empty list.</summary>
    internal static bool TryRoleIds(string text, out IReadOnlyList<string> ids, out string error)
    {
        var parts = text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var found = new List<string>();
        ids = found;
        error = "";
        if (parts.Length == 0 || parts is [var only] && only.Equals("none", StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var part in parts)
        {
            var id = RoleMention().Match(part) is { Success: true } mention ? mention.Groups[1].Value : part;
            if (id.Equals("none", StringComparison.OrdinalIgnoreCase)) error = "none clears the role, so give it alone.";
            else if (ChannelMention().IsMatch(id) || PersonOrRoleMention().IsMatch(id)) error = $"'{part}' mentions a channel or a person, not a role.";
            else if (!PlainId().IsMatch(id)) error = $"'{part}' is not a role id or a role mention like <@&123>.";
            if (error.Length > 0) return false;
            if (!found.Contains(id, StringComparer.Ordinal)) found.Add(id);
        }
        if (found.Count > MaxIdsPerRole) error = $"at most {MaxIdsPerRole} roles, not {found.Count}.";
        return error.Length == 0;
    }

    [GeneratedRegex(@"^<#(\d+)>$")]
    private static partial Regex ChannelMention();

    [GeneratedRegex(@"^<@&(\d+)>$")]
    private static partial Regex RoleMention();

    [GeneratedRegex(@"^<@[!&]?\d+>$")]
    private static partial Regex PersonOrRoleMention();

    [GeneratedRegex(@"^[^\s<>,""'#]{1,100}$")]
    private static partial Regex PlainId();
}
