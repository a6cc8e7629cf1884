using Microsoft.Extensions.DependencyInjection;
using TeamBot.Chat.BotFramework.Connector;
using TeamBot.Testing;
using TeamBot.Testing.BotFramework;

namespace TeamBot.Chat.BotFramework.Tests;

public sealed class ConnectorServicesTests
{
    [Fact]
    public async Task AddBotFrameworkConnector_GivesAClientThatSendsToATrustedServiceUrlWithTheConfiguredCredentials()
    {
        await using var server = await FakeConnector.StartAsync(new ManualClock());
        var options = new BotFrameworkOptions { AppId = server.AppId, AppPassword = server.AppPassword, TokenEndpoint = server.TokenEndpoint };
        await using var provider = new ServiceCollection().AddLogging().AddBotFrameworkConnector(options).BuildServiceProvider();
        provider.GetRequiredService<TrustedServiceUrls>().Trust(server.ServiceUrl);

        var sent = await provider.GetRequiredService<ConnectorClient>().SendToConversationAsync(server.ServiceUrl, "a:1", new OutgoingActivity { Text = "hi" });

        Assert.NotNull(sent.Id);
        Assert.Equal("Bearer token-1", Assert.Single(server.Calls).Authorization);
    }
}
