using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TeamBot.Chat.BotFramework.Activities;
using TeamBot.Chat.BotFramework.Adapter;
using TeamBot.Chat.BotFramework.Auth;
using TeamBot.Chat.BotFramework.Connector;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.BotFramework;

public static class BotFrameworkServiceCollectionExtensions
{
    /// <summary>The Bot Framework channels TeamBot serves, by platform name (Teams is <c>teams</c>, the others their channel id).</summary>
    public static readonly IReadOnlyList<string> Platforms = [BotFrameworkInbound.TeamsPlatform, "slack", "webchat", "directline", "emulator"];

    /// <summary>Adds the check of inbound channel tokens (the signing keys of <see cref="BotFrameworkOptions.OpenIdMetadataUrl"/>).</summary>
    public static IServiceCollection AddBotFrameworkAuth(this IServiceCollection services, BotFrameworkOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ChannelSigningKeys(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = ChannelSigningKeys.FetchTimeout },
            options.OpenIdMetadataUrl,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ChannelSigningKeys>>()));
        services.AddSingleton<ChannelTokenValidator>();
        return services;
    }

    /// <summary>
    /// Adds the whole Bot Framework adapter: token checks, the Connector client, the conversation references, one chat
    /// platform per channel and the adapter behind <c>POST /api/messages</c> (map it with
    /// <see cref="BotFrameworkEndpoint.MapBotFramework"/>).
    /// </summary>
    public static IServiceCollection AddBotFramework(this IServiceCollection services, BotFrameworkOptions options)
    {
        services.AddBotFrameworkAuth(options);
        services.AddBotFrameworkConnector(options);
        services.AddSingleton<BotFrameworkAddresses>();
        foreach (var name in Platforms)
        {
            services.AddSingleton<IChatPlatform>(sp => new BotFrameworkChatPlatform(
                name,
                sp.GetRequiredService<ConnectorClient>(),
                sp.GetRequiredService<BotFrameworkAddresses>(),
                sp.GetRequiredService<ILogger<BotFrameworkChatPlatform>>()));
        }
        services.TryAddSingleton(BotFrameworkTiming.Default);
        services.AddSingleton<BotFrameworkAdapter>();
        services.AddHostedService<BotFrameworkDrain>();
        return services;
    }
}

/// <summary>At shutdown, lets activities still being handled finish (within the host's shutdown timeout).</summary>
internal sealed class BotFrameworkDrain(BotFrameworkAdapter adapter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => adapter.DrainAsync().WaitAsync(cancellationToken);
}
