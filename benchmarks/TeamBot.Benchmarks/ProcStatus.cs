using System.Globalization;

namespace TeamBot.Benchmarks;

/// <summary>A process's <c>/proc/&lt;pid&gt;/status</c>: its numeric fields by name (memory in kB), read in one pass.</summary>
internal static class ProcStatus
{
    public static Dictionary<string, double> Read(string path)
    {
        var fields = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            var value = line[(colon + 1)..].Trim().Split(' ')[0];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) fields[line[..colon]] = number;
        }
        return fields;
    }
}
