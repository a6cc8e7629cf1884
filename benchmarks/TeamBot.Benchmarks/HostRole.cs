using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TeamBot.Host.Composition;

namespace TeamBot.Benchmarks;

/// <summary>
/// The real TeamBot web host, as <c>teambot</c> runs it, plus one bare endpoint that answers 202 without doing anything:
/// the HTTP ceiling of this process on this machine, measured in the same run as the scenarios.
/// </summary>
internal static class HostRole
{
    public const string CeilingPath = "/bench/ceiling";

    public static async Task<int> RunAsync(string[] args)
    {
        var app = TeamBotHost.BuildServer(args);
        app.MapPost(CeilingPath, () => Results.StatusCode(StatusCodes.Status202Accepted));
        await TeamBotHost.InitializeAsync(app.Services, CancellationToken.None);
        await app.RunAsync();
        return 0;
    }
}
