using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TeamBot.Testing.Discord;

/// <summary>One way a JSON value breaks a schema: where (a JSON path such as <c>$.embeds[0].title</c>) and what.</summary>
public sealed record SchemaError(string Path, string Message)
{
    /// <summary>An <c>enum</c> or <c>const</c> refused the value: in a union, the sign of the wrong alternative.</summary>
    internal bool Mismatch { get; init; }

    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>An operation of the spec: its path template, its method and its OpenAPI operation object.</summary>
public sealed record ApiOperation(string Template, string Method, JsonObject Operation);

/// <summary>
/// Discord's published OpenAPI 3.1 specification (<c>shared/discord-openapi.json</c>, next to the repository) and a small
/// JSON Schema validator for what it uses: <c>$ref</c> (local), <c>type</c> (also as a list), <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c>, <c>min/maxProperties</c>, <c>items</c>, <c>min/maxItems</c>,
/// <c>uniqueItems</c>, <c>oneOf</c>, <c>anyOf</c>, <c>allOf</c>, <c>enum</c>, <c>const</c>, <c>min/maxLength</c>
/// (in code points), <c>minimum</c>, <c>maximum</c>, <c>pattern</c>, <c>format</c> (int32, int64, double, snowflake,
/// nonce, date-time, uri) and <c>contentEncoding</c>. Annotations (description, title, examples, x-*…) are ignored; any
/// other keyword throws <see cref="NotSupportedException"/>, so the check never passes by not understanding the spec.
/// </summary>
public sealed partial class DiscordOpenApi
{
    public const string SpecFileName = "discord-openapi.json";

    private static readonly Lazy<DiscordOpenApi> Shared = new(() => Load(FindSpecFile()));

    private static readonly HashSet<string> Annotations =
    [
        "description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly", "default", "$comment", "contentMediaType",
    ];

    private static readonly HashSet<string> Assertions =
    [
        "$ref", "type", "properties", "required", "additionalProperties", "minProperties", "maxProperties", "items", "minItems", "maxItems",
        "uniqueItems", "oneOf", "anyOf", "allOf", "enum", "const", "minLength", "maxLength", "minimum", "maximum", "pattern", "format",
        "contentEncoding",
    ];

    private readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);
    private readonly string _serverPath;

    private DiscordOpenApi(JsonObject document)
    {
        Document = document;
        var server = document["servers"]?[0]?["url"]?.GetValue<string>() ?? "";
        _serverPath = Uri.TryCreate(server, UriKind.Absolute, out var uri) ? uri.AbsolutePath.TrimEnd('/') : "";
    }

    /// <summary>The spec next to the repository, loaded once per test run.</summary>
    public static DiscordOpenApi Spec => Shared.Value;

    public JsonObject Document { get; }

