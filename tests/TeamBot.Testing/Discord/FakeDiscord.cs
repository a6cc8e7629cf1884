using System.Globalization;
using System.Text.Json.Nodes;

namespace TeamBot.Testing.Discord;

/// <summary>A guild the fake Discord announces on every new session (GUILD_CREATE).</summary>
public sealed record FakeGuild(ulong Id, string Name);

/// <summary>
/// A whole Discord on loopback for host tests: <see cref="FakeDiscordRest"/> plus a <see cref="FakeDiscordGateway"/> that runs
/// sessions by itself. A connection gets Hello; Identify gets READY and a GUILD_CREATE per guild; Resume with the live
/// session replays every dispatch after the client's sequence, then RESUMED; a Resume of an unknown session gets op 9.
/// Tests send events with <see cref="DispatchAsync"/> (kept for replay, and sent when a connection is live) and can
/// drop the connection or invalidate the session.
/// </summary>
public sealed class FakeDiscord : IAsyncDisposable
{
    public const ulong BotUserId = 500;
    public const ulong ApplicationId = 600;

    private readonly List<(int Seq, string Type, JsonObject Data)> _history = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private FakeGatewayConnection? _live;
    private string? _sessionId;
    private int _sequence;
    private int _sessions;
    private Task _driver = Task.CompletedTask;

    private FakeDiscord(FakeDiscordRest rest, FakeDiscordGateway gateway, IReadOnlyList<FakeGuild> guilds)
    {
        Rest = rest;
        Gateway = gateway;
        Guilds = guilds;
    }

    public FakeDiscordRest Rest { get; }

    public FakeDiscordGateway Gateway { get; }

    /// <summary>The guilds READY lists and GUILD_CREATE announces on every new session; a test may change them (a server that removed the bot).</summary>
    public IReadOnlyList<FakeGuild> Guilds { get; set; }

    /// <summary>How many sessions were identified (a resume keeps the session).</summary>
    public int Identifies => Volatile.Read(ref _sessions);

    /// <summary>How many connections resumed their session.</summary>
    public int Resumes { get; private set; }

    /// <summary>While set, new gateway connections get no Hello, as when Discord's gateway cannot be reached.</summary>
    public bool Holding { get; set; }

    public static async Task<FakeDiscord> StartAsync(TimeProvider clock, params FakeGuild[] guilds)
    {
        var rest = await FakeDiscordRest.StartAsync(clock);
        var gateway = await FakeDiscordGateway.StartAsync();
        rest.GatewayUrl = gateway.Url;
        var fake = new FakeDiscord(rest, gateway, guilds);
        fake._driver = fake.DriveAsync();
        return fake;
    }

    /// <summary>Configuration for a TeamBot host that should use this fake.</summary>
    public void Configure(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Discord:Token"] = Rest.Token;
        settings["Discord:ApiBaseUrl"] = Rest.ApiBaseUrl;
    }

