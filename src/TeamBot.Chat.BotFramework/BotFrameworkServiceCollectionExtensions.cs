using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TeamBot.Chat.BotFramework.Auth;

namespace TeamBot.Chat.BotFramework;

public static class BotFrameworkServiceCollectionExtensions
{
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
}
