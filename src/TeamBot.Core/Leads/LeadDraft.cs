using System.Globalization;
using System.Text.RegularExpressions;

namespace TeamBot.Core.Leads;

/// <summary>
/// Raw lead values on their way in, from any intake path. <see cref="Validate(string, FieldErrors)"/> applies the one set of rules
/// TeamBot has for leads and names every bad field by its path.
/// </summary>
public sealed partial class LeadDraft
{
    private static readonly int ExternalId = LeadFields.IndexOf("externalId"), Email = LeadFields.IndexOf("email"),
        FirstName = LeadFields.IndexOf("firstName"), LastName = LeadFields.IndexOf("lastName"), Company = LeadFields.IndexOf("company"),
        Title = LeadFields.IndexOf("title"), Phone = LeadFields.IndexOf("phone"), Source = LeadFields.IndexOf("source"),
        Campaign = LeadFields.IndexOf("campaign"), Segment = LeadFields.IndexOf("segment"), Country = LeadFields.IndexOf("country"),
        CompanySize = LeadFields.IndexOf("companySize"), Score = LeadFields.IndexOf("score"), Reason = LeadFields.IndexOf("reason"),
        Url = LeadFields.IndexOf("url");

    // By field position in LeadFields.All (a webhook batch validates thousands of leads: no dictionaries per lead).
    private readonly string?[] _values = new string?[LeadFields.All.Count];
    private readonly string?[] _clean = new string?[LeadFields.All.Count];

    // The fields in the order they were first set, so that problems are reported in the sender's order.
    private readonly int[] _order = new int[LeadFields.All.Count];
    private int _set;
    private Dictionary<string, string>? _custom;

    public void Set(LeadField field, string? value)
    {
        var index = LeadFields.IndexOf(field.Name);
        if (index < 0) throw new ArgumentException($"'{field.Name}' is not a lead field.", nameof(field));
        if (Array.IndexOf(_order, index, 0, _set) < 0) _order[_set++] = index;
        _values[index] = value;
    }

    public void SetCustom(string key, string value) => (_custom ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;

    public bool HasCustom(string key) => _custom?.ContainsKey(key) == true;

    /// <summary>Forgets every value, to read the next lead into the same draft.</summary>
    public void Clear()
    {
        Array.Clear(_values);
        _set = 0;
        _custom?.Clear();
    }

    /// <summary>Returns the valid lead, or null after adding every problem to <paramref name="errors"/> under <paramref name="prefix"/>.</summary>
    public LeadData? Validate(string prefix, FieldErrors errors) => Validate(new FieldPath(prefix), errors);

    /// <summary>As <see cref="Validate(string, FieldErrors)"/>, with the prefix made only if there is a problem to name.</summary>
    internal LeadData? Validate(FieldPath prefix, FieldErrors errors)
    {
        var before = errors.Count;
        Array.Clear(_clean);
        decimal? score = null;
        int? companySizeMin = null;

        for (var i = 0; i < _set; i++)
        {
            var index = _order[i];
            var value = _values[index]?.Trim();
            if (string.IsNullOrEmpty(value)) continue;
            var field = LeadFields.All[index];
            var problem = CheckText(value, field.MaxLength, field.Kind == LeadFieldKind.MultilineText)
                          ?? CheckFormat(field.Kind, value, ref score, ref companySizeMin);
            if (problem is null) _clean[index] = value;
            else errors.Add(prefix.Join(field.Name), problem);
        }

        if (string.IsNullOrWhiteSpace(_values[Email]) && string.IsNullOrWhiteSpace(_values[Phone]))
        {
            errors.Add(prefix.Join("email"), "is required: a lead needs an email or a phone number so that sales can reach it.");
        }

        IReadOnlyDictionary<string, string> custom = EmptyFields;
        if (_custom is { Count: > 0 })
        {
            if (_custom.Count > LeadFields.MaxCustomFields)
            {
                errors.Add(prefix.Join(LeadFields.Custom), $"may hold at most {LeadFields.MaxCustomFields} entries (got {_custom.Count}).");
            }
            var kept = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, raw) in _custom)
            {
                var keyProblem = key.Trim().Length == 0 ? "has an empty name." : CheckText(key, LeadFields.MaxCustomKeyLength, multiline: false);
                if (keyProblem is not null)
                {
                    errors.Add(prefix.Join($"{LeadFields.Custom}.{key}"), keyProblem.StartsWith("has", StringComparison.Ordinal) ? keyProblem : "name " + keyProblem);
                    continue;
                }
                var value = raw.Trim();
                var valueProblem = CheckText(value, LeadFields.MaxCustomValueLength, multiline: true);
                if (valueProblem is not null) errors.Add(prefix.Join($"{LeadFields.Custom}.{key}"), valueProblem);
                else if (value.Length > 0) kept[key] = value;
            }
            if (kept.Count > 0) custom = kept;
        }

        if (errors.Count > before) return null;

        return new LeadData
        {
            ExternalId = _clean[ExternalId],
            Email = _clean[Email],
            FirstName = _clean[FirstName],
            LastName = _clean[LastName],
            Company = _clean[Company],
            Title = _clean[Title],
            Phone = _clean[Phone],
            Source = _clean[Source],
            Campaign = _clean[Campaign],
            Segment = _clean[Segment],
            Country = _clean[Country],
            CompanySize = _clean[CompanySize],
            CompanySizeMin = _clean[CompanySize] is null ? null : companySizeMin,
            Score = _clean[Score] is null ? null : score,
            Reason = _clean[Reason],
            Url = _clean[Url],
            Fields = custom,
        };
    }

    /// <summary>A lead without custom fields; nothing writes to it.</summary>
    private static readonly IReadOnlyDictionary<string, string> EmptyFields = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

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

    /// <summary>The format's problem, or null; a valid score or company size is handed back, so that it is read once.</summary>
    private static string? CheckFormat(LeadFieldKind kind, string value, ref decimal? score, ref int? companySizeMin)
    {
        switch (kind)
        {
            case LeadFieldKind.Email when !EmailPattern().IsMatch(value):
                return "is not a valid email address.";
            case LeadFieldKind.Phone when !PhonePattern().IsMatch(value) || value.Count(char.IsAsciiDigit) < 3:
                return "is not a valid phone number (digits, spaces, + - ( ) . / only).";
            case LeadFieldKind.Url when !IsWebUrl(value):
                return "must be an absolute http:// or https:// URL.";
            case LeadFieldKind.Score:
                if (!decimal.TryParse(value, ScoreStyle, CultureInfo.InvariantCulture, out var parsed) || parsed is < 0 or > 100)
                {
                    return "must be a number from 0 to 100.";
                }
                score = parsed;
                return null;
            case LeadFieldKind.CompanySize:
                companySizeMin = ParseCompanySize(value);
                return companySizeMin is null
                    ? "must be a number of employees such as 250, a range such as 51-200, or an open range such as 1000+."
                    : null;
            default:
                return null;
        }
    }

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
