using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TeamBot.Chat.Discord.Rest;

namespace TeamBot.Chat.Discord.Gateway;

/// <summary>One shard's identity: the token, the intents and which shard of how many.</summary>
public sealed record GatewaySettings(string Token, GatewayIntents Intents, int ShardId = 0, int ShardCount = 1)
{
    /// <summary>Discord:GatewayUrl; null means the URL that discovery returns.</summary>
    public string? GatewayUrl { get; init; }

    public override string ToString() => $"shard {ShardId}/{ShardCount}, intents {(int)Intents}";
}

/// <summary>The gateway closed with a code that must not be retried (bad token, sharding, version or intents).</summary>
public sealed class DiscordGatewayFatalException : Exception
{
    public DiscordGatewayFatalException(int closeCode, string message) : base(message) => CloseCode = closeCode;

    public DiscordGatewayFatalException() : base("The Discord gateway refused the connection.")
    {
    }

    public DiscordGatewayFatalException(string message) : base(message)
    {
    }

    public DiscordGatewayFatalException(string message, Exception inner) : base(message, inner)
    {
    }

    public int CloseCode { get; }
}

/// <summary>
/// One shard's Discord gateway session over ClientWebSocket: Hello, heartbeats with jitter, zombie detection,
/// Identify or Resume, the close-code policy and the send limits. Decoded events go to the handler in order, on
/// their own task, so a slow handler never delays heartbeats; those that <c>takeNow</c> claims skip that line.
/// </summary>
public sealed partial class DiscordGatewayClient(
    GatewaySettings settings,
    Func<CancellationToken, Task<GatewayBotInfo>> discover,
    Func<GatewayEvent, CancellationToken, Task> handler,
    TimeProvider clock,
    Func<double> random,
    ILogger<DiscordGatewayClient> logger,
    IdentifyGate? identifyGate = null,
    Func<GatewayEvent, bool>? takeNow = null)
{
    /// <summary>Our close code when we mean to resume: anything but 1000/1001 keeps the session alive.</summary>
    public const int ResumeCloseCode = 4000;

    private readonly IdentifyGate _gate = identifyGate ?? new IdentifyGate(clock);
    private string? _discoveryUrl;
    private string? _sessionId;
    private string? _resumeUrl;
    private readonly Lock _sequenceLock = new();
    private long? _sequence;

    public string? SessionId => _sessionId;

    public long? Sequence
    {
        get
        {
            lock (_sequenceLock) return _sequence;
        }
        private set
        {
            lock (_sequenceLock) _sequence = value;
        }
    }

    /// <summary>Runs the session until <paramref name="ct"/> is cancelled (then closes with 1000) or a fatal close code arrives (then throws).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var events = Channel.CreateUnbounded<GatewayEvent>(new UnboundedChannelOptions { SingleReader = true });
        var consumer = ConsumeAsync(events.Reader, ct);
        try
        {
            var failures = 0;
            while (!ct.IsCancellationRequested)
            {
                var resume = _sessionId is not null && _resumeUrl is not null;
                var url = resume ? _resumeUrl! : settings.GatewayUrl ?? (_discoveryUrl ??= (await discover(ct).ConfigureAwait(false)).Url);
                var (outcome, code, live) = await RunConnectionAsync(url, resume, events.Writer, ct).ConfigureAwait(false);
                failures = live ? 0 : failures + 1;
                if (outcome != Outcome.Shutdown) events.Writer.TryWrite(new DisconnectedEvent(code));
                switch (outcome)
                {
                    case Outcome.Shutdown:
                        return;
                    case Outcome.Fatal:
                        var message = FatalMessage(code);
                        LogFatal(logger, code, settings.ShardId, message);
                        throw new DiscordGatewayFatalException(code, message);
                    case Outcome.Reidentify:
                        _sessionId = null;
                        _resumeUrl = null;
                        Sequence = null;
                        await DelayAsync(TimeSpan.FromSeconds(1 + (4 * random())), ct).ConfigureAwait(false);
                        break;
                    case Outcome.Resume when code == 4008 || failures > 0:
                        await DelayAsync(TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Max(failures, 2)) * (0.5 + (random() / 2)))), ct).ConfigureAwait(false);
                        break;
                }
                LogReconnect(logger, settings.ShardId, outcome, code);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            events.Writer.TryComplete();
            await consumer.ConfigureAwait(false);
        }
    }

    private static string FatalMessage(int code) => code switch
    {
        4004 => "Discord rejected the bot token (close 4004). Set a valid Discord:Token and restart.",
        4010 => "Discord rejected the shard (close 4010). Check Discord:ShardCount.",
        4011 => "Discord requires sharding for this bot (close 4011). Set Discord:ShardCount, or leave it empty for the recommended count.",
        4012 => "Discord rejected the gateway version (close 4012).",
        4013 => "Discord rejected the intents value (close 4013).",
        4014 => "Discord refused a privileged intent (close 4014). Enable Message Content in the Developer Portal, or set Discord:MessageContent to false.",
        _ => $"The Discord gateway closed with {code}.",
    };

    private async Task DelayAsync(TimeSpan wait, CancellationToken ct) => await Task.Delay(wait, clock, ct).ConfigureAwait(false);

    private async Task ConsumeAsync(ChannelReader<GatewayEvent> reader, CancellationToken ct)
    {
        try
        {
            await foreach (var e in reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                try
                {
                    await handler(e, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHandlerFailed(logger, ex, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private enum Outcome { Resume, Reidentify, Fatal, Shutdown }

    private async Task<(Outcome Outcome, int Code, bool Live)> RunConnectionAsync(string url, bool resume, ChannelWriter<GatewayEvent> events, CancellationToken ct)
    {
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("User-Agent", DiscordRestClient.UserAgent);
        try
        {
            await ws.ConnectAsync(new Uri(url.TrimEnd('/') + "/?v=10&encoding=json"), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
        {
            LogConnectFailed(logger, settings.ShardId, ex.Message);
            return (Outcome.Resume, 0, false);
        }

        using var connection = new Connection(ws, new GatewaySendLimiter(clock), clock);
        using var heartbeatCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task heartbeat = Task.CompletedTask;
        var live = false;
        var chosen = (Outcome?)null;
        // Cancelling a pending receive would abort the socket; shutdown sends 1000 instead and reads the server's close.
        using var shutdown = ct.Register(() => _ = connection.CloseNormallyAsync());
        try
        {
            while (true)
            {
                var frame = await connection.ReceiveAsync(CancellationToken.None).ConfigureAwait(false);
                if (frame is not { } utf8) break;
                // Parsed straight from the received UTF-8, once; decoded events copy what they keep, so the buffer is reused.
                using var doc = JsonDocument.Parse(utf8);
                var root = doc.RootElement;
                var op = DiscordJson.Number(root, "op");
                var d = root.TryGetProperty("d", out var data) ? data : default;
                switch (op)
                {
                    case 10:
                        var interval = TimeSpan.FromMilliseconds(d.GetProperty("heartbeat_interval").GetDouble());
                        heartbeat = HeartbeatAsync(connection, interval, heartbeatCts.Token);
                        if (resume)
                        {
                            await connection.SendAsync(new JsonObject { ["op"] = 6, ["d"] = new JsonObject { ["token"] = settings.Token, ["session_id"] = _sessionId, ["seq"] = Sequence } }, false, ct).ConfigureAwait(false);
                        }
                        else
                        {
                            var info = await discover(ct).ConfigureAwait(false);
                            _discoveryUrl ??= info.Url;
                            await _gate.WaitAsync(settings.ShardId, info.SessionStartLimit, ct).ConfigureAwait(false);
                            await connection.SendAsync(Identify(), false, ct).ConfigureAwait(false);
                        }
                        break;
                    case 11:
                        connection.Acked = true;
                        break;
                    case 1:
                        await connection.SendAsync(HeartbeatPayload(), true, ct).ConfigureAwait(false);
                        break;
                    case 7:
                        chosen = Outcome.Resume;
                        break;
                    case 9:
                        chosen = d.ValueKind == JsonValueKind.True && _sessionId is not null ? Outcome.Resume : Outcome.Reidentify;
                        break;
                    case 0:
                        if (DiscordJson.Number(root, "s") is { } s) Sequence = s;
                        var type = DiscordJson.Text(root, "t") ?? "";
                        var decoded = GatewayEventDecoder.Decode(type, d);
                        if (decoded is ReadyEvent ready)
                        {
                            _sessionId = ready.SessionId;
                            _resumeUrl = ready.ResumeGatewayUrl;
                            live = true;
                        }
                        if (decoded is ResumedEvent) live = true;
                        // takeNow (quick, on this loop) may claim an event that must not wait in line, e.g. an interaction's 3 s.
                        if (decoded is not null && takeNow?.Invoke(decoded) != true) await events.WriteAsync(decoded, ct).ConfigureAwait(false);
                        break;
                }
                if (chosen is not null)
                {
                    await connection.DropAsync(ResumeCloseCode).ConfigureAwait(false);
                    return (chosen.Value, 0, live);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await connection.CloseNormallyAsync().ConfigureAwait(false);
            return (Outcome.Shutdown, 1000, live);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or JsonException or OperationCanceledException or ObjectDisposedException)
        {
            // ObjectDisposedException: the heartbeat loop dropped a zombie connection while this loop was about to send.
            if (!connection.Zombie) LogDropped(logger, settings.ShardId, ex.Message);
        }
        finally
        {
            await heartbeatCts.CancelAsync().ConfigureAwait(false);
            try
            {
                await heartbeat.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // The connection is over; its heartbeat loop ends with it.
            }
        }

        if (ct.IsCancellationRequested) return (Outcome.Shutdown, 1000, live);
        if (connection.Zombie) return (Outcome.Resume, ResumeCloseCode, live);
        var code = (int?)ws.CloseStatus ?? 0;
        return code switch
        {
            4004 or (>= 4010 and <= 4014) => (Outcome.Fatal, code, live),
            4003 or 4007 or 4009 => (Outcome.Reidentify, code, live),
            _ => (Outcome.Resume, code, live),
        };
    }

    private JsonObject HeartbeatPayload() => new() { ["op"] = 1, ["d"] = Sequence };

    private JsonObject Identify() => new()
    {
        ["op"] = 2,
        ["d"] = new JsonObject
        {
            ["token"] = settings.Token,
            ["intents"] = (int)settings.Intents,
            ["shard"] = new JsonArray(settings.ShardId, settings.ShardCount),
            ["properties"] = new JsonObject { ["os"] = Environment.OSVersion.Platform.ToString().ToLowerInvariant(), ["browser"] = "TeamBot", ["device"] = "TeamBot" },
        },
    };

    private async Task HeartbeatAsync(Connection connection, TimeSpan interval, CancellationToken ct)
    {
        await Task.Delay(interval * random(), clock, ct).ConfigureAwait(false);
        while (!ct.IsCancellationRequested)
        {
            if (!connection.Acked)
            {
                LogZombie(logger, settings.ShardId);
                connection.Zombie = true;
                await connection.DropAsync(ResumeCloseCode).ConfigureAwait(false);
                return;
            }
            connection.Acked = false;
            await connection.SendAsync(HeartbeatPayload(), true, ct).ConfigureAwait(false);
            await Task.Delay(interval, clock, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One WebSocket: whole frames in, limited and size-checked frames out, one send at a time.</summary>
    private sealed class Connection(ClientWebSocket ws, GatewaySendLimiter limiter, TimeProvider clock) : IDisposable
    {
        public void Dispose() => _send.Dispose();

        private readonly SemaphoreSlim _send = new(1, 1);
        private volatile bool _acked = true;
        private volatile bool _zombie;

        public bool Acked { get => _acked; set => _acked = value; }

        public bool Zombie { get => _zombie; set => _zombie = value; }

        private byte[] _frame = new byte[8192];

        /// <summary>
        /// The next whole message (parts buffered until <c>EndOfMessage</c>), or null once the server closes. The memory is
        /// this connection's receive buffer: it is valid until the next call.
        /// </summary>
        public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken ct)
        {
            var length = 0;
            while (true)
            {
                if (length == _frame.Length) Array.Resize(ref _frame, _frame.Length * 2);
                var result = await ws.ReceiveAsync(_frame.AsMemory(length), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) return null;
                length += result.Count;
                if (result.EndOfMessage) return _frame.AsMemory(0, length);
            }
        }

        public async Task SendAsync(JsonObject payload, bool heartbeat, CancellationToken ct)
        {
            var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
            GatewaySendLimiter.CheckSize(bytes.Length);
            while (limiter.TryTake(heartbeat) is var wait && wait > TimeSpan.Zero) await Task.Delay(wait, clock, ct).ConfigureAwait(false);
            await _send.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await ws.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _send.Release();
            }
        }

        /// <summary>Closes with a resumable code (never 1000/1001) and drops the socket without waiting for the server.</summary>
        public async Task DropAsync(int code)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                if (ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await ws.CloseOutputAsync((WebSocketCloseStatus)code, "reconnecting", timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Dropping anyway: a socket that cannot send its close frame is gone.
            }
            ws.Abort();
        }

        /// <summary>Deliberate shutdown: 1000, which ends the session on Discord's side.</summary>
        public async Task CloseNormallyAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                if (ws.State == WebSocketState.Open) await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "shutting down", timeout.Token).ConfigureAwait(false);
                // Give the server a moment to answer the close so the receive loop ends cleanly.
                while (ws.State == WebSocketState.CloseSent && !timeout.IsCancellationRequested) await Task.Delay(10, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Shutting down regardless.
            }
            ws.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord gateway closed with fatal code {Code} on shard {Shard}: {Reason}")]
    private static partial void LogFatal(ILogger logger, int code, int shard, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway shard {Shard} missed a heartbeat ACK; reconnecting to resume")]
    private static partial void LogZombie(ILogger logger, int shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway shard {Shard} reconnecting ({Outcome}, close code {Code})")]
    private static partial void LogReconnect(ILogger logger, int shard, Outcome outcome, int code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway shard {Shard} could not connect: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, int shard, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway shard {Shard} connection dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, int shard, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling the Discord event {Event} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string @event);
}
