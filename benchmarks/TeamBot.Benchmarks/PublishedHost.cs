using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TeamBot.Benchmarks;

/// <summary>
/// TeamBot published the way the Docker image and the README's install publish it: Release, framework-dependent,
/// ReadyToRun (compiled ahead of time for this machine's runtime identifier), so start-up is measured as it is deployed.
/// </summary>
internal static class PublishedHost
{
    private static readonly Lock Gate = new();
    private static Task<HostLaunch>? _published;

    /// <summary>
    /// The published <c>teambot</c> executable, in <c>published</c> under the run's <paramref name="work"/> folder: published
    /// once per run, however many scenarios start it.
    /// </summary>
    public static Task<HostLaunch> PublishedAsync(string repositoryRoot, string work)
    {
        lock (Gate) return _published ??= PublishAsync(repositoryRoot, Path.Combine(work, "published"));
    }

    private static async Task<HostLaunch> PublishAsync(string repositoryRoot, string directory)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repositoryRoot, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     "publish", "src/TeamBot.Host/TeamBot.Host.csproj", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier,
                     "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", directory, "--nologo",
                 })
        {
            start.ArgumentList.Add(arg);
        }
        Console.Error.WriteLine($"publishing TeamBot (ReadyToRun, {RuntimeInformation.RuntimeIdentifier}) to {directory}");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await output}{await errors}");
        Console.Error.WriteLine($"published in {clock.Elapsed.TotalSeconds:0} s");
        return new HostLaunch(Path.Combine(directory, "teambot"), []);
    }
}

/// <summary>How to start a TeamBot host: an executable and the arguments before <c>--urls</c>.</summary>
internal sealed record HostLaunch(string Executable, IReadOnlyList<string> Arguments)
{
    /// <summary>The harness itself in its host role (<see cref="HostRole"/>): the development build, JIT-compiled.</summary>
    public static HostLaunch Harness => new(Environment.ProcessPath!, ["host"]);
}
