using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Host.Composition;
using TeamBot.Testing;

namespace TeamBot.Benchmarks;

/// <summary>
/// The real TeamBot web host, as <c>teambot</c> runs it, plus one bare endpoint that answers 202 without doing anything:
/// the HTTP ceiling of this process on this machine, measured in the same run as the scenarios.
/// </summary>
internal static class HostRole
{
    public const string CeilingPath = "/bench/ceiling";

    /// <summary>"factor;epoch in Unix ms": the host runs on a clock that many times faster than real time since that epoch.</summary>
    public const string ClockVariable = "TEAMBOT_BENCH_CLOCK";

    public static async Task<int> RunAsync(string[] args)
    {
        var app = TeamBotHost.BuildServer(args, builder =>
        {
            if (Environment.GetEnvironmentVariable(ClockVariable) is { } clock) builder.Services.AddSingleton<TimeProvider>(ScaledClock(clock));
        });
        app.MapPost(CeilingPath, () => Results.StatusCode(StatusCodes.Status202Accepted));
        await TeamBotHost.InitializeAsync(app.Services, CancellationToken.None);
        await app.RunAsync();
        return 0;
    }

    /// <summary>The clock a scenario shares with its fake platform, from <see cref="ClockVariable"/>.</summary>
    public static string ClockSetting(double factor, DateTimeOffset epoch) =>
        string.Create(CultureInfo.InvariantCulture, $"{factor};{epoch.ToUnixTimeMilliseconds()}");

    private static ScaledTimeProvider ScaledClock(string setting)
    {
        var parts = setting.Split(';');
        return new ScaledTimeProvider(double.Parse(parts[0], CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture)));
    }
}
