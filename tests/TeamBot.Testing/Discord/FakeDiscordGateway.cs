using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace TeamBot.Testing.Discord;

/// <summary>
/// Discord's gateway on 127.0.0.1: every WebSocket connection becomes a <see cref="FakeGatewayConnection"/> that the
/// test drives (Hello, ACKs or none, dispatches with sequence numbers, op 7, op 9, any close code, split frames).
/// </summary>
public sealed class FakeDiscordGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<FakeGatewayConnection> _connections = Channel.CreateUnbounded<FakeGatewayConnection>();

    private FakeDiscordGateway(WebApplication app) => _app = app;

    /// <summary>ws://127.0.0.1:port/, the URL discovery hands out.</summary>
    public string Url { get; private set; } = "";

    /// <summary>A second address on the same server, to play resume_gateway_url.</summary>
    public string ResumeUrl => Url.TrimEnd('/') + "/resume";

    public static async Task<FakeDiscordGateway> StartAsync()
    {
        var app = Loopback.CreateApp();
        var fake = new FakeDiscordGateway(app);
        app.UseWebSockets();
        app.Run(fake.AcceptAsync);
        await app.StartAsync();
        fake.Url = "ws://" + app.Urls.First()["http://".Length..].TrimEnd('/');
        return fake;
    }

    public async Task<FakeGatewayConnection> NextConnectionAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _connections.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AcceptAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }
        var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var connection = new FakeGatewayConnection(socket, http.Request.Path.Value ?? "", http.Request.QueryString.Value ?? "", http.Request.Headers.UserAgent.ToString());
        await _connections.Writer.WriteAsync(connection);
        await connection.RunAsync();
    }
}

/// <summary>One client connection to the fake gateway.</summary>
public sealed class FakeGatewayConnection : IDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<JsonObject> _received = Channel.CreateUnbounded<JsonObject>();
    private readonly TaskCompletionSource<int?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _send = new(1, 1);
    private int _sequence;

    internal FakeGatewayConnection(WebSocket socket, string path, string query, string userAgent)
    {
        _socket = socket;
        Path = path;
        Query = query;
        UserAgent = userAgent;
    }

    public string Path { get; }

    public void Dispose() => _send.Dispose();

    public string Query { get; }

    public string UserAgent { get; }

    /// <summary>Answer every heartbeat with op 11; turn off to play a zombie connection.</summary>
    public bool AutoAck { get; set; } = true;

    /// <summary>The close code the client sent, or null when it dropped without one.</summary>
    public Task<int?> Closed => _closed.Task;

    public int Sequence => _sequence;

    public Task HelloAsync(int heartbeatIntervalMs = 41250) => SendAsync(new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = heartbeatIntervalMs } });

    /// <summary>A dispatch with the next sequence number, optionally split into several WebSocket frames.</summary>
    public Task DispatchAsync(string type, JsonObject data, int frames = 1) =>
        SendAsync(new JsonObject { ["op"] = 0, ["s"] = Interlocked.Increment(ref _sequence), ["t"] = type, ["d"] = data }, frames);

    public Task ReadyAsync(string sessionId, string resumeUrl) => DispatchAsync("READY", new JsonObject
    {
        ["v"] = 10,
        ["session_id"] = sessionId,
        ["resume_gateway_url"] = resumeUrl,
        ["user"] = new JsonObject { ["id"] = "500", ["username"] = "TeamBot", ["bot"] = true },
        ["application"] = new JsonObject { ["id"] = "600" },
        ["guilds"] = new JsonArray(),
    });

    public void ContinueSequenceFrom(int sequence) => _sequence = sequence;

    public async Task SendAsync(JsonObject payload, int frames = 1)
    {
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var size = (bytes.Length + frames - 1) / frames;
        await _send.WaitAsync();
        try
        {
            for (var offset = 0; offset < bytes.Length; offset += size)
            {
                var count = Math.Min(size, bytes.Length - offset);
                await _socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count >= bytes.Length, CancellationToken.None);
            }
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>The next payload the client sent, skipping heartbeats unless <paramref name="op"/> asks for them.</summary>
    public Task<JsonObject> ReceiveAsync(int op, TimeSpan? timeout = null) => ReceiveAnyAsync([op], timeout);

    /// <summary>The next payload whose op is one of <paramref name="ops"/>.</summary>
    public async Task<JsonObject> ReceiveAnyAsync(IReadOnlyCollection<int> ops, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var payload = await _received.Reader.ReadAsync(cts.Token);
            if (ops.Contains(payload["op"]!.GetValue<int>())) return payload;
        }
    }

    /// <summary>Everything the client sent so far and not yet read.</summary>
    public IReadOnlyList<JsonObject> Drain()
    {
        var list = new List<JsonObject>();
        while (_received.Reader.TryRead(out var p)) list.Add(p);
        return list;
    }

    public async Task CloseAsync(int code)
    {
        try
        {
            await _socket.CloseOutputAsync((WebSocketCloseStatus)code, "fake gateway", CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended first (the client dropped it, or its request completed): like a server whose close
            // frame crosses the client's, what follows is the client's reconnect, which the test goes on to check.
        }
        _closed.TrySetResult(code);
    }

    internal async Task RunAsync()
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult((int?)result.CloseStatus);
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                var payload = (JsonObject)JsonNode.Parse(message.ToArray())!;
                await _received.Writer.WriteAsync(payload);
                if (AutoAck && payload["op"]!.GetValue<int>() == 1) await SendAsync(new JsonObject { ["op"] = 11 });
            }
        }
        catch (WebSocketException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }
}
