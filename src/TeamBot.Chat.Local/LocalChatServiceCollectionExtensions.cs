using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Local;

public static class LocalChatServiceCollectionExtensions
{
    /// <summary>Adds the built-in web chat as a chat platform.</summary>
    public static IServiceCollection AddLocalChat(this IServiceCollection services, LocalChatOptions options, string databasePath)
    {
        services.AddSingleton(options);
        services.AddSingleton<LocalChatDirectory>();
        services.AddSingleton<LocalChatAccess>();
        services.AddSingleton(_ => new LocalChatStore(databasePath));
        services.AddSingleton<LocalChatEvents>();
        services.AddSingleton<LocalChatPlatform>();
        services.AddSingleton<IChatPlatform>(sp => sp.GetRequiredService<LocalChatPlatform>());
        services.AddScoped<LocalChatServices>();
        return services;
    }
}
