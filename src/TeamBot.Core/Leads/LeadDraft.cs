using System.Globalization;
using System.Text.RegularExpressions;

namespace TeamBot.Core.Leads;

/// <summary>
/// Raw lead values on their way in, from any intake path. <see cref="Validate"/> applies the one set of rules
/// TeamBot has for leads and names every bad field by its path.
/// </summary>
public sealed partial class LeadDraft
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _custom = new(StringComparer.Ordinal);

    public void Set(LeadField field, string? value) => _values[field.Name] = value;

    public void SetCustom(string key, string value) => _custom[key] = value;

    public bool HasCustom(string key) => _custom.ContainsKey(key);

    /// <summary>Returns the valid lead, or null after adding every problem to <paramref name="errors"/> under <paramref name="prefix"/>.</summary>
    public LeadData? Validate(string prefix, FieldErrors errors)
    {
        var before = errors.Count;
        var clean = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var (name, raw) in _values)
        {
            var value = raw?.Trim();
            if (string.IsNullOrEmpty(value)) continue;
            LeadFields.TryGet(name, out var field);
            var problem = CheckText(value, field.MaxLength, field.Kind == LeadFieldKind.MultilineText)
                          ?? CheckFormat(field.Kind, value);
            if (problem is null) clean[name] = value;
            else errors.Add(FieldErrors.Join(prefix, name), problem);
        }

        if (!_values.Any(v => (v.Key == "email" || v.Key == "phone") && !string.IsNullOrWhiteSpace(v.Value)))
        {
            errors.Add(FieldErrors.Join(prefix, "email"), "is required: a lead needs an email or a phone number so that sales can reach it.");
        }

        if (_custom.Count > LeadFields.MaxCustomFields)
        {
            errors.Add(FieldErrors.Join(prefix, LeadFields.Custom), $"may hold at most {LeadFields.MaxCustomFields} entries (got {_custom.Count}).");
        }
        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, raw) in _custom)
        {
            var path = FieldErrors.Join(prefix, $"{LeadFields.Custom}.{key}");
            var keyProblem = key.Trim().Length == 0 ? "has an empty name." : CheckText(key, LeadFields.MaxCustomKeyLength, multiline: false);
            if (keyProblem is not null)
            {
                errors.Add(path, keyProblem.StartsWith("has", StringComparison.Ordinal) ? keyProblem : "name " + keyProblem);
                continue;
            }
            var value = raw.Trim();
            var valueProblem = CheckText(value, LeadFields.MaxCustomValueLength, multiline: true);
            if (valueProblem is not null) errors.Add(path, valueProblem);
            else if (value.Length > 0) custom[key] = value;
        }

        if (errors.Count > before) return null;

        var companySize = clean.GetValueOrDefault("companySize");
        return new LeadData
        {
            ExternalId = clean.GetValueOrDefault("externalId"),
            Email = clean.GetValueOrDefault("email"),
            FirstName = clean.GetValueOrDefault("firstName"),
            LastName = clean.GetValueOrDefault("lastName"),
            Company = clean.GetValueOrDefault("company"),
            Title = clean.GetValueOrDefault("title"),
            Phone = clean.GetValueOrDefault("phone"),
            Source = clean.GetValueOrDefault("source"),
            Campaign = clean.GetValueOrDefault("campaign"),
            Segment = clean.GetValueOrDefault("segment"),
            Country = clean.GetValueOrDefault("country"),
            CompanySize = companySize,
            CompanySizeMin = companySize is null ? null : ParseCompanySize(companySize),
            Score = clean.TryGetValue("score", out var score) ? decimal.Parse(score, ScoreStyle, CultureInfo.InvariantCulture) : null,
            Reason = clean.GetValueOrDefault("reason"),
            Url = clean.GetValueOrDefault("url"),
            Fields = custom,
        };
    }

    /// <summary>A score is a plain number with a decimal point: "8,5" is refused rather than read as 85.</summary>
    private const NumberStyles ScoreStyle = NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;

    /// <summary>Rejects control characters, invisible direction overrides, broken Unicode and overlong text.</summary>
    internal static string? CheckText(string value, int maxLength, bool multiline)
    {
        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength.ToString("N0", CultureInfo.InvariantCulture)} characters (got {value.Length.ToString("N0", CultureInfo.InvariantCulture)}).";
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return "contains invalid Unicode (an unpaired surrogate).";
            if (multiline && (c == '\n' || c == '\r' || c == '\t')) continue;
            if (char.IsControl(c))
            {
                return $"contains a control character (U+{(int)c:X4}){(multiline ? "" : "; line breaks are not allowed here")}.";
            }
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return $"contains an invisible text-direction character (U+{(int)c:X4}).";
            }
        }
        return null;
    }

    private static string? CheckFormat(LeadFieldKind kind, string value) => kind switch
    {
        LeadFieldKind.Email when !EmailPattern().IsMatch(value) => "is not a valid email address.",
        LeadFieldKind.Phone when !PhonePattern().IsMatch(value) || value.Count(char.IsAsciiDigit) < 3 =>
            "is not a valid phone number (digits, spaces, + - ( ) . / only).",
        LeadFieldKind.Url when !IsWebUrl(value) => "must be an absolute http:// or https:// URL.",
        LeadFieldKind.Score when !decimal.TryParse(value, ScoreStyle, CultureInfo.InvariantCulture, out var score) =>
            "must be a number from 0 to 100.",
        LeadFieldKind.Score when decimal.Parse(value, ScoreStyle, CultureInfo.InvariantCulture) is < 0 or > 100 =>
            "must be a number from 0 to 100.",
        LeadFieldKind.CompanySize when ParseCompanySize(value) is null =>
            "must be a number of employees such as 250, a range such as 51-200, or an open range such as 1000+.",
        _ => null,
    };

    private static bool IsWebUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    internal static int? ParseCompanySize(string value)
    {
        var match = CompanySizePattern().Match(value.Replace(",", "", StringComparison.Ordinal));
        if (!match.Success) return null;
        var min = int.Parse(match.Groups["min"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["max"].Success && int.Parse(match.Groups["max"].Value, CultureInfo.InvariantCulture) < min) return null;
        return min;
    }

    [GeneratedRegex(@"^[^@\s<>()\[\],;:""]+@[^@\s<>()\[\],;:""]+\.[^@\s<>()\[\],;:""]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[+0-9 ().\-/]+$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^(?<min>\d{1,9})(\s*(-|–)\s*(?<max>\d{1,9})|\s*\+)?$")]
    private static partial Regex CompanySizePattern();
}
