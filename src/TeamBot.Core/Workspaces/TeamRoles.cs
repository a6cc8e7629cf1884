namespace TeamBot.Core;

/// <summary>What a person may do in a workspace. A person can hold several roles.</summary>
[Flags]
public enum TeamRoles
{
    None = 0,
    Sales = 1,
    Marketing = 2,
    Admin = 4,
}

public static class TeamRolesText
{
    public static bool TryParse(string text, out TeamRoles role)
    {
        role = text.Trim().ToLowerInvariant() switch
        {
            "sales" or "rep" or "sales-rep" => TeamRoles.Sales,
            "marketing" or "marketer" => TeamRoles.Marketing,
            "admin" or "lead" or "revops" => TeamRoles.Admin,
            _ => TeamRoles.None,
        };
        return role != TeamRoles.None;
    }

    public static IReadOnlyList<string> Names(TeamRoles roles)
    {
        var names = new List<string>(3);
        if (roles.HasFlag(TeamRoles.Sales)) names.Add("sales");
        if (roles.HasFlag(TeamRoles.Marketing)) names.Add("marketing");
        if (roles.HasFlag(TeamRoles.Admin)) names.Add("admin");
        return names;
    }
}
