using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace TeamBot.Testing.Discord;

/// <summary>A request the fake received, as it arrived on the wire (the path keeps its percent-encoding).</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At, int Status)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);
}

/// <summary>An answer a test scripts for the next request that matches.</summary>
public sealed record ScriptedResponse(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Discord's REST API v10 on 127.0.0.1: checks the bot token, the DiscordBot User-Agent, the version in the path and the
/// JSON content type; answers with rate-limit headers and enforces them (per route and major id, and globally), with
/// Discord's 429 bodies; keeps messages, reactions, threads and DMs; and records every request.
/// </summary>
public sealed partial class FakeDiscordRest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<(Func<RecordedRequest, bool> Match, ScriptedResponse Response)> _script = new();
    private readonly Dictionary<string, (int Used, DateTimeOffset ResetAt)> _buckets = [];
    private readonly Dictionary<string, JsonObject> _noncePosts = [];
    private readonly Dictionary<string, List<string>> _reactions = [];
    private readonly Dictionary<string, string?> _threads = [];
    private readonly HashSet<string> _archived = [];
    private readonly Dictionary<string, JsonArray> _guildChannels = [];
    private readonly HashSet<ulong> _bots = [];
    private readonly Dictionary<string, JsonObject> _guilds = [];
    private readonly Dictionary<string, JsonArray> _memberRoles = [];
    private readonly Dictionary<string, JsonArray> _overwrites = [];
    private readonly HashSet<string> _hidden = [];
    private readonly Lock _lock = new();
    private DateTimeOffset _globalWindow = DateTimeOffset.MinValue;
    private int _globalCount;
    private long _nextId = 1_300_000_000_000_000_000;

    private FakeDiscordRest(WebApplication app, TimeProvider clock, string token)
    {
        _app = app;
        _clock = clock;
        Token = token;
    }

    public string Token { get; }

    /// <summary>The base to configure as Discord:ApiBaseUrl, e.g. http://127.0.0.1:5123/api/v10.</summary>
    public string ApiBaseUrl { get; private set; } = "";

    /// <summary>Requests per bucket window (Discord's message route allows 5 per 5 s).</summary>
    public int BucketLimit { get; set; } = 5;

    public TimeSpan BucketWindow { get; set; } = TimeSpan.FromSeconds(5);

    public int GlobalPerSecond { get; set; } = 50;

    /// <summary>What GET /gateway/bot returns as its url.</summary>
    public string GatewayUrl { get; set; } = "wss://gateway.invalid";

    public int SessionStartRemaining { get; set; } = 1000;

    public int MaxConcurrency { get; set; } = 1;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Messages created, in order.</summary>
    public IReadOnlyList<JsonObject> Messages
    {
        get
        {
            lock (_lock) return [.. _noncePosts.Values.OrderBy(m => ulong.Parse(m["id"]!.GetValue<string>(), CultureInfo.InvariantCulture))];
        }
    }

    public int TooManyRequests => _requests.Count(r => r.Status == 429);

    /// <summary>While set, every API request is answered with this status (503, say): Discord is down.</summary>
    public int? OutageStatus { get; set; }

    public static async Task<FakeDiscordRest> StartAsync(TimeProvider clock, string token = "fake-bot-token")
    {
        var app = Loopback.CreateApp();
        var fake = new FakeDiscordRest(app, clock, token);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.ApiBaseUrl = app.Urls.First().TrimEnd('/') + "/api/v10";
        return fake;
    }

    /// <summary>The next request that <paramref name="match"/> accepts gets <paramref name="response"/> instead of the normal answer.</summary>
    public void Script(Func<RecordedRequest, bool> match, ScriptedResponse response) => _script.Enqueue((match, response));

    /// <summary>A 429 the way Discord sends one.</summary>
    public static ScriptedResponse RateLimited(double retryAfter, bool global = false, string scope = "user") => new(429,
        JsonSerializer.Serialize(new { message = "You are being rate limited.", retry_after = retryAfter, global }),
        new Dictionary<string, string>
        {
            ["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Scope"] = scope,
            ["X-RateLimit-Global"] = global ? "true" : "false",
        });

    /// <summary>Someone reacts (with a super reaction when <paramref name="burst"/>), so that GET reactions of that type has something to return.</summary>
    public void AddReaction(ulong channelId, ulong messageId, string emojiPathSegment, ulong userId, bool burst = false)
    {
        lock (_lock)
        {
            var key = $"{channelId}/{messageId}/{Uri.UnescapeDataString(emojiPathSegment)}{(burst ? BurstSuffix : "")}";
            if (!_reactions.TryGetValue(key, out var users)) _reactions[key] = users = [];
            users.Add(userId.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Someone takes their reaction back.</summary>
    public void RemoveReaction(ulong channelId, ulong messageId, string emoji, ulong userId)
    {
        lock (_lock)
        {
            if (_reactions.TryGetValue($"{channelId}/{messageId}/{emoji}", out var users)) users.Remove(userId.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Discord archives a thread after its time without messages: edits in it are refused until it is unarchived.</summary>
    public void ArchiveThread(ulong threadId)
    {
        lock (_lock) _archived.Add(threadId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The channels Get Guild Channels lists for a guild (id, type as Discord numbers them, name). A guild whose channels
    /// a test did not give answers 404 Unknown Guild, as Discord does for a guild the bot is not in.
    /// </summary>
    public void SetGuildChannels(ulong guildId, params (ulong Id, int Type, string Name)[] channels)
    {
        lock (_lock)
        {
            _guildChannels[guildId.ToString(CultureInfo.InvariantCulture)] = [.. channels.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id.ToString(CultureInfo.InvariantCulture),
                ["type"] = c.Type,
                ["guild_id"] = guildId.ToString(CultureInfo.InvariantCulture),
                ["name"] = c.Name,
            })];
        }
    }

    /// <summary>
    /// The guild Get Guild returns: its owner and its roles with their permissions (the @everyone role has the guild's id).
    /// A guild without them answers 404 Unknown Guild.
    /// </summary>
    public void SetGuildRoles(ulong guildId, ulong ownerId, params (ulong Id, ulong Permissions)[] roles)
    {
        lock (_lock)
        {
            _guilds[guildId.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["id"] = guildId.ToString(CultureInfo.InvariantCulture),
                ["name"] = "Fake guild",
                ["owner_id"] = ownerId.ToString(CultureInfo.InvariantCulture),
                ["roles"] = new JsonArray([.. roles.Select((r, i) => (JsonNode)new JsonObject
                {
                    ["id"] = r.Id.ToString(CultureInfo.InvariantCulture),
                    ["name"] = r.Id == guildId ? "@everyone" : $"role {r.Id}",
                    ["permissions"] = r.Permissions.ToString(CultureInfo.InvariantCulture),
                    ["position"] = i,
                })]),
            };
        }
    }

    /// <summary>The roles Get Guild Member returns for a user; a user without them answers 404 Unknown Member.</summary>
    public void SetMemberRoles(ulong guildId, ulong userId, params ulong[] roles)
    {
        lock (_lock) _memberRoles[$"{guildId}/{userId}"] = [.. roles.Select(r => (JsonNode)r.ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>A channel's permission overwrites, as Get Channel returns them (type 0 a role, 1 a member).</summary>
    public void SetChannelOverwrites(ulong channelId, params (ulong Id, int Type, ulong Allow, ulong Deny)[] overwrites)
    {
        lock (_lock)
        {
            _overwrites[channelId.ToString(CultureInfo.InvariantCulture)] = [.. overwrites.Select(o => (JsonNode)new JsonObject
            {
                ["id"] = o.Id.ToString(CultureInfo.InvariantCulture),
                ["type"] = o.Type,
                ["allow"] = o.Allow.ToString(CultureInfo.InvariantCulture),
                ["deny"] = o.Deny.ToString(CultureInfo.InvariantCulture),
            })];
        }
    }

    /// <summary>The bot cannot see the channel: Get Channel answers 403 Missing Access, as Discord does.</summary>
    public void HideChannel(ulong channelId)
    {
        lock (_lock) _hidden.Add(channelId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The name a thread has now: the one it was started with, or its latest rename; null for no such thread.</summary>
    public string? ThreadName(ulong threadId)
    {
        lock (_lock) return _threads.GetValueOrDefault(threadId.ToString(CultureInfo.InvariantCulture));
    }

    public bool IsArchived(ulong threadId)
    {
        lock (_lock) return _archived.Contains(threadId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Users that GET reactions reports as bots (<c>"bot": true</c>).</summary>
    public void MarkBot(ulong userId)
    {
        lock (_lock) _bots.Add(userId);
    }

    public IReadOnlyList<string> ReactionsOn(ulong channelId, ulong messageId, string emoji)
    {
        lock (_lock) return _reactions.TryGetValue($"{channelId}/{messageId}/{emoji}", out var users) ? [.. users] : [];
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var rawPath = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget.Split('?')[0];
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var result = Answer(request.Method, rawPath, request.QueryString.Value ?? "", body, headers);
        _requests.Enqueue(new RecordedRequest(request.Method, rawPath, request.QueryString.Value ?? "", body, headers, _clock.GetUtcNow(), result.Status));
        http.Response.StatusCode = result.Status;
        foreach (var (name, value) in result.Headers ?? new Dictionary<string, string>()) http.Response.Headers[name] = value;
        if (result.Body.Length > 0)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(result.Body);
        }
    }

    private ScriptedResponse Answer(string method, string path, string query, string body, Dictionary<string, string> headers)
    {
        if (!path.StartsWith("/api/v10/", StringComparison.Ordinal)) return Error(404, 0, "404: Not Found");
        if (OutageStatus is { } down) return Error(down, 0, $"{down}: Service Unavailable");
        if (!headers.TryGetValue("User-Agent", out var agent) || !UserAgentPattern().IsMatch(agent)) return Error(403, 0, "Missing or malformed User-Agent");
        if (!headers.TryGetValue("Authorization", out var auth) || auth != "Bot " + Token) return Error(401, 0, "401: Unauthorized");
        if (body.Length > 0 && !(headers.TryGetValue("Content-Type", out var type) && type.StartsWith("application/json", StringComparison.Ordinal)))
        {
            return Error(400, 50035, "Invalid Form Body");
        }
        var apiPath = path["/api/v10".Length..];
        var probe = new RecordedRequest(method, path, "", body, headers, _clock.GetUtcNow(), 0);
        if (_script.TryPeek(out var scripted) && scripted.Match(probe) && _script.TryDequeue(out _)) return scripted.Response;

        var (bucket, major, exempt) = Classify(method, apiPath);
        var limitHeaders = new Dictionary<string, string>();
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            if (!exempt)
            {
                if (now - _globalWindow >= TimeSpan.FromSeconds(1))
                {
                    _globalWindow = now;
                    _globalCount = 0;
                }
                if (++_globalCount > GlobalPerSecond)
                {
                    var retry = (_globalWindow + TimeSpan.FromSeconds(1) - now).TotalSeconds;
                    return RateLimited(retry, global: true, scope: "global");
                }
            }
            var key = $"{bucket}|{major}";
            var state = _buckets.TryGetValue(key, out var known) ? known : (Used: 0, ResetAt: now + BucketWindow);
            if (now >= state.ResetAt) state = (Used: 0, ResetAt: now + BucketWindow);
            var resetAfter = (state.ResetAt - now).TotalSeconds;
            if (state.Used >= BucketLimit) return RateLimited(resetAfter) with { Headers = LimitHeaders(bucket, 0, state.ResetAt, resetAfter, RateLimited(resetAfter).Headers) };
            state.Used++;
            _buckets[key] = state;
            limitHeaders = LimitHeaders(bucket, BucketLimit - state.Used, state.ResetAt, resetAfter, null);
        }
        return Operation(method, apiPath, query, body) with { Headers = limitHeaders };
    }

    private Dictionary<string, string> LimitHeaders(string bucket, int remaining, DateTimeOffset resetAt, double resetAfter, IReadOnlyDictionary<string, string>? extra)
    {
        var h = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            ["X-RateLimit-Limit"] = BucketLimit.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Reset"] = (resetAt.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture),
            ["X-RateLimit-Reset-After"] = resetAfter.ToString("0.000", CultureInfo.InvariantCulture),
            ["X-RateLimit-Bucket"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(bucket)))[..16],
        };
        return h;
    }

    /// <summary>The route (ids replaced), its major id, and whether it is exempt from the global limit.</summary>
    private static (string Bucket, string Major, bool Exempt) Classify(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        var major = segments.Length > 1 && segments[0] is "channels" or "guilds" or "webhooks" or "interactions" ? segments[1] : "";
        if (segments[0] is "applications" && segments.Length > 3 && segments[2] == "guilds") major = segments[3];
        var template = string.Join('/', segments.Select((s, i) => i > 0 && segments[i - 1] == "reactions" ? "{emoji}" : ulong.TryParse(s, out _) ? "{id}" : s));
        if (segments[0] is "webhooks" or "interactions" && segments.Length > 2) template = template.Replace(segments[2], "{token}", StringComparison.Ordinal);
        return ($"{method} {template}", major, segments[0] is "webhooks" or "interactions");
    }

    private ScriptedResponse Operation(string method, string path, string query, string body)
    {
        var s = path.Trim('/').Split('/');
        var json = body.Length > 0 ? JsonNode.Parse(body) as JsonObject : null;
        switch (method, s)
        {
            case ("GET", ["gateway", "bot"]):
                return Ok(new JsonObject
                {
                    ["url"] = GatewayUrl,
                    ["shards"] = 1,
                    ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = SessionStartRemaining, ["reset_after"] = 14_400_000, ["max_concurrency"] = MaxConcurrency },
                });
            case ("POST", ["channels", var channel, "messages"]):
                {
                    if (json?["allowed_mentions"] is null) return Error(400, 50035, "allowed_mentions is required by this fake");
                    var nonce = json["nonce"]?.GetValue<string>();
                    lock (_lock)
                    {
                        // As Discord: a message sent in an archived thread unarchives it.
                        _archived.Remove(channel);
                        var key = json["enforce_nonce"]?.GetValue<bool>() == true && nonce is not null ? $"{channel}/{nonce}" : $"{channel}/#{_nextId}";
                        if (!_noncePosts.TryGetValue(key, out var message))
                        {
                            message = (JsonObject)json.DeepClone();
                            message["id"] = NewId();
                            message["channel_id"] = channel;
                            _noncePosts[key] = message;
                        }
                        return Ok(message.DeepClone());
                    }
                }
            case ("PATCH", ["channels", var channel, "messages", var id]):
                lock (_lock)
                {
                    if (_archived.Contains(channel)) return Error(400, 50083, "Thread is archived");
                }
                return Ok(new JsonObject { ["id"] = id, ["channel_id"] = channel });
            case ("PATCH", ["channels", var channel]):
                // Modify Channel on a thread: an archived one takes a change only together with archived: false.
                lock (_lock)
                {
                    var archive = json?["archived"]?.GetValue<bool>();
                    var name = json?["name"]?.GetValue<string>();
                    if (name is { Length: < 1 or > 100 }) return Error(400, 50035, "Invalid Form Body: name must be 1 to 100 characters");
                    if (_archived.Contains(channel) && archive != false) return Error(400, 50083, "Thread is archived");
                    if (archive == false) _archived.Remove(channel);
                    if (archive == true) _archived.Add(channel);
                    if (name is not null && _threads.ContainsKey(channel)) _threads[channel] = name;
                    return Ok(new JsonObject { ["id"] = channel, ["type"] = 11, ["name"] = _threads.GetValueOrDefault(channel), ["thread_metadata"] = new JsonObject { ["archived"] = archive == true } });
                }
            case ("PUT", ["channels", var channel, "messages", var id, "reactions", var emoji, "@me"]):
                lock (_lock)
                {
                    var key = $"{channel}/{id}/{Uri.UnescapeDataString(emoji)}";
                    if (!_reactions.TryGetValue(key, out var users)) _reactions[key] = users = [];
                    users.Add("@me");
                }
                return new ScriptedResponse(204);
            case ("GET", ["channels", var channel, "messages", var id, "reactions", var emoji]):
                return ReactionPage(channel, id, emoji, query);
            case ("POST", ["channels", _, "messages", var message, "threads"]):
                // As Discord: a thread started from a message has the message's id, and a message has at most one thread.
                lock (_lock)
                {
                    if (!_threads.TryAdd(message, json?["name"]?.GetValue<string>())) return Error(400, 160004, "A thread has already been created for this message");
                }
                return Ok(new JsonObject { ["id"] = message, ["type"] = 11, ["name"] = json?["name"]?.DeepClone() });
            case ("GET", ["guilds", var guild, "channels"]):
                lock (_lock)
                {
                    return _guildChannels.TryGetValue(guild, out var channels) ? Ok(channels.DeepClone()) : Error(404, 10004, "Unknown Guild");
                }
            case ("GET", ["guilds", var guild]):
                lock (_lock)
                {
                    return _guilds.TryGetValue(guild, out var found) ? Ok(found.DeepClone()) : Error(404, 10004, "Unknown Guild");
                }
            case ("GET", ["guilds", var guild, "members", var user]):
                lock (_lock)
                {
                    return _memberRoles.TryGetValue($"{guild}/{user}", out var roles)
                        ? Ok(new JsonObject { ["roles"] = roles.DeepClone(), ["joined_at"] = "2026-01-01T00:00:00+00:00", ["deaf"] = false, ["mute"] = false, ["flags"] = 0 })
                        : Error(404, 10007, "Unknown Member");
                }
            case ("GET", ["channels", var channel]):
                lock (_lock)
                {
                    if (_hidden.Contains(channel)) return Error(403, 50001, "Missing Access");
                    var listed = _guildChannels.Values.SelectMany(list => list).OfType<JsonObject>().FirstOrDefault(c => c["id"]?.GetValue<string>() == channel);
                    if (listed is null && !_overwrites.ContainsKey(channel)) return Error(404, 10003, "Unknown Channel");
                    var found = (JsonObject?)listed?.DeepClone() ?? new JsonObject { ["id"] = channel, ["type"] = 0, ["name"] = "channel" };
                    found["permission_overwrites"] = _overwrites.TryGetValue(channel, out var overwrites) ? overwrites.DeepClone() : new JsonArray();
                    return Ok(found);
                }
            case ("POST", ["users", "@me", "channels"]):
                return Ok(new JsonObject { ["id"] = "9" + json?["recipient_id"]?.GetValue<string>(), ["type"] = 1 });
            case ("PUT", ["applications", _, "guilds", _, "commands"]):
                return Ok(json is null ? JsonNode.Parse(body)!.AsArray().DeepClone() : new JsonArray());
            case ("POST", ["interactions", _, _, "callback"]):
                return new ScriptedResponse(204);
            case ("PATCH", ["webhooks", _, _, "messages", "@original"]):
            case ("POST", ["webhooks", _, _]):
                return Ok(new JsonObject { ["id"] = NewId(), ["channel_id"] = "1" });
            default:
                return Error(404, 0, "404: Not Found");
        }
    }

    private ScriptedResponse ReactionPage(string channel, string id, string emoji, string query)
    {
        var args = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        var burst = args.TryGetValue("type", out var type) && type == "1";
        var all = ReactionsOn(ulong.Parse(channel, CultureInfo.InvariantCulture), ulong.Parse(id, CultureInfo.InvariantCulture), Uri.UnescapeDataString(emoji) + (burst ? BurstSuffix : ""))
            .Where(u => u != "@me").Select(u => ulong.Parse(u, CultureInfo.InvariantCulture)).Order().ToList();
        if (all.Count == 0 && !KnownEmoji.Contains(Uri.UnescapeDataString(emoji)) && !CustomEmojiPattern().IsMatch(emoji)) return Error(400, 10014, "Unknown Emoji");
        var after = args.TryGetValue("after", out var a) ? ulong.Parse(a!, CultureInfo.InvariantCulture) : 0;
        var limit = args.TryGetValue("limit", out var l) ? int.Parse(l!, CultureInfo.InvariantCulture) : 25;
        HashSet<ulong> bots;
        lock (_lock) bots = [.. _bots];
        var page = all.Where(u => u > after).Take(limit).Select(u => (JsonNode)new JsonObject
        {
            ["id"] = u.ToString(CultureInfo.InvariantCulture),
            ["username"] = $"user{u}",
            ["bot"] = bots.Contains(u),
        });
        return Ok(new JsonArray([.. page]));
    }

    private const string BurstSuffix = "#burst";

    private static readonly HashSet<string> KnownEmoji = ["🔥", "👍", "👎", "🙋", "🤷", "🚫"];

    private string NewId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    private static ScriptedResponse Ok(JsonNode body) => new(200, body.ToJsonString());

    private static ScriptedResponse Error(int status, int code, string message) => new(status, JsonSerializer.Serialize(new { message, code }));

    [GeneratedRegex(@"^[A-Za-z0-9_]{2,32}:[0-9]{1,20}$")]
    private static partial Regex CustomEmojiPattern();

    [GeneratedRegex(@"^DiscordBot \([^,()]+, [^,()]+\)$")]
    private static partial Regex UserAgentPattern();
}
