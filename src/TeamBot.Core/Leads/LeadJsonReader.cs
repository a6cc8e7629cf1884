using System.Globalization;
using System.Text.Json;

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
            CheckUnicode(root, "", errors);
            if (errors.Count > before) return null;

            if (!root.TryGetProperty("leads", out var leadsElement))
            {
                var single = ReadLead(root, "", errors);
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
                var path = $"leads[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(path, $"must be a lead object, not {Kind(item)}.");
                    continue;
                }
                var lead = ReadLead(item, path, errors);
                if (lead is not null) leads.Add(lead);
            }
            return errors.Any ? null : new LeadBatch(leads, IsBatch: true);
        }
    }

    private static LeadData? ReadLead(JsonElement element, string prefix, FieldErrors errors)
    {
        var draft = new LeadDraft();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var before = errors.Count;

        foreach (var property in element.EnumerateObject())
        {
            var path = FieldErrors.Join(prefix, property.Name);
            if (!seen.Add(property.Name))
            {
                errors.Add(path, "appears more than once.");
                continue;
            }
            if (property.Name == LeadFields.Custom)
            {
                ReadCustomFields(property.Value, path, draft, errors);
                continue;
            }
            if (!LeadFields.TryGet(property.Name, out var field))
            {
                var hint = LeadFields.Suggest(property.Name);
                errors.Add(path, hint is null
                    ? "is not a lead field; put custom data under 'fields'."
                    : $"is not a lead field; did you mean '{hint.Name}'?");
                continue;
            }

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
                    errors.Add(path, field.AcceptsNumber
                        ? $"must be a number or a string, not {Kind(value)}."
                        : $"must be a string, not {Kind(value)}.");
                    break;
            }
        }

        var lead = draft.Validate(prefix, errors);
        return errors.Count > before ? null : lead;
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
    /// Reports text that cannot become a string (an escaped unpaired surrogate such as \ud800, or bytes that are
    /// not UTF-8), which the parser lets through but <see cref="JsonElement.GetString"/> refuses with an exception.
    /// </summary>
    private static void CheckUnicode(JsonElement element, string path, FieldErrors errors)
    {
        const string Problem = "contains invalid Unicode (an unpaired surrogate or bytes that are not UTF-8).";
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(path.Length == 0 ? "$" : path, "has a property name that " + Problem);
                        continue;
                    }
                    CheckUnicode(property.Value, FieldErrors.Join(path, name), errors);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) CheckUnicode(item, $"{path}[{index++}]", errors);
                break;
            case JsonValueKind.String:
                try
                {
                    element.GetString();
                }
                catch (InvalidOperationException)
                {
                    errors.Add(path, Problem);
                }
                break;
        }
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