    /// <summary>Waits until a session is live (READY sent, or RESUMED).</summary>
    public async Task WaitLiveAsync(TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (Live is null)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("The bot did not open a gateway session.");
            await Task.Delay(20);
        }
    }

    private FakeGatewayConnection? Live
    {
        get
        {
            lock (_lock) return _live;
        }
    }

    /// <summary>Sends a dispatch now if a session is live; it is replayed to a client that resumes after missing it.</summary>
    public async Task DispatchAsync(string type, JsonObject data)
    {
        JsonObject payload;
        FakeGatewayConnection? live;
        lock (_lock)
        {
            var seq = ++_sequence;
            _history.Add((seq, type, data));
            payload = Dispatch(seq, type, data);
            live = _live;
        }
        if (live is null) return;
        try
        {
            await live.SendAsync(payload);
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The client left: the event stays in the history for its resume.
            lock (_lock)
            {
                if (_live == live) _live = null;
            }
        }
    }

    /// <summary>Drops the live connection the way a network failure or a server restart does (close 4000: resumable).</summary>
    public async Task DropAsync()
    {
        FakeGatewayConnection? live;
        lock (_lock)
        {
            live = _live;
            _live = null;
        }
        if (live is not null) await live.CloseAsync(4000);
    }

    /// <summary>Ends the session: the client's resume will be refused with op 9, so it must identify again.</summary>
    public async Task InvalidateSessionAsync()
    {
        lock (_lock) _sessionId = null;
        await DropAsync();
    }

    // ---- events a test sends ----

    /// <summary>Someone reacts (or takes it back): REST's reaction lists change, and the gateway event goes out.</summary>
    public Task ReactAsync(ulong guildId, ulong channelId, ulong messageId, string emoji, ulong userId, bool added = true, IEnumerable<ulong>? roles = null, string? name = null)
    {
        if (added) Rest.AddReaction(channelId, messageId, emoji, userId);
        else Rest.RemoveReaction(channelId, messageId, emoji, userId);
        var data = new JsonObject
        {
            ["user_id"] = Id(userId),
            ["channel_id"] = Id(channelId),
            ["message_id"] = Id(messageId),
            ["guild_id"] = Id(guildId),
            ["emoji"] = new JsonObject { ["id"] = null, ["name"] = emoji },
            ["burst"] = false,
            ["type"] = 0,
        };
        if (added)
        {
            data["member"] = Member(userId, roles, name);
            data["message_author_id"] = Id(BotUserId);
        }
        return DispatchAsync(added ? "MESSAGE_REACTION_ADD" : "MESSAGE_REACTION_REMOVE", data);
    }

    /// <summary>A button press (or, with <paramref name="values"/>, a select) on a message; returns the interaction id.</summary>
    public async Task<ulong> ClickAsync(ulong guildId, ulong channelId, ulong messageId, string customId, ulong userId, IEnumerable<ulong>? roles = null, string[]? values = null, ulong permissions = 0)
    {
        var data = new JsonObject { ["custom_id"] = customId, ["component_type"] = values is null ? 2 : 3 };
        if (values is not null) data["values"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);
        var message = new JsonObject { ["id"] = Id(messageId), ["channel_id"] = Id(channelId) };
        return await InteractAsync(3, guildId, channelId, userId, roles, data, permissions, message);
    }

    /// <summary>A modal submitted with <paramref name="text"/> in its text input, opened from a control on a message.</summary>
    public async Task<ulong> SubmitModalAsync(ulong guildId, ulong channelId, ulong messageId, string customId, string text, ulong userId, IEnumerable<ulong>? roles = null)
    {
        var data = new JsonObject
        {
            ["custom_id"] = customId,
            ["components"] = new JsonArray(new JsonObject
            {
                ["type"] = 1,
                ["components"] = new JsonArray(new JsonObject { ["type"] = 4, ["custom_id"] = "text", ["value"] = text }),
            }),
        };
        var message = new JsonObject { ["id"] = Id(messageId), ["channel_id"] = Id(channelId) };
        return await InteractAsync(5, guildId, channelId, userId, roles, data, 0, message);
    }

    /// <summary>A slash command; <paramref name="options"/> are name/value pairs, inside <paramref name="subcommand"/> when given.</summary>
    public async Task<ulong> CommandAsync(ulong guildId, ulong channelId, ulong userId, string name, string? subcommand = null, IReadOnlyDictionary<string, string>? options = null, IEnumerable<ulong>? roles = null, ulong permissions = 0)
    {
        var list = new JsonArray([.. (options ?? new Dictionary<string, string>()).Select(o => (JsonNode)new JsonObject { ["name"] = o.Key, ["type"] = 3, ["value"] = o.Value })]);
        var data = new JsonObject { ["id"] = "700", ["name"] = name, ["type"] = 1 };
        data["options"] = subcommand is null ? list : new JsonArray(new JsonObject { ["name"] = subcommand, ["type"] = 1, ["options"] = list });
        return await InteractAsync(2, guildId, channelId, userId, roles, data, permissions, null);
    }

    /// <summary>Someone is typing <paramref name="typed"/> into an option of a slash command (autocomplete, type 4).</summary>
    public async Task<ulong> AutocompleteAsync(ulong guildId, ulong channelId, ulong userId, string name, string subcommand, string option, string typed)
    {
        var focused = new JsonObject { ["name"] = option, ["type"] = 3, ["value"] = typed, ["focused"] = true };
        var data = new JsonObject
        {
            ["id"] = "700",
            ["name"] = name,
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["name"] = subcommand, ["type"] = 1, ["options"] = new JsonArray(focused) }),
        };
        return await InteractAsync(4, guildId, channelId, userId, null, data, 0, null);
    }

    /// <summary>The interaction callback the bot sent for <paramref name="interactionId"/>, once it arrives.</summary>
    public async Task<JsonObject> CallbackAsync(ulong interactionId, TimeSpan? timeout = null)
    {
        var path = $"/api/v10/interactions/{interactionId}/";
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = Rest.Requests.FirstOrDefault(r => r.Method == "POST" && r.Path.StartsWith(path, StringComparison.Ordinal) && r.Path.EndsWith("/callback", StringComparison.Ordinal));
            if (found is not null) return (JsonObject)found.Json!;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The bot did not answer interaction {interactionId}.");
            await Task.Delay(20);
        }
    }

    private long _nextInteraction = 900_000;

    private async Task<ulong> InteractAsync(int type, ulong guildId, ulong channelId, ulong userId, IEnumerable<ulong>? roles, JsonObject data, ulong permissions, JsonObject? message)
    {
        var id = (ulong)Interlocked.Increment(ref _nextInteraction);
        var member = Member(userId, roles, null);
        member["permissions"] = permissions.ToString(CultureInfo.InvariantCulture);
        var payload = new JsonObject
        {
            ["id"] = Id(id),
            ["application_id"] = Id(ApplicationId),
            ["type"] = type,
            ["token"] = $"token-{id}",
            ["version"] = 1,
            ["guild_id"] = Id(guildId),
            ["channel_id"] = Id(channelId),
            ["member"] = member,
            ["data"] = data,
        };
        if (message is not null) payload["message"] = message;
        await DispatchAsync("INTERACTION_CREATE", payload);
        return id;
    }

    private static JsonObject Member(ulong userId, IEnumerable<ulong>? roles, string? name) => new()
    {
        ["user"] = new JsonObject { ["id"] = Id(userId), ["username"] = name ?? $"user{userId}", ["global_name"] = name },
        ["roles"] = new JsonArray([.. (roles ?? []).Select(r => (JsonNode)JsonValue.Create(Id(r))!)]),
    };

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    private static JsonObject Dispatch(int seq, string type, JsonObject data) =>
        new() { ["op"] = 0, ["s"] = seq, ["t"] = type, ["d"] = data.DeepClone() };

    // ---- the session driver ----

    private async Task DriveAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            FakeGatewayConnection connection;
            try
            {
                connection = await Gateway.NextConnectionAsync(TimeSpan.FromDays(1)).WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => SessionAsync(connection));
        }
    }

    private async Task SessionAsync(FakeGatewayConnection connection)
    {
        try
        {
            while (Holding && !_stop.IsCancellationRequested) await Task.Delay(20);
            await connection.HelloAsync(heartbeatIntervalMs: 5000);
            var first = await connection.ReceiveAnyAsync([2, 6], TimeSpan.FromSeconds(30));
            if (first["op"]!.GetValue<int>() == 2)
            {
                List<JsonObject> welcome;
                lock (_lock)
                {
                    _sessionId = $"session-{Interlocked.Increment(ref _sessions)}";
                    _history.Clear();
                    _sequence = 0;
                    welcome = [Dispatch(++_sequence, "READY", Ready(_sessionId))];
                    foreach (var guild in Guilds)
                    {
                        var data = new JsonObject { ["id"] = Id(guild.Id), ["name"] = guild.Name, ["unavailable"] = false, ["threads"] = new JsonArray(), ["channels"] = new JsonArray() };
                        _history.Add((++_sequence, "GUILD_CREATE", data));
                        welcome.Add(Dispatch(_sequence, "GUILD_CREATE", data));
                    }
                    _live = connection;
                }
                foreach (var payload in welcome) await connection.SendAsync(payload);
                return;
            }

            var d = first["d"]!.AsObject();
            List<JsonObject> replay;
            lock (_lock)
            {
                if (_sessionId is null || d["session_id"]?.GetValue<string>() != _sessionId)
                {
                    replay = [];
                }
                else
                {
                    var after = d["seq"]?.GetValue<long?>() ?? 0;
                    replay = [.. _history.Where(h => h.Seq > after).Select(h => Dispatch(h.Seq, h.Type, h.Data))];
                    replay.Add(new JsonObject { ["op"] = 0, ["s"] = null, ["t"] = "RESUMED", ["d"] = new JsonObject() });
                    _live = connection;
                    Resumes++;
                }
            }
            if (replay.Count == 0)
            {
                await connection.SendAsync(new JsonObject { ["op"] = 9, ["d"] = false });
                return;
            }
            foreach (var payload in replay) await connection.SendAsync(payload);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // The client went away during the handshake; its next connection starts over.
        }
    }

    private JsonObject Ready(string sessionId) => new()
    {
        ["v"] = 10,
        ["session_id"] = sessionId,
        ["resume_gateway_url"] = Gateway.ResumeUrl,
        ["user"] = new JsonObject { ["id"] = Id(BotUserId), ["username"] = "TeamBot", ["bot"] = true },
        ["application"] = new JsonObject { ["id"] = Id(ApplicationId) },
        ["guilds"] = new JsonArray([.. Guilds.Select(g => (JsonNode)new JsonObject { ["id"] = Id(g.Id), ["unavailable"] = true })]),
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _driver;
        await Gateway.DisposeAsync();
        await Rest.DisposeAsync();
        _stop.Dispose();
    }
}
