using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace TeamBot.Chat.BotFramework.Connector;

public static class ConnectorServiceCollectionExtensions
{
    /// <summary>How long one Connector or token request may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adds the outbound side: the token provider, the set of trusted service URLs (fed by the inbound endpoint after a
    /// valid channel token) and the Connector client, sharing one pooled HttpClient.
    /// </summary>
    public static IServiceCollection AddBotFrameworkConnector(this IServiceCollection services, BotFrameworkOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton(nameof(ConnectorClient), (_, _) =>
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = RequestTimeout });
        services.AddSingleton(sp => new BotTokenProvider(
            sp.GetRequiredKeyedService<HttpClient>(nameof(ConnectorClient)),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BotTokenProvider>>()));
        services.AddSingleton<TrustedServiceUrls>();
        services.AddSingleton(sp => new ConnectorClient(
            sp.GetRequiredKeyedService<HttpClient>(nameof(ConnectorClient)),
            sp.GetRequiredService<BotTokenProvider>(),
            sp.GetRequiredService<TrustedServiceUrls>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConnectorClient>>()));
        return services;
    }
}
