using TeamBot.Core;

namespace TeamBot.Chat.BotFramework.Activities;

/// <summary>
/// TeamBot roles from configured lists: each entry is an Entra object id (<c>aadObjectId</c>), an email or sign-in name,
/// or a channel user id (<c>29:…</c>), compared without regard to case. Teams has no roles of its own that a bot can read.
/// </summary>
public sealed class ConfiguredRoles
{
    private readonly Dictionary<string, TeamRoles> _roles = new(StringComparer.OrdinalIgnoreCase);

    public ConfiguredRoles(IEnumerable<string>? sales = null, IEnumerable<string>? marketing = null, IEnumerable<string>? admins = null)
    {
        Add(sales, TeamRoles.Sales);
        Add(marketing, TeamRoles.Marketing);
        Add(admins, TeamRoles.Admin);
    }

    /// <summary>
    /// The roles the lists give this account, or null when no list names it (so that the roles TeamBot has stored for the
    /// person apply, as with the other platforms).
    /// </summary>
    public TeamRoles? Of(ChannelAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var roles = new[] { account.AadObjectId, account.Email, account.UserPrincipalName, account.Id }
            .Aggregate(TeamRoles.None, (all, key) => key is { Length: > 0 } && _roles.TryGetValue(key, out var role) ? all | role : all);
        return roles == TeamRoles.None ? null : roles;
    }

    private void Add(IEnumerable<string>? entries, TeamRoles role)
    {
        foreach (var entry in entries ?? [])
        {
            var key = entry.Trim();
            if (key.Length > 0) _roles[key] = _roles.GetValueOrDefault(key) | role;
        }
    }
}
