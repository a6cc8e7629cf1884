using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TeamBot.Chat.BotFramework.Adapter;
using TeamBot.Chat.BotFramework.Cards;
using TeamBot.Chat.BotFramework.Connector;
using TeamBot.Core.Chat;
using TeamBot.Testing;
using TeamBot.Testing.BotFramework;

namespace TeamBot.Chat.BotFramework.Tests;

/// <summary>Posting through the platform adapter to a loopback Connector API.</summary>
public sealed class BotFrameworkPostTests : IAsyncLifetime, IDisposable
{
    private const string Conversation = "19:ad9b1c3e2f@thread.tacv2";

    private readonly ManualTimeProvider _clock = new() { AutoAdvance = true };
    private readonly HttpClient _http = new();
    private readonly TrustedServiceUrls _trusted = new();
    private FakeConnector _server = null!;
    private BotFrameworkChatPlatform _platform = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeConnector.StartAsync(_clock);
        _trusted.Trust(_server.ServiceUrl);
        var options = new BotFrameworkOptions { AppId = _server.AppId, AppPassword = _server.AppPassword, TokenEndpoint = _server.TokenEndpoint };
        var connector = new ConnectorClient(_http, new BotTokenProvider(_http, options, _clock, NullLogger<BotTokenProvider>.Instance), _trusted, _clock, NullLogger<ConnectorClient>.Instance);
        _services = new ServiceCollection().AddSingleton<IChatAddressStore, MemoryAddressStore>().BuildServiceProvider();
        var addresses = new BotFrameworkAddresses(_services.GetRequiredService<IServiceScopeFactory>(), _trusted);
        await addresses.SaveAsync(Place, new ConversationAddress(_server.ServiceUrl, "msteams", Conversation, "channel", null, "28:bot", "TeamBot", Authenticated: true), default);
        _platform = new BotFrameworkChatPlatform("teams", connector, addresses, NullLogger<BotFrameworkChatPlatform>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _services.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    private static PlaceRef Place => new("teams", "ws", Conversation);

    [Fact]
    public async Task ALongText_WhoseSecondPartFailed_IsFinishedByTheRetry_NotPostedWholeAgain()
    {
        var text = string.Join("\n\n", Enumerable.Range(1, 3).Select(i => $"Part {i} " + new string('x', TeamsMessages.TextBudget - 100)));
        Assert.Equal(3, TeamsMessages.Build(new OutgoingMessage(text)).Count);
        // The second part meets an outage longer than the Connector client's own retries: the outbox will try again later.
        _server.Script(FakeConnector.Normally);
        for (var i = 0; i < ConnectorClient.MaxAttempts; i++) _server.Script(new ConnectorAnswer(503));

        var failed = await Assert.ThrowsAsync<ChatPlatformException>(() => _platform.PostAsync(Place, new OutgoingMessage(text), "outbox-7", default));
        Assert.True(failed.Transient);
        var posted = await _platform.PostAsync(Place, new OutgoingMessage(text), "outbox-7", default);

        // Each part once, in order, and the post is known by its first part.
        var taken = _server.Calls.Where(c => c.Method == "POST" && c.Status < 300).Select(c => c.Json!["text"]!.GetValue<string>()[..6]).ToList();
        Assert.Equal(["Part 1", "Part 2", "Part 3"], taken);
        Assert.Equal(3 + ConnectorClient.MaxAttempts, _server.Calls.Count(c => c.Method == "POST"));
        Assert.StartsWith("Part 1", _server.Activity(Conversation, posted.MessageId)!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        // Another message with the same text is another post: it goes out whole.
        await _platform.PostAsync(Place, new OutgoingMessage(text), "outbox-8", default);
        Assert.Equal(6 + ConnectorClient.MaxAttempts, _server.Calls.Count(c => c.Method == "POST"));
    }

    private sealed class MemoryAddressStore : IChatAddressStore
    {
        private readonly Dictionary<PlaceRef, string> _addresses = [];

        public Task SaveAsync(PlaceRef place, string address, CancellationToken cancellationToken)
        {
            lock (_addresses) _addresses[place] = address;
            return Task.CompletedTask;
        }

        public Task<string?> FindAsync(PlaceRef place, CancellationToken cancellationToken)
        {
            lock (_addresses) return Task.FromResult(_addresses.GetValueOrDefault(place));
        }

        public Task<string?> FindWorkspaceAsync(string platform, string placeId, CancellationToken cancellationToken)
        {
            lock (_addresses) return Task.FromResult(_addresses.Keys.LastOrDefault(p => p.Platform == platform && p.Id == placeId)?.Workspace);
        }

        public Task<string?> FindLatestAsync(string platform, string workspaceId, CancellationToken cancellationToken)
        {
            lock (_addresses) return Task.FromResult<string?>(_addresses.LastOrDefault(a => a.Key.Platform == platform && a.Key.Workspace == workspaceId).Value);
        }
    }
}
