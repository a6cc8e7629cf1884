using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Standups;

/// <summary>Who a stand-up asks: people by id or name, and roles (<c>role:sales</c>), resolved at each prompt so that newcomers to a role are asked too.</summary>
public static class StandupParticipants
{
    /// <summary>Splits <c>"sam, ana role:marketing"</c> into entries and checks each one; errors name the entry.</summary>
    public static bool TryParse(string text, IReadOnlyList<Person> everyone, out IReadOnlyList<string> entries, out string error)
    {
        var list = new List<string>();
        entries = list;
        foreach (var raw in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var entry = raw.TrimStart('@');
            if (entry.StartsWith("role:", StringComparison.OrdinalIgnoreCase))
            {
                if (!TeamRolesText.TryParse(entry[5..], out var role))
                {
                    error = $"participants: '{entry}' is not a role; use role:sales, role:marketing or role:admin.";
                    return false;
                }
                entry = "role:" + TeamRolesText.Names(role)[0];
            }
            else if (Find(entry, everyone) is { } person)
            {
                entry = person.PlatformUserId;
            }
            else
            {
                error = $"participants: '{entry}' is not a person in this workspace. Use their id or name, or a role such as role:sales.";
                return false;
            }
            if (!list.Contains(entry, StringComparer.OrdinalIgnoreCase)) list.Add(entry);
        }
        if (list.Count == 0)
        {
            error = "participants: name at least one person or role, e.g. participants:\"sam, ana, role:marketing\".";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>The people the entries stand for today, each once, in the workspace's order.</summary>
    public static IReadOnlyList<Person> Resolve(IReadOnlyList<string> entries, IReadOnlyList<Person> everyone) =>
        everyone.Where(p => entries.Any(e => e.StartsWith("role:", StringComparison.Ordinal)
                ? TeamRolesText.TryParse(e[5..], out var role) && p.Is(role)
                : string.Equals(e, p.PlatformUserId, StringComparison.OrdinalIgnoreCase)))
            .ToList();

    private static Person? Find(string entry, IReadOnlyList<Person> everyone) =>
        everyone.FirstOrDefault(p => string.Equals(p.PlatformUserId, entry, StringComparison.OrdinalIgnoreCase))
        ?? everyone.FirstOrDefault(p => string.Equals(p.DisplayName, entry, StringComparison.OrdinalIgnoreCase))
        ?? everyone.FirstOrDefault(p => string.Equals(p.DisplayName.Split(' ')[0], entry, StringComparison.OrdinalIgnoreCase));
}
