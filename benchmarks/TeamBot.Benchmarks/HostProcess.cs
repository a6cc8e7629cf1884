using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TeamBot.Benchmarks;

/// <summary>
/// A TeamBot host in its own process, on a free loopback port with its own data folder, started the way <c>teambot</c>
/// runs (the runtime settings of its runtimeconfig, the repository's example configuration), and measured from outside:
/// readiness and memory.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    public const string ApiKey = "bench-key-0123456789abcdef";

    private const string HostPrefix = "TEAMBOT_BENCH_HOST_";

    private readonly Process _process;

    private HostProcess(Process process, string url, string dataDirectory, TimeSpan startup)
    {
        _process = process;
        Url = url;
        DataDirectory = dataDirectory;
        StartupToReady = startup;
    }

    public string Url { get; }

    public string DataDirectory { get; }

    /// <summary>From starting the process to the first healthy /healthz.</summary>
    public TimeSpan StartupToReady { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// The harness's own executable plays the host, with the harness's runtimeconfig: teambot's runtime settings reach it
    /// as the environment variables the runtime reads for them, with the values teambot.runtimeconfig.json gives.
    /// </summary>
    private static IEnumerable<(string Name, string Value)> TeambotRuntimeKnobs()
    {
        (string Property, string Variable)[] knobs =
        [
            ("System.GC.Server", "DOTNET_gcServer"),
            ("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"),
            ("System.Runtime.TieredPGO", "DOTNET_TieredPGO"),
        ];
        var path = Path.Combine(AppContext.BaseDirectory, "teambot.runtimeconfig.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: build the harness again (it copies teambot's runtimeconfig beside itself).", path);
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
        if (!config.RootElement.TryGetProperty("runtimeOptions", out var options) || !options.TryGetProperty("configProperties", out var properties)) yield break;
        foreach (var (property, variable) in knobs)
        {
            if (!properties.TryGetProperty(property, out var value)) continue;
            var text = value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : value.GetRawText();
            yield return (variable, text switch
            {
                "true" => "1",
                "false" => "0",
                _ => text ?? "",
            });
        }
    }

    public static async Task<HostProcess> StartAsync(
        string repositoryRoot, string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, HostLaunch? launch = null)
    {
        launch ??= HostLaunch.Harness;
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo(launch.Executable)
        {
            WorkingDirectory = repositoryRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in launch.Arguments.Concat(["--urls", url])) start.ArgumentList.Add(arg);
        foreach (var (name, value) in TeambotRuntimeKnobs()) start.Environment[name] = value;
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["TEAMBOT_LOCAL_API_KEY"] = ApiKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        // Experiments: TEAMBOT_BENCH_HOST_<NAME>=<value> reaches the host as <NAME>=<value> (a setting or a runtime knob).
        foreach (var entry in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
        {
            if (entry.Key is string name && name.StartsWith(HostPrefix, StringComparison.Ordinal)) start.Environment[name[HostPrefix.Length..]] = entry.Value as string;
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("host: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The TeamBot host exited with code {process.ExitCode} while starting.");
            try
            {
                using var response = await http.GetAsync(url + "/healthz");
                if (response.StatusCode == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("The TeamBot host was not ready within 2 minutes.");
            await Task.Delay(10);
        }
        return new HostProcess(process, url, dataDirectory, clock.Elapsed);
    }

    /// <summary>Resident memory now (VmRSS), in MB.</summary>
    public double RssMegabytes => Status("VmRSS");

    /// <summary>The most resident memory the process has had (VmHWM), in MB.</summary>
    public double PeakRssMegabytes => Status("VmHWM");

    private double Status(string field) => ProcStatus.Read($"/proc/{_process.Id}/status").GetValueOrDefault(field, double.NaN) / 1024;

    /// <summary>SIGKILL, as a crash or the OOM killer would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
