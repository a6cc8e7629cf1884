using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>Adds Discord as a chat platform TeamBot can post to (the outbox, the command-line tools).</summary>
    public static IServiceCollection AddDiscord(this IServiceCollection services, DiscordOptions options)
    {
        services.TryAddSingleton(options);
        services.AddSingleton<DiscordGuilds>();
        services.AddSingleton<DiscordStatus>();
        services.TryAddSingleton(DiscordBotTiming.Default);
        services.AddSingleton(sp => new DiscordRestClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) },
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordRestClient>>()));
        services.AddSingleton<DiscordDirects>();
        services.AddSingleton<DiscordChatPlatform>();
        services.AddSingleton<IChatPlatform>(sp => sp.GetRequiredService<DiscordChatPlatform>());
        services.TryAddScoped<DiscordWorkspaces>();
        return services;
    }

    /// <summary>Adds the gateway connection that brings Discord's events to TeamBot (the running bot only).</summary>
    public static IServiceCollection AddDiscordBot(this IServiceCollection services) => services.AddHostedService<DiscordBot>();
}
