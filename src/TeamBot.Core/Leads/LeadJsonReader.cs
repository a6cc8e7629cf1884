using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace TeamBot.Core.Leads;

/// <summary>A parsed webhook body: one lead, or <c>{"leads":[...]}</c>.</summary>
public sealed record LeadBatch(IReadOnlyList<LeadData> Leads, bool IsBatch);

/// <summary>Reads the webhook's JSON and reports every problem by path (<c>leads[3].email</c>).</summary>
public static class LeadJsonReader
{
    public const int MaxDepth = 16;

    public static LeadBatch? Read(ReadOnlyMemory<byte> utf8Json, int maxLeads, FieldErrors errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            errors.Add("$", $"is not valid JSON: {Describe(ex)}");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add("$", $"must be a lead object or {{\"leads\": [...]}}, not {Kind(root)}.");
                return null;
            }

            var before = errors.Count;
            CheckUnicode(root, [], errors);
            if (errors.Count > before) return null;

            var draft = new LeadDraft();
            if (!root.TryGetProperty("leads", out var leadsElement))
            {
                var single = ReadLead(root, new FieldPath(""), draft, errors);
                return single is null ? null : new LeadBatch([single], IsBatch: false);
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "leads") errors.Add(property.Name, "is not allowed next to 'leads'; send one lead object, or {\"leads\": [...]}.");
            }
            if (CountProperty(root, "leads") > 1) errors.Add("leads", "appears more than once.");
            if (leadsElement.ValueKind != JsonValueKind.Array)
            {
                errors.Add("leads", $"must be an array of lead objects, not {Kind(leadsElement)}.");
                return null;
            }

            var count = leadsElement.GetArrayLength();
            if (count == 0) errors.Add("leads", "must contain at least one lead.");
            if (count > maxLeads)
            {
                errors.Add("leads", $"may contain at most {maxLeads.ToString("N0", CultureInfo.InvariantCulture)} leads per request (got {count.ToString("N0", CultureInfo.InvariantCulture)}).");
                return null;
            }

            var leads = new List<LeadData>(count);
            var index = 0;
            foreach (var item in leadsElement.EnumerateArray())
            {
                var path = FieldPath.Lead(index++);
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(path.ToString(), $"must be a lead object, not {Kind(item)}.");
                    continue;
                }
                var lead = ReadLead(item, path, draft, errors);
                if (lead is not null) leads.Add(lead);
            }
            return errors.Any ? null : new LeadBatch(leads, IsBatch: true);
        }
    }

    /// <summary>
    /// Reads one lead object into <paramref name="draft"/> (cleared first) and validates it. Paths are made only for problems,
    /// and the names of lead fields are matched in UTF-8: a batch of 1,000 leads made ten thousand strings nobody read.
    /// </summary>
    private static LeadData? ReadLead(JsonElement element, FieldPath prefix, LeadDraft draft, FieldErrors errors)
    {
        draft.Clear();
        var seenFields = 0;
        var seenCustom = false;
        HashSet<string>? seenOthers = null;
        var before = errors.Count;

        foreach (var property in element.EnumerateObject())
        {
            var index = FieldIndex(property);
            if (index >= 0)
            {
                if ((seenFields & (1 << index)) != 0)
                {
                    errors.Add(prefix.Join(property.Name), "appears more than once.");
                    continue;
                }
                seenFields |= 1 << index;
            }
            else if (property.NameEquals(LeadFields.Custom))
            {
                if (seenCustom)
                {
                    errors.Add(prefix.Join(property.Name), "appears more than once.");
                    continue;
                }
                seenCustom = true;
                ReadCustomFields(property.Value, prefix.Join(property.Name), draft, errors);
                continue;
            }
            else
            {
                var name = property.Name;
                if (!(seenOthers ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                {
                    errors.Add(prefix.Join(name), "appears more than once.");
                    continue;
                }
                var hint = LeadFields.Suggest(name);
                errors.Add(prefix.Join(name), hint is null
                    ? "is not a lead field; put custom data under 'fields'."
                    : $"is not a lead field; did you mean '{hint.Name}'?");
                continue;
            }

            var field = LeadFields.All[index];
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.String:
                    draft.Set(field, value.GetString());
                    break;
                case JsonValueKind.Number when field.AcceptsNumber:
                    draft.Set(field, value.GetRawText());
                    break;
                default:
                    errors.Add(prefix.Join(field.Name), field.AcceptsNumber
                        ? $"must be a number or a string, not {Kind(value)}."
                        : $"must be a string, not {Kind(value)}.");
                    break;
            }
        }

        var lead = draft.Validate(prefix, errors);
        return errors.Count > before ? null : lead;
    }

    /// <summary>The position of the lead field <paramref name="property"/> names in <see cref="LeadFields.All"/>, or -1.</summary>
    private static int FieldIndex(JsonProperty property)
    {
        var names = LeadFields.Utf8Names;
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') >= 0) return LeadFields.IndexOf(property.Name); // escaped: compare the real name
        for (var i = 0; i < names.Length; i++)
        {
            if (raw.SequenceEqual(names[i])) return i;
        }
        return -1;
    }

    private static void ReadCustomFields(JsonElement value, string path, LeadDraft draft, FieldErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"must be an object of names to text, numbers or true/false, not {Kind(value)}.");
            return;
        }
        foreach (var entry in value.EnumerateObject())
        {
            var entryPath = $"{path}.{entry.Name}";
            if (draft.HasCustom(entry.Name))
            {
                errors.Add(entryPath, "appears more than once.");
                continue;
            }
            switch (entry.Value.ValueKind)
            {
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.String:
                    draft.SetCustom(entry.Name, entry.Value.GetString()!);
                    break;
                case JsonValueKind.Number:
                    draft.SetCustom(entry.Name, entry.Value.GetRawText());
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    draft.SetCustom(entry.Name, entry.Value.GetBoolean() ? "true" : "false");
                    break;
                default:
                    errors.Add(entryPath, $"must be text, a number, true/false or null, not {Kind(entry.Value)}.");
                    break;
            }
        }
    }

    /// <summary>
    /// Reports text that cannot become a string (an escaped unpaired surrogate such as \ud800, or bytes that are not UTF-8),
    /// which the parser lets through but <see cref="JsonElement.GetString"/> refuses with an exception. Text without escapes
    /// is checked in place; paths are made only for the problems found.
    /// </summary>
    private static void CheckUnicode(JsonElement element, List<PathStep> path, FieldErrors errors)
    {
        const string Problem = "contains invalid Unicode (an unpaired surrogate or bytes that are not UTF-8).";
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!(IsPlainText(JsonMarshal.GetRawUtf8PropertyName(property)) ?? CanDecodeName(property)))
                    {
                        var at = PathOf(path);
                        errors.Add(at.Length == 0 ? "$" : at, "has a property name that " + Problem);
                        continue;
                    }
                    path.Add(new PathStep(property, -1));
                    CheckUnicode(property.Value, path, errors);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add(new PathStep(default, index++));
                    CheckUnicode(item, path, errors);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case JsonValueKind.String:
                if (!(IsPlainText(JsonMarshal.GetRawUtf8Value(element)) ?? CanDecode(element))) errors.Add(PathOf(path), Problem);
                break;
        }
    }

    /// <summary>Whether raw JSON text without escapes is valid UTF-8 (and so becomes a string); null when it has escapes to decode.</summary>
    private static bool? IsPlainText(ReadOnlySpan<byte> raw) => raw.IndexOf((byte)'\\') < 0 ? Utf8.IsValid(raw) : null;

    private static bool CanDecodeName(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool CanDecode(JsonElement element)
    {
        try
        {
            element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>One step of a path into the document: a property, or an array item (<see cref="Index"/> from 0).</summary>
    private readonly record struct PathStep(JsonProperty Property, int Index);

    private static string PathOf(List<PathStep> steps)
    {
        var path = "";
        foreach (var step in steps) path = step.Index >= 0 ? $"{path}[{step.Index}]" : FieldErrors.Join(path, step.Property.Name);
        return path;
    }

    private static int CountProperty(JsonElement element, string name) =>
        element.EnumerateObject().Count(p => p.Name == name);

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Describe(JsonException ex)
    {
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        return message.TrimEnd('.') + where + ".";
    }
}
