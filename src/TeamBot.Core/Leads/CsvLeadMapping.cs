using System.Text.Json;

namespace TeamBot.Core.Leads;

/// <summary>
/// How CSV columns become lead fields. Without a mapping file, headers are matched to field names loosely
/// ("E-mail Address" is email). A mapping file names columns explicitly and can set constant values:
/// <c>{"columns": {"Lead Source": "source", "Industry": "fields.industry", "Notes": null}, "defaults": {"campaign": "Expo 2026"}}</c>.
/// </summary>
public sealed class CsvLeadMapping
{
    private readonly Dictionary<string, string?> _columns;
    private readonly Dictionary<string, string> _defaults;

    private CsvLeadMapping(Dictionary<string, string?> columns, Dictionary<string, string> defaults)
    {
        _columns = columns;
        _defaults = defaults;
    }

    public static CsvLeadMapping Automatic { get; } = new(new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase), []);

    /// <summary>Reads a mapping file; every problem is named in <paramref name="errors"/>.</summary>
    public static CsvLeadMapping? Parse(string json, List<string> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            errors.Add($"The mapping file is not valid JSON: {ex.Message}");
            return null;
        }

        using (document)
        {
            var columns = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("The mapping file must be a JSON object with \"columns\" and optionally \"defaults\".");
                return null;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "columns" && property.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var column in property.Value.EnumerateObject())
                    {
                        if (column.Value.ValueKind == JsonValueKind.Null)
                        {
                            columns[column.Name] = null;
                        }
                        else if (column.Value.ValueKind == JsonValueKind.String && IsTarget(column.Value.GetString()!))
                        {
                            columns[column.Name] = column.Value.GetString();
                        }
                        else
                        {
                            errors.Add($"mapping columns.\"{column.Name}\": {Describe(column.Value)} is not a lead field; use one of {string.Join(", ", LeadFields.All.Select(f => f.Name))}, fields.<name>, or null to skip the column.");
                        }
                    }
                }
                else if (property.Name == "defaults" && property.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var value in property.Value.EnumerateObject())
                    {
                        if (value.Value.ValueKind == JsonValueKind.String && IsTarget(value.Name)) defaults[value.Name] = value.Value.GetString()!;
                        else errors.Add($"mapping defaults.\"{value.Name}\": must name a lead field and give it a text value.");
                    }
                }
                else
                {
                    errors.Add($"mapping \"{property.Name}\": only \"columns\" (an object) and \"defaults\" (an object) are allowed.");
                }
            }
            return errors.Count > 0 ? null : new CsvLeadMapping(columns, defaults);
        }
    }

    /// <summary>What each header feeds: a field name, "fields.x", or null when the column is ignored.</summary>
    public IReadOnlyList<string?> Resolve(IReadOnlyList<string> headers, List<string> errors, List<string> ignored)
    {
        var targets = new List<string?>(headers.Count);
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in headers)
        {
            var header = raw.Trim();
            string? target;
            if (_columns.TryGetValue(header, out var mapped)) target = mapped;
            else target = LeadFields.Match(header)?.Name;

            if (target is null)
            {
                if (header.Length > 0 && !_columns.ContainsKey(header)) ignored.Add(header);
            }
            else if (used.TryGetValue(target, out var other))
            {
                errors.Add($"The columns \"{other}\" and \"{header}\" both map to {target}; map one of them elsewhere or to null in a mapping file.");
            }
            else
            {
                used[target] = header;
            }
            targets.Add(target);
        }
        foreach (var column in _columns.Where(c => c.Value is not null))
        {
            if (!headers.Any(h => string.Equals(h.Trim(), column.Key, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"The mapping names the column \"{column.Key}\", which the file does not have.");
            }
        }
        return targets;
    }

    /// <summary>Builds the draft for one row.</summary>
    public LeadDraft Draft(IReadOnlyList<string?> targets, IReadOnlyList<string> values)
    {
        var draft = new LeadDraft();
        foreach (var (field, value) in _defaults) Apply(draft, field, value);
        for (var i = 0; i < targets.Count && i < values.Count; i++)
        {
            if (targets[i] is { } target && values[i].Length > 0) Apply(draft, target, values[i]);
        }
        return draft;
    }

    private static void Apply(LeadDraft draft, string target, string value)
    {
        if (target.StartsWith(LeadFields.Custom + ".", StringComparison.Ordinal)) draft.SetCustom(target[(LeadFields.Custom.Length + 1)..], value);
        else if (LeadFields.TryGet(target, out var field)) draft.Set(field, value);
    }

    private static bool IsTarget(string target) =>
        LeadFields.TryGet(target, out _) || (target.StartsWith(LeadFields.Custom + ".", StringComparison.Ordinal) && target.Length > LeadFields.Custom.Length + 1);

    private static string Describe(JsonElement value) => value.ValueKind == JsonValueKind.String ? $"\"{value.GetString()}\"" : value.ValueKind.ToString().ToLowerInvariant();
}