    /// <summary>
    /// Walks up from <paramref name="start"/> (the test's base directory by default) to the first folder with
    /// <c>shared/discord-openapi.json</c>; throws, naming where it looked, when there is none.
    /// </summary>
    public static string FindSpecFile(string? start = null)
    {
        start ??= AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", SpecFileName);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(
            $"Discord's OpenAPI spec was not found: no folder above {start} has shared/{SpecFileName}. " +
            "It lives next to the repository (../shared/discord-openapi.json); the conformance tests cannot run without it.",
            SpecFileName);
    }

    public static DiscordOpenApi Load(string file) =>
        new(JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new InvalidDataException($"{file} is not a JSON object."));

    /// <summary>
    /// The operation a concrete request path names, e.g. <c>/channels/123/messages</c> (with or without the server's
    /// <c>/api/v10</c>) for <c>/channels/{channel_id}/messages</c>. A literal segment (<c>@me</c>, <c>@original</c>) beats
    /// a parameter, so <c>…/messages/@original</c> is not read as a message id. Null when no template and method fit.
    /// </summary>
    public ApiOperation? FindOperation(string method, string path)
    {
        var segments = Segments(path);
        var best = Candidates(segments).OrderByDescending(c => c.Literals).ToList();
        if (best.Count > 1 && best[0].Literals == best[1].Literals)
        {
            throw new InvalidOperationException($"{path} fits more than one template: {best[0].Template}, {best[1].Template}.");
        }
        if (best.Count == 0) return null;
        var template = best[0].Template;
        return Document["paths"]![template]![method.ToLowerInvariant()] is JsonObject operation ? new ApiOperation(template, method.ToUpperInvariant(), operation) : null;
    }

    /// <summary>The schema of the operation's JSON request body, or null when it takes none.</summary>
    public static JsonNode? RequestSchema(ApiOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.Operation["requestBody"]?["content"]?["application/json"]?["schema"];
    }

    /// <summary>
    /// Every way a request breaks the spec: no such operation, a path or query parameter its schema refuses, a body
    /// where none is taken or missing where one is required, and every way the body breaks the request schema.
    /// </summary>
    public IReadOnlyList<SchemaError> ValidateRequest(string method, string path, string? query, string? body, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var operation = FindOperation(method, path);
        if (operation is null) return [new SchemaError("$", $"the spec has no operation {method} {path}.")];
        var errors = new List<SchemaError>();
        ValidateParameters(operation, path, query ?? "", errors);
        var schema = RequestSchema(operation);
        var hasBody = !string.IsNullOrEmpty(body);
        if (schema is null)
        {
            if (hasBody) errors.Add(new SchemaError("$", $"{operation.Method} {operation.Template} takes no JSON body, but one was sent."));
            return errors;
        }
        if (!hasBody)
        {
            if (operation.Operation["requestBody"]?["required"]?.GetValue<bool>() == true) errors.Add(new SchemaError("$", $"{operation.Method} {operation.Template} requires a body."));
            return errors;
        }
        errors.AddRange(Validate(JsonNode.Parse(body!), schema, strict));
        return errors;
    }

    /// <summary>
    /// Every way <paramref name="instance"/> breaks <paramref name="schema"/>. With <paramref name="strict"/>, an object
    /// schema that lists its properties and says nothing about others also refuses the properties it does not list
    /// (the spec leaves them open; Discord ignores them, so a misspelt field would be lost without a word).
    /// </summary>
    public IReadOnlyList<SchemaError> Validate(JsonNode? instance, JsonNode schema, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<SchemaError>();
        Check(instance, schema, "$", strict, errors);
        return errors;
    }

    /// <summary>
    /// Keywords in the schemas (components and request bodies) this validator does not understand, each with where it
    /// stands; empty when every constraint of the spec is checked.
    /// </summary>
    public IReadOnlyList<string> UnknownKeywords()
    {
        var unknown = new List<string>();
        void Walk(JsonNode? schema, string where)
        {
            if (schema is not JsonObject obj) return;
            foreach (var (keyword, value) in obj)
            {
                if (!IsKnown(keyword)) unknown.Add($"{where}: {keyword}");
                switch (keyword)
                {
                    case "properties":
                        foreach (var (name, child) in value!.AsObject()) Walk(child, $"{where}/properties/{name}");
                        break;
                    case "items" or "additionalProperties":
                        Walk(value, $"{where}/{keyword}");
                        break;
                    case "oneOf" or "anyOf" or "allOf":
                        var i = 0;
                        foreach (var child in value!.AsArray()) Walk(child, $"{where}/{keyword}/{i++}");
                        break;
                }
            }
        }
        foreach (var (name, schema) in Document["components"]!["schemas"]!.AsObject()) Walk(schema, $"#/components/schemas/{name}");
        foreach (var (template, item) in Document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(p => p.Value is JsonObject && p.Key != "parameters"))
            {
                Walk(operation?["requestBody"]?["content"]?["application/json"]?["schema"], $"{method} {template} body");
                foreach (var parameter in (operation?["parameters"] as JsonArray ?? []).Concat(item["parameters"] as JsonArray ?? []))
                {
                    Walk(parameter?["schema"], $"{method} {template} {parameter?["name"]}");
                }
            }
        }
        return unknown;
    }

    private static bool IsKnown(string keyword) => Assertions.Contains(keyword) || Annotations.Contains(keyword) || keyword.StartsWith("x-", StringComparison.Ordinal);

    private string[] Segments(string path)
    {
        var trimmed = path.Split('?')[0];
        if (_serverPath.Length > 0 && trimmed.StartsWith(_serverPath + "/", StringComparison.Ordinal)) trimmed = trimmed[_serverPath.Length..];
        return trimmed.Trim('/').Split('/');
    }

    private IEnumerable<(string Template, int Literals)> Candidates(string[] segments)
    {
        foreach (var (template, _) in Document["paths"]!.AsObject())
        {
            var parts = template.Trim('/').Split('/');
            if (parts.Length != segments.Length) continue;
            var literals = 0;
            var fits = true;
            for (var i = 0; i < parts.Length && fits; i++)
            {
                if (IsParameter(parts[i])) fits = segments[i].Length > 0;
                else if (string.Equals(parts[i], Uri.UnescapeDataString(segments[i]), StringComparison.Ordinal)) literals++;
                else fits = false;
            }
            if (fits) yield return (template, literals);
        }
    }

    private static bool IsParameter(string segment) => segment.Length > 2 && segment[0] == '{' && segment[^1] == '}';

    private void ValidateParameters(ApiOperation operation, string path, string query, List<SchemaError> errors)
    {
        var declared = (operation.Operation["parameters"] as JsonArray ?? [])
            .Concat(Document["paths"]![operation.Template]!["parameters"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .ToList();
        JsonObject? Declared(string name, string place) =>
            declared.FirstOrDefault(p => p["name"]?.GetValue<string>() == name && p["in"]?.GetValue<string>() == place);

        var parts = operation.Template.Trim('/').Split('/');
        var segments = Segments(path);
        for (var i = 0; i < parts.Length; i++)
        {
            if (!IsParameter(parts[i])) continue;
            var name = parts[i][1..^1];
            if (Declared(name, "path")?["schema"] is { } schema) CheckParameter(Uri.UnescapeDataString(segments[i]), schema, $"path {{{name}}}", errors);
            else errors.Add(new SchemaError($"path {{{name}}}", "the spec does not declare this path parameter."));
        }
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (Declared(name, "query")?["schema"] is { } schema) CheckParameter(value, schema, $"query {name}", errors);
            else errors.Add(new SchemaError($"query {name}", $"{operation.Method} {operation.Template} has no query parameter '{name}'."));
        }
    }

    /// <summary>A parameter arrives as text: it fits if it fits as a string, or, when it reads as a number, as that number.</summary>
    private void CheckParameter(string value, JsonNode schema, string where, List<SchemaError> errors)
    {
        var asText = new List<SchemaError>();
        Check(JsonValue.Create(value), schema, where, strict: false, asText);
        if (asText.Count == 0) return;
        if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            var asNumber = new List<SchemaError>();
            Check(JsonValue.Create(number), schema, where, strict: false, asNumber);
            if (asNumber.Count == 0) return;
        }
        errors.AddRange(asText);
    }

    private void Check(JsonNode? instance, JsonNode schema, string path, bool strict, List<SchemaError> errors)
    {
        if (schema is JsonValue boolean && boolean.TryGetValue<bool>(out var allowed))
        {
            if (!allowed) errors.Add(new SchemaError(path, "no value is allowed here."));
            return;
        }
        if (schema is not JsonObject s) throw new NotSupportedException($"A schema must be an object or a boolean: {schema.ToJsonString()}");
        foreach (var (keyword, value) in s)
        {
            if (!IsKnown(keyword)) throw new NotSupportedException($"The validator does not understand the schema keyword '{keyword}' (at {path}); teach it before trusting a pass.");
            if (value is null) throw new NotSupportedException($"The schema keyword '{keyword}' is null (at {path}).");
            switch (keyword)
            {
                case "$ref":
                    Check(instance, Resolve(value.GetValue<string>()), path, strict, errors);
                    break;
                case "type":
                    var types = value is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToList() : [value.GetValue<string>()];
                    if (!types.Any(t => HasType(instance, t))) errors.Add(new SchemaError(path, $"is {KindOf(instance)}; the spec wants {string.Join(" or ", types)}."));
                    break;
                case "enum":
                    if (!value.AsArray().Any(e => Same(instance, e))) errors.Add(new SchemaError(path, $"{Show(instance)} is not one of {value.ToJsonString()}.") { Mismatch = true });
                    break;
                case "const":
                    if (!Same(instance, value)) errors.Add(new SchemaError(path, $"{Show(instance)} is not {value.ToJsonString()}.") { Mismatch = true });
                    break;
                case "allOf":
                    foreach (var part in value.AsArray()) Check(instance, part!, path, strict, errors);
                    break;
                case "anyOf" or "oneOf":
                    Alternatives(instance, value.AsArray(), path, strict, exactlyOne: keyword == "oneOf", errors);
                    break;
                default:
                    CheckValue(instance, keyword, value, s, path, strict, errors);
                    break;
            }
        }
    }

    /// <summary>The keywords that constrain one kind of value; each applies only to its kind, as JSON Schema says.</summary>
    private void CheckValue(JsonNode? instance, string keyword, JsonNode value, JsonObject schema, string path, bool strict, List<SchemaError> errors)
    {
        switch (keyword, instance)
        {
            case ("properties", JsonObject obj):
                foreach (var (name, child) in value.AsObject())
                {
                    if (obj.TryGetPropertyValue(name, out var property)) Check(property, child!, $"{path}.{name}", strict, errors);
                }
                if (strict && !schema.ContainsKey("additionalProperties"))
                {
                    foreach (var (name, _) in obj.Where(p => !value.AsObject().ContainsKey(p.Key)))
                    {
                        errors.Add(new SchemaError($"{path}.{name}", "is not a property the spec names here."));
                    }
                }
                break;
            case ("additionalProperties", JsonObject obj):
                var named = schema["properties"] as JsonObject;
                foreach (var (name, property) in obj.Where(p => named is null || !named.ContainsKey(p.Key)))
                {
                    if (value is JsonValue v && v.TryGetValue<bool>(out var open))
                    {
                        if (!open) errors.Add(new SchemaError($"{path}.{name}", "is not allowed: the object takes no properties besides those it names."));
                    }
                    else
                    {
                        Check(property, value, $"{path}.{name}", strict, errors);
                    }
                }
                break;
            case ("required", JsonObject obj):
                foreach (var name in value.AsArray().Select(n => n!.GetValue<string>()).Where(n => !obj.ContainsKey(n)))
                {
                    errors.Add(new SchemaError(path, $"lacks the required property '{name}'."));
                }
                break;
            case ("minProperties", JsonObject obj) when obj.Count < Int(value):
            case ("maxProperties", JsonObject obj2) when obj2.Count > Int(value):
                errors.Add(new SchemaError(path, $"has {(instance as JsonObject)!.Count} properties; {keyword} is {value}."));
                break;
            case ("items", JsonArray array):
                for (var i = 0; i < array.Count; i++) Check(array[i], value, $"{path}[{i}]", strict, errors);
                break;
            case ("minItems", JsonArray array) when array.Count < Int(value):
            case ("maxItems", JsonArray array2) when array2.Count > Int(value):
                errors.Add(new SchemaError(path, $"has {(instance as JsonArray)!.Count} items; {keyword} is {value}."));
                break;
            case ("uniqueItems", JsonArray array) when value.GetValue<bool>():
                for (var i = 0; i < array.Count; i++)
                {
                    for (var j = i + 1; j < array.Count; j++)
                    {
                        if (Same(array[i], array[j])) errors.Add(new SchemaError($"{path}[{j}]", $"repeats item {i}; the items must be unique."));
                    }
                }
                break;
            case ("minLength", JsonValue text) when Text(text) is { } t && CodePoints(t) < Int(value):
            case ("maxLength", JsonValue text2) when Text(text2) is { } t2 && CodePoints(t2) > Int(value):
                errors.Add(new SchemaError(path, $"has {CodePoints(Text((JsonValue)instance)!)} characters; {keyword} is {value}."));
                break;
            case ("pattern", JsonValue text) when Text(text) is { } t:
                if (!Pattern(value.GetValue<string>()).IsMatch(t)) errors.Add(new SchemaError(path, $"\"{Cut(t)}\" does not match {value.GetValue<string>()}."));
                break;
            case ("minimum", JsonValue number) when Number(number) is { } n && n < Number((JsonValue)value)!.Value:
            case ("maximum", JsonValue number2) when Number(number2) is { } n2 && n2 > Number((JsonValue)value)!.Value:
                errors.Add(new SchemaError(path, $"{Show(instance)} is out of range; {keyword} is {value}."));
                break;
            case ("format", _):
                CheckFormat(instance, value.GetValue<string>(), path, errors);
                break;
            case ("contentEncoding", JsonValue text) when Text(text) is { } t:
                CheckEncoding(t, value.GetValue<string>(), path, errors);
                break;
            default:
                // Every other pairing is a keyword for another kind of value (e.g. maxLength on a number): it does not apply.
                break;
        }
    }

    private void Alternatives(JsonNode? instance, JsonArray alternatives, string path, bool strict, bool exactlyOne, List<SchemaError> errors)
    {
        var results = alternatives.Select(a =>
        {
            var branch = new List<SchemaError>();
            Check(instance, a!, path, strict, branch);
            return branch;
        }).ToList();
        var passed = results.Select((r, i) => (r, i)).Where(x => x.r.Count == 0).Select(x => x.i).ToList();
        if (passed.Count == 0)
        {
            // Show why the nearest alternative failed: one whose own "type" (or other enum or const) fits, then the one that got
            // deepest into the value, then the one with the fewest errors.
            var nearest = results
                .OrderBy(r => r.Count(e => e.Mismatch && (e.Path == path || IsChild(e.Path, path))))
                .ThenByDescending(r => r.Max(e => e.Path.Length))
                .ThenBy(r => r.Count)
                .First();
            errors.Add(new SchemaError(path, $"matches none of the {alternatives.Count} alternatives ({(exactlyOne ? "oneOf" : "anyOf")}); the nearest fails with:"));
            errors.AddRange(nearest);
        }
        else if (exactlyOne && passed.Count > 1)
        {
            errors.Add(new SchemaError(path, $"matches alternatives {string.Join(", ", passed)} of a oneOf; it must match exactly one."));
        }
    }

    private static bool IsChild(string candidate, string parent) =>
        candidate.Length > parent.Length + 1 && candidate.StartsWith(parent + ".", StringComparison.Ordinal) && candidate.IndexOfAny(['.', '['], parent.Length + 1) < 0;

    private static void CheckFormat(JsonNode? instance, string format, string path, List<SchemaError> errors)
    {
        var value = instance as JsonValue;
        var ok = format switch
        {
            "int32" => Number(value) is not { } n || (n == decimal.Truncate(n) && n is >= int.MinValue and <= int.MaxValue),
            "int64" => Number(value) is not { } n || (n == decimal.Truncate(n) && n is >= long.MinValue and <= long.MaxValue),
            "double" => true,
            "snowflake" => Text(value) is not { } t || ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out _),
            "nonce" => true, // Discord's name for "any string up to 25 characters": maxLength beside it says the rest.
            "date-time" => Text(value) is not { } d || DateTimeOffset.TryParseExact(d, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "uri" => Text(value) is not { } u || Uri.TryCreate(u, UriKind.Absolute, out _),
            _ => throw new NotSupportedException($"The validator does not understand format '{format}' (at {path})."),
        };
        if (!ok) errors.Add(new SchemaError(path, $"{Show(instance)} is not a valid {format}."));
    }

    private static void CheckEncoding(string text, string encoding, string path, List<SchemaError> errors)
    {
        switch (encoding)
        {
            case "base64":
                // Discord's image fields carry a data URI ("data:image/png;base64,…"); the part after the comma is base64.
                var data = text.StartsWith("data:", StringComparison.Ordinal) && text.IndexOf(',', StringComparison.Ordinal) is var comma and > 0 ? text[(comma + 1)..] : text;
                if (!Convert.TryFromBase64String(data, new byte[data.Length], out _)) errors.Add(new SchemaError(path, "is not base64."));
                break;
            case "binary":
                // Raw bytes: only meaningful in a multipart part, never a constraint on a JSON string.
                break;
            default:
                throw new NotSupportedException($"The validator does not understand contentEncoding '{encoding}' (at {path}).");
        }
    }

    private JsonNode Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) throw new NotSupportedException($"Only local references are supported, not {reference}.");
        JsonNode? node = Document;
        foreach (var raw in reference[2..].Split('/'))
        {
            var key = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node is JsonObject obj && obj.TryGetPropertyValue(key, out var next) ? next : throw new InvalidOperationException($"The spec has no {reference}.");
        }
        return node ?? throw new InvalidOperationException($"{reference} is null in the spec.");
    }

    private Regex Pattern(string pattern) => _patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    private static bool HasType(JsonNode? instance, string type) => type switch
    {
        "null" => instance is null,
        "object" => instance is JsonObject,
        "array" => instance is JsonArray,
        "string" => instance is JsonValue v && Text(v) is not null,
        "boolean" => instance is JsonValue v && v.TryGetValue<bool>(out _),
        "number" => instance is JsonValue v && Number(v) is not null,
        "integer" => instance is JsonValue v && Number(v) is { } n && n == decimal.Truncate(n),
        _ => throw new NotSupportedException($"The validator does not understand the type '{type}'."),
    };

    private static string KindOf(JsonNode? instance) => instance switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v when Text(v) is not null => "a string",
        JsonValue v when v.TryGetValue<bool>(out _) => "a boolean",
        _ => "a number",
    };

    /// <summary>JSON Schema equality: numbers by value (1 equals 1.0), objects by their members, arrays in order.</summary>
    private static bool Same(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonValue x, JsonValue y) when Number(x) is { } m && Number(y) is { } n => m == n,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var other) && Same(p.Value, other)),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second)),
        _ => JsonNode.DeepEquals(a, b),
    };

    private static string? Text(JsonValue? value) => value is not null && value.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A JSON number as a decimal (the spec's int64 bounds fit), or null for any other value.</summary>
    private static decimal? Number(JsonValue? value)
    {
        if (value is null || value.GetValueKind() != System.Text.Json.JsonValueKind.Number) return null;
        return decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : (decimal)value.GetValue<double>();
    }

    private static int Int(JsonNode value) => value.GetValue<int>();

    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    private static string Show(JsonNode? instance) => instance is null ? "null" : Cut(instance.ToJsonString());

    private static string Cut(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
