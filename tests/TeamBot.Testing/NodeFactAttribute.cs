using Xunit;

namespace TeamBot.Testing;

/// <summary>
/// A fact that runs only where Node.js and npm are on PATH (the Bot Framework conformance test runs Microsoft's JavaScript
/// SDK as the channel). Anything else that goes wrong with node, npm or the SDK fails the test instead of skipping it.
/// </summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        var missing = new[] { "node", "npm" }.Where(tool => FindOnPath(tool) is null).ToList();
        if (missing.Count > 0) Skip = $"{string.Join(" and ", missing)} not on PATH: the Bot Framework conformance test needs Node.js with npm.";
    }

    /// <summary>The full path of an executable on PATH (with the Windows extensions where they apply), or null.</summary>
    public static string? FindOnPath(string tool)
    {
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", ".bat" } : [""];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(dir.Trim(), tool + extension);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
