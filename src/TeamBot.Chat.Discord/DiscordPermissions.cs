using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Discord;

/// <summary>
/// What a member may do in a channel, by Discord's documented arithmetic: the server's owner, and anyone with Administrator,
/// may do everything; otherwise the @everyone role's permissions and the member's roles' together, then the channel's
/// overwrites in order: @everyone's, the member's roles' (all their denies, then all their allows), the member's own.
/// </summary>
/// <remarks>
/// What Discord implies on top (nothing counts without View Channel, no Embed Links without Send Messages) is left out on
/// purpose: <see cref="Missing"/> names what is not granted, and granting View Channel or Send Messages brings the rest back.
/// </remarks>
public static class DiscordPermissions
{
    public const ulong Administrator = 1UL << 3;
    public const ulong AddReactions = 1UL << 6;
    public const ulong ViewChannel = 1UL << 10;
    public const ulong SendMessages = 1UL << 11;
    public const ulong EmbedLinks = 1UL << 14;
    public const ulong ReadMessageHistory = 1UL << 16;
    public const ulong CreatePublicThreads = 1UL << 35;
    public const ulong SendMessagesInThreads = 1UL << 38;

    /// <summary>The permissions TeamBot uses anywhere, the invite URL's set (309237730368).</summary>
    public const ulong Used = ViewChannel | SendMessages | EmbedLinks | ReadMessageHistory | AddReactions | CreatePublicThreads | SendMessagesInThreads;

    private const int RoleOverwrite = 0;
    private const int MemberOverwrite = 1;

    /// <summary>The names Discord's settings show, in the order a reply lists them.</summary>
    private static readonly (ulong Bit, string Name)[] Names =
    [
        (ViewChannel, "View Channel"),
        (SendMessages, "Send Messages"),
        (EmbedLinks, "Embed Links"),
        (ReadMessageHistory, "Read Message History"),
        (AddReactions, "Add Reactions"),
        (CreatePublicThreads, "Create Public Threads"),
        (SendMessagesInThreads, "Send Messages in Threads"),
    ];

    /// <summary>
    /// What a channel bound for <paramref name="use"/> needs: a handoff is a card (an embed) that TeamBot reacts on, reads the
    /// reactions of and opens a thread under; general posts (digests, stand-ups) are text, and stand-ups open threads for the
    /// answers; marketing notices are text posts.
    /// </summary>
    public static ulong Needed(ChannelUse use) => use switch
    {
        ChannelUse.Handoffs => Used,
        ChannelUse.General => ViewChannel | SendMessages | CreatePublicThreads | SendMessagesInThreads,
        _ => ViewChannel | SendMessages,
    };

    /// <summary>The member's permissions in the channel (all bits set for the owner and for administrators).</summary>
    /// <param name="guild">The guild: its id is also the @everyone role's.</param>
    /// <param name="member">The member's user id.</param>
    /// <param name="memberRoles">The member's roles (without @everyone).</param>
    /// <param name="overwrites">The channel's permission overwrites.</param>
    public static ulong InChannel(GuildRoles guild, ulong member, IReadOnlyCollection<ulong> memberRoles, IReadOnlyList<PermissionOverwrite> overwrites)
    {
        ArgumentNullException.ThrowIfNull(guild);
        ArgumentNullException.ThrowIfNull(memberRoles);
        ArgumentNullException.ThrowIfNull(overwrites);
        if (member == guild.OwnerId) return ulong.MaxValue;
        var permissions = guild.Permissions.GetValueOrDefault(guild.Id);
        foreach (var role in memberRoles) permissions |= guild.Permissions.GetValueOrDefault(role);
        if ((permissions & Administrator) != 0) return ulong.MaxValue;

        foreach (var everyone in overwrites.Where(o => o.Type == RoleOverwrite && o.Id == guild.Id)) permissions = (permissions & ~everyone.Deny) | everyone.Allow;
        ulong allow = 0, deny = 0;
        foreach (var role in overwrites.Where(o => o.Type == RoleOverwrite && o.Id != guild.Id && memberRoles.Contains(o.Id)))
        {
            allow |= role.Allow;
            deny |= role.Deny;
        }
        permissions = (permissions & ~deny) | allow;
        foreach (var own in overwrites.Where(o => o.Type == MemberOverwrite && o.Id == member)) permissions = (permissions & ~own.Deny) | own.Allow;
        return permissions;
    }

    /// <summary>A permission's name as Discord's settings show it.</summary>
    public static string NameOf(ulong bit) => Names.First(n => n.Bit == bit).Name;

    /// <summary>The names of the permissions <paramref name="use"/> needs that <paramref name="permissions"/> lacks; empty when none.</summary>
    public static IReadOnlyList<string> Missing(ulong permissions, ChannelUse use)
    {
        var needed = Needed(use);
        return [.. Names.Where(n => (needed & n.Bit) != 0 && (permissions & n.Bit) == 0).Select(n => n.Name)];
    }
}
