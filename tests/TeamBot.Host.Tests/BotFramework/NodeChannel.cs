using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TeamBot.Testing;

namespace TeamBot.Host.Tests.BotFramework;

/// <summary>A Teams user as the channel knows them (29: id, Entra object id, email).</summary>
public sealed record TeamsUser(string Id, string Name, string AadObjectId, string Email);

/// <summary>
/// Microsoft's JavaScript Bot Framework SDK acting as a Teams channel: <c>node channel.js</c> from
/// tests/conformance/botframework (see its README), installed with <c>npm ci</c> on first use. It serves the Connector
/// API with the SDK's own route handlers and authentication, and posts Teams-shaped activities to a bot on request.
/// </summary>
public sealed class NodeChannel : IAsyncDisposable
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private NodeChannel(Process process, string serviceUrl)
    {
        _process = process;
        ServiceUrl = serviceUrl;
        Http = new HttpClient { BaseAddress = new Uri(serviceUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The channel's own serviceUrl (http://127.0.0.1:PORT/), where the Connector API is.</summary>
    public string ServiceUrl { get; }

    public HttpClient Http { get; }

    /// <summary>What node wrote on stderr (the SDK logs its rejections there); for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public string OpenIdMetadataUrl => ServiceUrl + "v1/.well-known/openidconfiguration";

    public string TokenEndpoint(string? tenantId = null) => ServiceUrl + (tenantId ?? "botframework.com") + "/oauth2/v2.0/token";

    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "tests", "conformance", "botframework");

    public static async Task<NodeChannel> StartAsync()
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo(NodeFactAttribute.FindOnPath("node")!, "channel.js")
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var ready = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(30))) != ready || await ready is not { } line)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("node channel.js printed no port within 30 s: " + await process.StandardError.ReadToEndAsync());
        }
        var serviceUrl = JsonDocument.Parse(line).RootElement.GetProperty("serviceUrl").GetString()!;
        var channel = new NodeChannel(process, serviceUrl);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (channel._log) channel._log.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        // Anything else on stdout is kept too, so that a chatty SDK can never fill the pipe and stall node.
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } more)
            {
                lock (channel._log) channel._log.AppendLine(more);
            }
        });
        return channel;
    }

    /// <summary>Forgets what was recorded and sets the bot's identity (no app id: dev mode, no tokens either way).</summary>
    public async Task ResetAsync(string? appId, string? appPassword, IEnumerable<TeamsUser> members)
    {
        var response = await Http.PostAsJsonAsync("control/reset", new
        {
            appId,
            appPassword,
            members = members.Select(m => new { id = m.Id, name = m.Name, aadObjectId = m.AadObjectId, email = m.Email, userPrincipalName = m.Email }),
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Posts one Teams-shaped activity to the bot; the answer holds status, body, the activity and the SDK's verdict.</summary>
    public async Task<JsonElement> SendAsync(object request)
    {
        var response = await Http.PostAsJsonAsync("control/send", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"the channel could not send: {body}\n{Log}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Every Connector call the bot made: method, path, params, body, authorization scheme, auth verdict, status, response.</summary>
    public async Task<JsonElement[]> CallsAsync() =>
        (await Http.GetFromJsonAsync<JsonElement>("control/calls")).EnumerateArray().ToArray();

    public async Task<JsonElement[]> TokenRequestsAsync() =>
        (await Http.GetFromJsonAsync<JsonElement>("control/tokens")).EnumerateArray().ToArray();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            // Closing its standard input is how channel.js is told to stop.
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    /// <summary>
    /// Runs <c>npm ci</c> unless node_modules matches package-lock.json already (a marker holds the lock file's hash).
    /// One install at a time, in this process and across test processes (a lock file in the temp folder).
    /// </summary>
    private static async Task EnsureInstalledAsync()
    {
        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Folder, "package-lock.json"))));
        var marker = Path.Combine(Folder, "node_modules", ".teambot-npm-ci");
        if (File.Exists(marker) && await File.ReadAllTextAsync(marker) == lockHash) return;

        await InstallGate.WaitAsync();
        try
        {
            var lockPath = Path.Combine(Path.GetTempPath(), $"teambot-npm-ci-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Folder)))[..16]}.lock");
            using var crossProcess = await TakeFileLockAsync(lockPath);
            if (File.Exists(marker) && await File.ReadAllTextAsync(marker) == lockHash) return;

            var start = new ProcessStartInfo(NodeFactAttribute.FindOnPath("npm")!, "ci --no-audit --no-fund --loglevel=error")
            {
                WorkingDirectory = Folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(InstallTimeout);
            try
            {
                await npm.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                npm.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"npm ci in {Folder} took longer than {InstallTimeout.TotalMinutes} minutes.");
            }
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {Folder} failed ({npm.ExitCode}):\n{await output}\n{await errors}");
            }
            await File.WriteAllTextAsync(marker, lockHash);
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<FileStream> TakeFileLockAsync(string path)
    {
        var deadline = DateTime.UtcNow + InstallTimeout + TimeSpan.FromMinutes(1);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TeamBot.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No TeamBot.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>One node channel per test class, started on first use (so a class whose tests all skip starts nothing).</summary>
public sealed class NodeChannelFixture : IAsyncLifetime
{
    private readonly Lazy<Task<NodeChannel>> _channel = new(NodeChannel.StartAsync);

    public Task<NodeChannel> ChannelAsync() => _channel.Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_channel.IsValueCreated) await (await _channel.Value).DisposeAsync();
    }
}
