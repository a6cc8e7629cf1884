namespace TeamBot.Core.Workspaces;

/// <summary>Finds a person by what someone typed: their user id (with or without @), their full name, or a unique part of it.</summary>
public static class PersonLookup
{
    public static bool TryFind(IReadOnlyList<Person> everyone, string text, out Person person, out string problem)
    {
        person = null!;
        problem = "";
        var wanted = text.Trim().TrimStart('@');
        var matches = everyone.Where(p => string.Equals(p.PlatformUserId, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 0) matches = everyone.Where(p => string.Equals(p.DisplayName, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 0) matches = everyone.Where(p => p.DisplayName.Contains(wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (wanted.Length == 0 || matches.Count != 1)
        {
            problem = matches.Count == 0 || wanted.Length == 0
                ? $"Nobody here is called '{wanted}'."
                : $"'{wanted}' matches {string.Join(", ", matches.Select(p => p.DisplayName))}; be more specific.";
            return false;
        }
        person = matches[0];
        return true;
    }
}
