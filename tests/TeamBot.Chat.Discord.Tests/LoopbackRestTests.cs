using Microsoft.Extensions.Logging.Abstractions;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Testing;
using TeamBot.Testing.Discord;

namespace TeamBot.Chat.Discord.Tests;

/// <summary>Tests that talk to a fresh loopback Discord REST per test; waits run on a jumping clock.</summary>
public abstract class LoopbackRestTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();

    protected ManualTimeProvider Clock { get; } = new() { AutoAdvance = true };

    protected FakeDiscordRest Fake { get; private set; } = null!;

    public async Task InitializeAsync() => Fake = await FakeDiscordRest.StartAsync(Clock);

    public async Task DisposeAsync() => await Fake.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    protected DiscordRestClient Client(string? token = null, DiscordRestSettings? settings = null) =>
        new(_http, new DiscordOptions { Token = token ?? Fake.Token, ApiBaseUrl = Fake.ApiBaseUrl }, Clock, NullLogger<DiscordRestClient>.Instance, settings);
}
