namespace TeamBot.Core.Leads;

public enum LeadFieldKind { Text, MultilineText, Email, Phone, Url, Score, CompanySize }

/// <summary>One of TeamBot's lead fields, with the rules every intake path applies to it.</summary>
public sealed record LeadField(string Name, LeadFieldKind Kind, int MaxLength, bool AcceptsNumber, params string[] Aliases);

/// <summary>The lead fields (their names are public API: webhook JSON, CSV mapping, chat options).</summary>
public static class LeadFields
{
    public const string Custom = "fields";
    public const int MaxCustomFields = 50;
    public const int MaxCustomKeyLength = 100;
    public const int MaxCustomValueLength = 2000;

    public static readonly IReadOnlyList<LeadField> All =
    [
        new("externalId", LeadFieldKind.Text, 200, true, "id", "leadid", "recordid", "contactid"),
        new("email", LeadFieldKind.Email, 254, false, "emailaddress", "mail", "workemail"),
        new("firstName", LeadFieldKind.Text, 200, false, "first", "givenname", "forename"),
        new("lastName", LeadFieldKind.Text, 200, false, "last", "surname", "familyname"),
        new("company", LeadFieldKind.Text, 200, false, "companyname", "organization", "organisation", "account", "accountname"),
        new("title", LeadFieldKind.Text, 200, false, "jobtitle", "position", "role"),
        new("phone", LeadFieldKind.Phone, 40, true, "phonenumber", "mobile", "mobilephone", "telephone"),
        new("source", LeadFieldKind.Text, 100, false, "leadsource", "utmsource", "channel"),
        new("campaign", LeadFieldKind.Text, 200, false, "utmcampaign", "campaignname"),
        new("segment", LeadFieldKind.Text, 100, false, "tier", "market"),
        new("country", LeadFieldKind.Text, 100, false, "countrycode", "region"),
        new("companySize", LeadFieldKind.CompanySize, 50, true, "employees", "numberofemployees", "headcount", "size"),
        new("score", LeadFieldKind.Score, 20, true, "leadscore", "hubspotscore"),
        new("reason", LeadFieldKind.MultilineText, 2000, false, "why", "qualification", "notes", "message"),
        new("url", LeadFieldKind.Url, 2048, false, "link", "crmurl", "recordurl"),
    ];

    private static readonly Dictionary<string, LeadField> ByName =
        All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, int> Positions =
        All.Select((f, i) => (f.Name, i)).ToDictionary(f => f.Name, f => f.i, StringComparer.Ordinal);

    /// <summary>The fields' names in UTF-8, in the order of <see cref="All"/>: the webhook matches JSON names without making strings.</summary>
    internal static readonly byte[][] Utf8Names = [.. All.Select(f => System.Text.Encoding.UTF8.GetBytes(f.Name))];

    private static readonly Dictionary<string, LeadField> ByLooseName = BuildLoose();

    public static bool TryGet(string name, out LeadField field) => ByName.TryGetValue(name, out field!);

    /// <summary>The field's position in <see cref="All"/>, or -1 when <paramref name="name"/> is not a lead field.</summary>
    public static int IndexOf(string name) => Positions.GetValueOrDefault(name, -1);

    /// <summary>Matches a CSV header or similar loosely: case, spaces, dashes and underscores do not matter; common aliases work.</summary>
    public static LeadField? Match(string header) => ByLooseName.GetValueOrDefault(Loose(header));

    /// <summary>The field someone probably meant by a name that is not a field: same letters loosely, a known alias, or a typo away.</summary>
    public static LeadField? Suggest(string name)
    {
        if (Match(name) is { } matched) return matched;
        var loose = Loose(name);
        if (loose.Length < 3) return null;
        var limit = loose.Length >= 4 ? 2 : 1;
        LeadField? best = null;
        var bestDistance = int.MaxValue;
        foreach (var (key, field) in ByLooseName)
        {
            // The distance is at least the difference in length: a name far longer (a megabyte of it) is not compared.
            if (Math.Abs(key.Length - loose.Length) > limit) continue;
            var distance = EditDistance(loose, key);
            if (distance < bestDistance) (best, bestDistance) = (field, distance);
        }
        return bestDistance <= limit ? best : null;
    }

    /// <summary>The Levenshtein distance: single-character insertions, deletions and substitutions.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    public static string Loose(string text) =>
        new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static Dictionary<string, LeadField> BuildLoose()
    {
        var map = new Dictionary<string, LeadField>(StringComparer.Ordinal);
        foreach (var field in All)
        {
            map[Loose(field.Name)] = field;
            foreach (var alias in field.Aliases) map.TryAdd(alias, field);
        }
        return map;
    }
}
