using Microsoft.Extensions.DependencyInjection;
using TeamBot.Chat.BotFramework.Auth;
using TeamBot.Testing.BotFramework;

namespace TeamBot.Chat.BotFramework.Tests;

public sealed class BotFrameworkServicesTests
{
    [Fact]
    public async Task AddBotFrameworkAuth_GivesAValidatorThatFetchesTheConfiguredKeys()
    {
        await using var server = await FakeBotFrameworkKeys.StartAsync();
        using var key = new ChannelKey("key-1", ["msteams"]);
        server.Publish(key);
        const string appId = "5b2f6c1e-8d4a-4c3e-9f7a-1e2d3c4b5a69";
        var options = new BotFrameworkOptions { AppId = appId, AppPassword = "s3cret", OpenIdMetadataUrl = server.MetadataUrl };
        await using var provider = new ServiceCollection().AddLogging().AddBotFrameworkAuth(options).BuildServiceProvider();
        var claims = ChannelKey.Claims(appId, "https://smba.trafficmanager.net/amer/", TimeProvider.System.GetUtcNow());

        var result = await provider.GetRequiredService<ChannelTokenValidator>()
            .ValidateAsync("Bearer " + key.Mint(claims), "msteams", "https://smba.trafficmanager.net/amer/", CancellationToken.None);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal(1, server.KeySetFetches);
    }
}
