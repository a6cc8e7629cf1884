using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TeamBot.Host.Tests;

/// <summary>Keys and tokens are compared, never logged: a generated key goes to an owner-only file, not to the log.</summary>
public sealed class SecretLoggingTests
{
    [Fact]
    public async Task GeneratedKey_IsWrittenToAnOwnerOnlyFile_AndNoKeyOrTokenIsEverLogged()
    {
        const string token = "local-access-token-0123456789";
        var logs = new CapturingLoggerProvider();
        await using var host = await TestHost.StartAsync(s =>
        {
            s.Remove("TEAMBOT_LOCAL_API_KEY");
            s["Logging:LogLevel:Default"] = "Debug";
            s["Local:AccessToken"] = token;
        }, services: services => services.AddSingleton<ILoggerProvider>(logs));

        var file = Path.Combine(host.DataDirectory, Composition.Startup.GeneratedApiKeyFile);
        // As `$(cat data/local-api-key)` reads it: every byte but the final line break (a BOM would be part of the key).
        var key = System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)).TrimEnd('\r', '\n');
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync("""{"email":"jane@acme.com"}""", key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.PostLeadsAsync("""{"email":"jane@acme.com"}""", "wrong-key-0123456789abcdef")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.PostLeadsAsync("""{"email":"jane@acme.com"}""", token)).StatusCode);

        Assert.Contains(logs.Lines, l => l.Contains(file, StringComparison.Ordinal));
        foreach (var secret in new[] { key, token, "wrong-key-0123456789abcdef" })
        {
            Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
