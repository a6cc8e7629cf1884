using System.Text.RegularExpressions;

namespace TeamBot.Host.Tests;

/// <summary>No Docker engine runs in CI, so what the image build needs from the repository is checked here.</summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public void TheRestoreLayer_CopiesEveryProjectTheHostIsBuiltFrom()
    {
        var root = RepositoryRoot();
        var dockerfile = File.ReadAllText(Path.Combine(root, "Dockerfile"));
        var restore = dockerfile[..dockerfile.IndexOf("RUN dotnet restore", StringComparison.Ordinal)];
        var copied = CopiedProject().Matches(restore).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        var needed = ProjectsOf(Path.Combine(root, "src", "TeamBot.Host", "TeamBot.Host.csproj"))
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Contains("src/TeamBot.Host/TeamBot.Host.csproj", needed);
        Assert.All(needed, project => Assert.True(copied.Contains(project), $"The Dockerfile restores without {project}: add a COPY line for it before `dotnet restore`."));
    }

    /// <summary>The project and every project it references, directly or not.</summary>
    private static HashSet<string> ProjectsOf(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next)) continue;
            foreach (Match reference in ProjectReference().Matches(File.ReadAllText(next)))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, reference.Groups[1].Value)));
            }
        }
        return found;
    }

    private static string RepositoryRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "TeamBot.sln"))) directory = Path.GetDirectoryName(directory)!;
        return directory;
    }

    [GeneratedRegex("""^COPY\s+(\S+\.csproj)\s""", RegexOptions.Multiline)]
    private static partial Regex CopiedProject();

    [GeneratedRegex("""<ProjectReference\s+Include="([^"]+)"\s*/>""")]
    private static partial Regex ProjectReference();
}
