using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using TeamBot.Chat.Discord.Gateway;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Testing;
using TeamBot.Testing.Discord;

namespace TeamBot.Chat.Discord.Tests;

/// <summary>The gateway client against a loopback gateway; heartbeats and waits run on a hand-moved clock.</summary>
public sealed class GatewayClientTests : IAsyncLifetime, IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly ConcurrentQueue<GatewayEvent> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private FakeDiscordGateway _gateway = null!;
    private DiscordGatewayClient _client = null!;
    private Task _run = Task.CompletedTask;
    private int _discoveries;

    public async Task InitializeAsync()
    {
        _gateway = await FakeDiscordGateway.StartAsync();
        _client = new DiscordGatewayClient(
            new GatewaySettings("gw-token", TeamBotIntents.For(false), ShardId: 1, ShardCount: 2),
            _ =>
            {
                Interlocked.Increment(ref _discoveries);
                return Task.FromResult(new GatewayBotInfo(_gateway.Url, 2, new SessionStartLimit(1000, 999, TimeSpan.FromHours(1), 1)));
            },
            (e, _) =>
            {
                _events.Enqueue(e);
                return Task.CompletedTask;
            },
            _clock, () => 0.25, NullLogger<DiscordGatewayClient>.Instance);
        _run = _client.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (DiscordGatewayFatalException)
        {
        }
        await _gateway.DisposeAsync();
    }

    public void Dispose() => _stop.Dispose();

    private async Task<FakeGatewayConnection> ConnectAndIdentifyAsync(string session = "s1")
    {
        var connection = await _gateway.NextConnectionAsync();
        await connection.HelloAsync();
        await connection.ReceiveAsync(2);
        await connection.ReadyAsync(session, _gateway.ResumeUrl);
        await WaitForAsync(() => _events.OfType<ReadyEvent>().Any(r => r.SessionId == session));
        return connection;
    }

    /// <summary>Moves the clock on in steps until the client opens its next connection (it waits on the clock before re-identifying).</summary>
    private async Task<FakeGatewayConnection> AdvanceUntilConnectionAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            try
            {
                return await _gateway.NextConnectionAsync(TimeSpan.FromMilliseconds(100));
            }
            catch (OperationCanceledException)
            {
            }
        }
        throw new TimeoutException("The client did not reconnect.");
    }

    /// <summary>Moves the clock on until the client sends <paramref name="op"/> (identify waits 5 s after the last one).</summary>
    private async Task<JsonObject> ReceiveAdvancingAsync(FakeGatewayConnection connection, int op)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                return await connection.ReceiveAsync(op, TimeSpan.FromMilliseconds(100));
            }
            catch (OperationCanceledException)
            {
                _clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
        throw new TimeoutException($"The client did not send op {op}.");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not come true in 10 s.");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Connect_UsesV10Json_AndIdentifiesWithIntentsShardAndUserAgent()
    {
        var connection = await _gateway.NextConnectionAsync();
        await connection.HelloAsync();
        var identify = (await connection.ReceiveAsync(2))["d"]!;

        Assert.Equal("?v=10&encoding=json", connection.Query);
        Assert.StartsWith("DiscordBot (", connection.UserAgent, StringComparison.Ordinal);
        Assert.Equal("gw-token", identify["token"]!.GetValue<string>());
        Assert.Equal(5633, identify["intents"]!.GetValue<int>());
        Assert.Equal("[1,2]", identify["shard"]!.ToJsonString());
        Assert.NotNull(identify["properties"]!["os"]);
        Assert.Equal("TeamBot", identify["properties"]!["browser"]!.GetValue<string>());
    }

    [Fact]
    public async Task Heartbeat_FirstAtIntervalTimesJitter_ThenEveryInterval_WithTheLastSequence()
    {
        var connection = await _gateway.NextConnectionAsync();
        await connection.HelloAsync(40_000);
        await connection.ReceiveAsync(2);
        await _clock.WaitForTimersAsync();

        _clock.Advance(TimeSpan.FromMilliseconds(9_999));
        Assert.DoesNotContain(connection.Drain(), p => p["op"]!.GetValue<int>() == 1);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var first = await connection.ReceiveAsync(1);
        Assert.Null(first["d"]);

        await connection.ReadyAsync("s1", _gateway.ResumeUrl);
        await WaitForAsync(() => _client.Sequence == 1);
        await _clock.WaitForTimersAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(40_000));
        var second = await connection.ReceiveAsync(1);
        Assert.Equal(1, second["d"]!.GetValue<int>());
    }

    [Fact]
    public async Task ServerHeartbeatRequest_GetsAnImmediateHeartbeat()
    {
        var connection = await ConnectAndIdentifyAsync();

        await connection.SendAsync(new JsonObject { ["op"] = 1, ["d"] = null });

        Assert.Equal(1, (await connection.ReceiveAsync(1))["d"]!.GetValue<int>());
    }

    [Fact]
    public async Task MissedAck_ClosesWithoutEndingTheSession_ThenResumesAndReplays()
    {
        var first = await ConnectAndIdentifyAsync();
        first.AutoAck = false;
        await first.DispatchAsync("MESSAGE_CREATE", Message(1));
        await WaitForAsync(() => _client.Sequence == 2);
        await _clock.WaitForTimersAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(41250 * 0.25));
        await first.ReceiveAsync(1);
        await _clock.WaitForTimersAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(41250));

        var closed = await first.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(1000, closed);
        Assert.NotEqual(1001, closed);

        var second = await _gateway.NextConnectionAsync();
        Assert.Equal("/resume/", second.Path);
        Assert.Equal("?v=10&encoding=json", second.Query);
        await second.HelloAsync();
        var resume = (await second.ReceiveAsync(6))["d"]!;
        Assert.Equal("s1", resume["session_id"]!.GetValue<string>());
        Assert.Equal(2, resume["seq"]!.GetValue<int>());
        Assert.Equal("gw-token", resume["token"]!.GetValue<string>());

        second.ContinueSequenceFrom(2);
        await second.DispatchAsync("MESSAGE_CREATE", Message(2));
        await second.DispatchAsync("RESUMED", []);
        await WaitForAsync(() => _events.OfType<ResumedEvent>().Any());
        Assert.Equal([1UL, 2UL], _events.OfType<MessageCreatedEvent>().Select(m => m.Id));
        Assert.DoesNotContain(second.Drain(), p => p["op"]!.GetValue<int>() == 2);
        Assert.Equal(2, _discoveries); // the URL once, and the session-start limit before the only identify
    }

    [Fact]
    public async Task Reconnect_Op7_Resumes()
    {
        var first = await ConnectAndIdentifyAsync();

        await first.SendAsync(new JsonObject { ["op"] = 7, ["d"] = null });

        Assert.NotEqual(1000, await first.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        var second = await _gateway.NextConnectionAsync();
        await second.HelloAsync();
        Assert.Equal("s1", (await second.ReceiveAsync(6))["d"]!["session_id"]!.GetValue<string>());
        Assert.Equal("/resume/", second.Path);
    }

    [Fact]
    public async Task InvalidSession_True_Resumes_False_IdentifiesOnTheDiscoveryUrl()
    {
        var first = await ConnectAndIdentifyAsync();
        await first.SendAsync(new JsonObject { ["op"] = 9, ["d"] = true });
        var second = await _gateway.NextConnectionAsync();
        await second.HelloAsync();
        await second.ReceiveAsync(6);

        await second.SendAsync(new JsonObject { ["op"] = 9, ["d"] = false });
        var third = await AdvanceUntilConnectionAsync();
        Assert.Equal("/", third.Path);
        await third.HelloAsync();
        Assert.Equal("gw-token", (await ReceiveAdvancingAsync(third, 2))["d"]!["token"]!.GetValue<string>());
        Assert.Null(_client.SessionId);
    }

    [Theory]
    [InlineData(4004)]
    [InlineData(4010)]
    [InlineData(4011)]
    [InlineData(4012)]
    [InlineData(4013)]
    [InlineData(4014)]
    public async Task FatalCloseCodes_StopWithAClearError(int code)
    {
        var connection = await ConnectAndIdentifyAsync();

        await connection.CloseAsync(code);

        var error = await Assert.ThrowsAsync<DiscordGatewayFatalException>(() => _run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(code, error.CloseCode);
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gw-token", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4003)]
    [InlineData(4007)]
    [InlineData(4009)]
    public async Task SessionEndingCloseCodes_Reidentify(int code)
    {
        var connection = await ConnectAndIdentifyAsync();

        await connection.CloseAsync(code);

        var next = await AdvanceUntilConnectionAsync();
        Assert.Equal("/", next.Path);
        await next.HelloAsync();
        await ReceiveAdvancingAsync(next, 2);
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(4002)]
    [InlineData(4005)]
    [InlineData(1001)]
    public async Task OtherCloseCodes_Resume(int code)
    {
        var connection = await ConnectAndIdentifyAsync();

        await connection.CloseAsync(code);

        var next = await _gateway.NextConnectionAsync();
        Assert.Equal("/resume/", next.Path);
        await next.HelloAsync();
        await next.ReceiveAsync(6);
    }

    [Fact]
    public async Task Shutdown_ClosesWith1000()
    {
        var connection = await ConnectAndIdentifyAsync();

        await _stop.CancelAsync();

        Assert.Equal(1000, await connection.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnEventSplitOverSeveralFrames_IsDecodedWhole()
    {
        var connection = await ConnectAndIdentifyAsync();

        await connection.DispatchAsync("MESSAGE_CREATE", Message(77, new string('x', 3000)), frames: 4);

        await WaitForAsync(() => _events.OfType<MessageCreatedEvent>().Any());
        var message = _events.OfType<MessageCreatedEvent>().Single();
        Assert.Equal(77UL, message.Id);
        Assert.Equal(3000, message.Content.Length);
    }

    [Fact]
    public async Task AnEventLargerThanTheReceiveBuffer_IsDecodedWhole_AndSoIsTheNextOne()
    {
        var connection = await ConnectAndIdentifyAsync();
        var text = string.Concat(Enumerable.Repeat("Grüße 🔥 ", 2500));

        await connection.DispatchAsync("MESSAGE_CREATE", Message(78, text), frames: 7);
        await connection.DispatchAsync("MESSAGE_CREATE", Message(79, "after"));

        await WaitForAsync(() => _events.OfType<MessageCreatedEvent>().Count() == 2);
        var messages = _events.OfType<MessageCreatedEvent>().ToList();
        Assert.Equal(text, messages[0].Content);
        Assert.Equal((79UL, "after"), (messages[1].Id, messages[1].Content));
    }

    private static JsonObject Message(ulong id, string content = "hello") => new()
    {
        ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["channel_id"] = "10",
        ["guild_id"] = "20",
        ["content"] = content,
        ["author"] = new JsonObject { ["id"] = "30", ["username"] = "sam" },
        ["member"] = new JsonObject { ["roles"] = new JsonArray("40") },
        ["mentions"] = new JsonArray(),
    };
}
