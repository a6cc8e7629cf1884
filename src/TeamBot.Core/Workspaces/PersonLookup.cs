namespace TeamBot.Core.Workspaces;

/// <summary>Finds a person from what someone typed: their platform id (with or without @), their full name, or a unique part of it.</summary>
public static class PersonLookup
{
    /// <summary>The one person meant, or an error that says why not (nobody, or several).</summary>
    public static (Person? Person, string? Error) Find(IReadOnlyList<Person> everyone, string text)
    {
        var wanted = text.Trim().TrimStart('@');
        if (wanted.Length == 0) return (null, "Say whom you mean: their name or id.");
        var matches = everyone.Where(p => string.Equals(p.PlatformUserId, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 0) matches = everyone.Where(p => string.Equals(p.DisplayName, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 0) matches = everyone.Where(p => p.DisplayName.Contains(wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => (matches[0], null),
            0 => (null, $"Nobody here is called '{wanted}'."),
            _ => (null, $"'{wanted}' matches {string.Join(", ", matches.Select(p => p.DisplayName))}; be more specific."),
        };
    }
}
