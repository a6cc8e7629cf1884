namespace TeamBot.Core.Leads;

/// <summary>Validation errors by field path, e.g. <c>leads[3].email</c>.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Count;

    /// <summary>Longest path echoed back: a path holds names from the request, and a 1 MB name is not repeated in full.</summary>
    public const int MaxPathLength = 200;

    public void Add(string path, string message)
    {
        path = Cap(path);
        if (!_errors.TryGetValue(path, out var list))
        {
            list = [];
            _errors[path] = list;
        }
        list.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public IEnumerable<(string Path, string Message)> All =>
        _errors.SelectMany(e => e.Value.Select(m => (e.Key, m)));

    /// <summary><paramref name="path"/>, cut to <see cref="MaxPathLength"/> characters and an ellipsis when longer.</summary>
    public static string Cap(string path)
    {
        if (path.Length <= MaxPathLength) return path;
        var cut = char.IsHighSurrogate(path[MaxPathLength - 1]) ? MaxPathLength - 1 : MaxPathLength;
        return path[..cut] + "…";
    }

    public static string Join(string prefix, string field) => prefix.Length == 0 ? field : $"{prefix}.{field}";
}

/// <summary>A path prefix made only when a problem needs it: a fixed text, or a batch's <c>leads[i]</c>.</summary>
internal readonly struct FieldPath
{
    private readonly string? _text;
    private readonly int _lead;

    public FieldPath(string text) => (_text, _lead) = (text, -1);

    private FieldPath(int lead) => (_text, _lead) = (null, lead);

    /// <summary>The lead at <paramref name="index"/> of a batch.</summary>
    public static FieldPath Lead(int index) => new(index);

    public string Join(string field) => FieldErrors.Join(ToString(), field);

    public override string ToString() => _text ?? (_lead < 0 ? "" : $"leads[{_lead}]");
}
