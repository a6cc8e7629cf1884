using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TeamBot.Chat.Discord.Messages;

namespace TeamBot.Chat.Discord.Rest;

/// <summary>Tuning of the REST client's guards; the defaults are for production.</summary>
public sealed record DiscordRestSettings
{
    /// <summary>Refused answers (401, 403, non-shared 429) allowed per 10 minutes before the client pauses; Discord bans at 10,000.</summary>
    public int InvalidRequestLimit { get; init; } = 1000;

    /// <summary>How often one call is retried after a 429 or a 5xx before it fails.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Requests per second for the whole bot.</summary>
    public int GlobalPerSecond { get; init; } = 50;
}

/// <summary>
/// Discord's REST API v10 over HttpClient: bot auth and User-Agent on every call, per-bucket and global rate limits
/// learned from headers, 429 waits, a guard far below the invalid-request ban, and a full stop after a 401.
/// </summary>
public sealed partial class DiscordRestClient
{
    /// <summary>The library URL Discord asks for in the User-Agent.</summary>
    public const string ProjectUrl = "https://github.com/teambot/teambot";

    private static readonly TimeSpan InvalidWindow = TimeSpan.FromMinutes(10);

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly DiscordRestSettings _settings;
    private readonly RateLimiter _limiter;
    private readonly Queue<DateTimeOffset> _invalid = new();
    private readonly Lock _invalidLock = new();
    private readonly AuthenticationHeaderValue _auth;
    private volatile bool _tokenRejected;

    public DiscordRestClient(HttpClient http, DiscordOptions options, TimeProvider clock, ILogger<DiscordRestClient> logger, DiscordRestSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled) throw new ArgumentException("Discord:Token is required for the REST client.", nameof(options));
        _http = http;
        _baseUrl = options.ApiBaseUrl.TrimEnd('/');
        _clock = clock;
        _logger = logger;
        _settings = settings ?? new DiscordRestSettings();
        _limiter = new RateLimiter(clock, _settings.GlobalPerSecond);
        _auth = new AuthenticationHeaderValue("Bot", options.Token);
    }

    public static string UserAgent { get; } =
        $"DiscordBot ({ProjectUrl}, {typeof(DiscordRestClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0"})";

    /// <summary>True once Discord answered 401: every later call fails at once without touching the network.</summary>
    public bool TokenRejected => _tokenRejected;

    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken ct = default)
    {
        using var doc = await SendAsync(DiscordRoute.Top(HttpMethod.Get, "/gateway/bot"), null, retrySafe: true, ct).ConfigureAwait(false);
        var root = doc!.RootElement;
        var limit = root.GetProperty("session_start_limit");
        return new GatewayBotInfo(
            root.GetProperty("url").GetString()!,
            DiscordJson.Number(root, "shards") ?? 1,
            new SessionStartLimit(
                DiscordJson.Number(limit, "total") ?? 1000,
                DiscordJson.Number(limit, "remaining") ?? 0,
                TimeSpan.FromMilliseconds(limit.GetProperty("reset_after").GetDouble()),
                DiscordJson.Number(limit, "max_concurrency") ?? 1));
    }

    /// <summary>
    /// Posts a message. A nonce is always sent with <c>enforce_nonce</c>, so a retry after a lost answer returns the
    /// message already created instead of posting it twice; pass your own to make retries across restarts safe too.
    /// </summary>
    public async Task<PostedMessage> CreateMessageAsync(ulong channelId, DiscordMessageBody body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        body = body with { Nonce = body.Nonce ?? NewNonce(), EnforceNonce = true };
        var route = DiscordRoute.Channel(HttpMethod.Post, channelId, "/messages", "/messages");
        return ReadMessage(await SendMessageAsync(route, body, retrySafe: true, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Edits a message. <c>allowed_mentions</c> is always sent again, or Discord would re-parse mentions with its defaults;
    /// a nonce is never sent, since an edit takes none.
    /// </summary>
    public async Task<PostedMessage> EditMessageAsync(ulong channelId, ulong messageId, DiscordMessageBody body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var route = DiscordRoute.Channel(HttpMethod.Patch, channelId, "/messages/{message_id}", $"/messages/{messageId}");
        return ReadMessage(await SendMessageAsync(route, ForEdit(body) with { Nonce = null, EnforceNonce = null }, retrySafe: true, ct).ConfigureAwait(false));
    }

    public async Task AddOwnReactionAsync(ulong channelId, ulong messageId, DiscordEmoji emoji, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(emoji);
        var route = DiscordRoute.Channel(HttpMethod.Put, channelId, "/messages/{message_id}/reactions/{emoji}/@me", $"/messages/{messageId}/reactions/{emoji.ToPathSegment()}/@me");
        using var _ = await SendAsync(route, null, retrySafe: true, ct).ConfigureAwait(false);
    }

    /// <summary>Everyone who reacted with <paramref name="emoji"/>, read page by page (100 per page).</summary>
    public async Task<IReadOnlyList<DiscordUser>> GetReactionsAsync(ulong channelId, ulong messageId, DiscordEmoji emoji, ReactionType type = ReactionType.Normal, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(emoji);
        var users = new List<DiscordUser>();
        ulong? after = null;
        while (true)
        {
            var query = string.Create(CultureInfo.InvariantCulture, $"?type={(int)type}&limit=100{(after is { } a ? $"&after={a}" : "")}");
            var route = DiscordRoute.Channel(HttpMethod.Get, channelId, "/messages/{message_id}/reactions/{emoji}", $"/messages/{messageId}/reactions/{emoji.ToPathSegment()}{query}");
            using var doc = await SendAsync(route, null, retrySafe: true, ct).ConfigureAwait(false);
            var page = doc!.RootElement.EnumerateArray().Select(ReadUser).ToList();
            users.AddRange(page);
            if (page.Count < 100) return users;
            after = page[^1].Id;
        }
    }

    /// <summary>The guild's channels (Get Guild Channels: every channel but threads), in their sidebar order.</summary>
    public async Task<IReadOnlyList<GuildChannel>> GetGuildChannelsAsync(ulong guildId, CancellationToken ct = default)
    {
        var route = DiscordRoute.Guild(HttpMethod.Get, guildId, "/guilds/{guild_id}/channels", $"/guilds/{guildId}/channels");
        using var doc = await SendAsync(route, null, retrySafe: true, ct).ConfigureAwait(false);
        if (doc is not { RootElement.ValueKind: JsonValueKind.Array }) throw new DiscordApiException("Discord answered Get Guild Channels without a list.");
        return [.. doc.RootElement.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object)
            .Select(c => new GuildChannel(DiscordJson.Id(c, "id") ?? 0, DiscordJson.Number(c, "type") ?? -1, DiscordJson.Text(c, "name") ?? "", DiscordJson.Number(c, "position") ?? 0))
            .Where(c => c.Id != 0)
            .OrderBy(c => c.Position).ThenBy(c => c.Id)];
    }

    /// <summary>The guild's owner and its roles' permissions (Get Guild).</summary>
    public async Task<GuildRoles> GetGuildRolesAsync(ulong guildId, CancellationToken ct = default)
    {
        var route = DiscordRoute.Guild(HttpMethod.Get, guildId, "/guilds/{guild_id}", $"/guilds/{guildId}");
        using var doc = await SendAsync(route, null, retrySafe: true, ct).ConfigureAwait(false);
        if (doc is null || DiscordJson.Id(doc.RootElement, "owner_id") is not { } owner
            || !doc.RootElement.TryGetProperty("roles", out var roles) || roles.ValueKind != JsonValueKind.Array)
        {
            throw new DiscordApiException("Discord answered Get Guild without its owner or roles.");
        }
        var permissions = new Dictionary<ulong, ulong>();
        foreach (var role in roles.EnumerateArray())
        {
            if (DiscordJson.Id(role, "id") is { } id) permissions[id] = DiscordJson.Bits(role, "permissions") ?? 0;
        }
        return new GuildRoles(guildId, owner, permissions);
    }

    /// <summary>The roles of one member of the guild (Get Guild Member; needs no privileged intent).</summary>
    public async Task<IReadOnlyList<ulong>> GetMemberRolesAsync(ulong guildId, ulong userId, CancellationToken ct = default)
    {
        var route = DiscordRoute.Guild(HttpMethod.Get, guildId, "/guilds/{guild_id}/members/{user_id}", $"/guilds/{guildId}/members/{userId}");
        using var doc = await SendAsync(route, null, retrySafe: true, ct).ConfigureAwait(false);
        if (doc is null || !doc.RootElement.TryGetProperty("roles", out var roles) || roles.ValueKind != JsonValueKind.Array)
        {
            throw new DiscordApiException("Discord answered Get Guild Member without the member's roles.");
        }
        return [.. roles.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.String && ulong.TryParse(r.GetString(), CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id != 0)];
    }

    /// <summary>A channel's permission overwrites (Get Channel). Discord answers 403 (50001) for a channel the bot cannot see.</summary>
    public async Task<IReadOnlyList<PermissionOverwrite>> GetChannelOverwritesAsync(ulong channelId, CancellationToken ct = default)
    {
        var route = DiscordRoute.Channel(HttpMethod.Get, channelId, "", "");
        using var doc = await SendAsync(route, null, retrySafe: true, ct).ConfigureAwait(false);
        if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object) throw new DiscordApiException("Discord answered Get Channel without a channel.");
        if (!doc.RootElement.TryGetProperty("permission_overwrites", out var overwrites) || overwrites.ValueKind != JsonValueKind.Array) return [];
        return [.. overwrites.EnumerateArray()
            .Select(o => new PermissionOverwrite(DiscordJson.Id(o, "id") ?? 0, DiscordJson.Number(o, "type") ?? -1, DiscordJson.Bits(o, "allow") ?? 0, DiscordJson.Bits(o, "deny") ?? 0))
            .Where(o => o.Id != 0)];
    }

    /// <summary>Starts a thread on a message and returns the thread's channel id.</summary>
    public async Task<ulong> StartThreadFromMessageAsync(ulong channelId, ulong messageId, string name, int autoArchiveMinutes = 1440, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (autoArchiveMinutes is not (60 or 1440 or 4320 or 10080)) throw new ArgumentOutOfRangeException(nameof(autoArchiveMinutes), "Use 60, 1440, 4320 or 10080.");
        var route = DiscordRoute.Channel(HttpMethod.Post, channelId, "/messages/{message_id}/threads", $"/messages/{messageId}/threads");
        var body = new { name = name.Length > 100 ? name[..100] : name, auto_archive_duration = autoArchiveMinutes };
        using var doc = await SendAsync(route, body, retrySafe: false, ct).ConfigureAwait(false);
        return DiscordJson.Id(doc!.RootElement, "id") ?? throw new DiscordApiException("Discord returned a thread without an id.");
    }

    /// <summary>
    /// Modify Channel on a thread: a new <paramref name="name"/> (1 to 100 characters) and/or <paramref name="archived"/>; what is
    /// null is left as it is. Unarchiving a thread that is not locked needs only the permission to send messages; archiving or
    /// renaming needs Manage Threads or being the thread's creator. Discord refuses a change to an archived thread, and edits
    /// of messages in it (code 50083), unless the same request sets <c>archived: false</c>; it archives a thread on its own
    /// after a time without activity (a day for TeamBot's threads).
    /// </summary>
    public async Task ModifyThreadAsync(ulong threadId, string? name = null, bool? archived = null, CancellationToken ct = default)
    {
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
            if (name.Length > 100) name = name[..100];
        }
        var route = DiscordRoute.Channel(HttpMethod.Patch, threadId, "", "");
        using var _ = await SendAsync(route, new { name, archived }, retrySafe: true, ct).ConfigureAwait(false);
    }

    /// <summary>The DM channel with a user (Discord returns the existing one if there is one).</summary>
    public async Task<ulong> OpenDmAsync(ulong userId, CancellationToken ct = default)
    {
        var body = new { recipient_id = userId.ToString(CultureInfo.InvariantCulture) };
        using var doc = await SendAsync(DiscordRoute.Top(HttpMethod.Post, "/users/@me/channels"), body, retrySafe: true, ct).ConfigureAwait(false);
        return DiscordJson.Id(doc!.RootElement, "id") ?? throw new DiscordApiException("Discord returned a DM channel without an id.");
    }

    /// <summary>Replaces every command of the application in one guild (guild commands update at once).</summary>
    public async Task<int> BulkOverwriteGuildCommandsAsync(ulong applicationId, ulong guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var path = $"/applications/{applicationId}/guilds/{guildId}/commands";
        var route = DiscordRoute.Guild(HttpMethod.Put, guildId, "/applications/{application_id}/guilds/{guild_id}/commands", path);
        using var doc = await SendAsync(route, commands, retrySafe: true, ct).ConfigureAwait(false);
        return doc!.RootElement.GetArrayLength();
    }

    /// <summary>The first answer to an interaction (reply, defer, update). Exempt from the global limit.</summary>
    public async Task RespondToInteractionAsync(ulong interactionId, string token, InteractionResponse response, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Data is { } data) response = response with { Data = ForEdit(data) with { Nonce = null, EnforceNonce = null } };
        if (response.Data is { } checkedData) Validate(checkedData);
        var route = CallbackRoute(interactionId, token);
        using var _ = await SendAsync(route, response, retrySafe: false, ct).ConfigureAwait(false);
    }

    /// <summary>Answers an interaction with a form asking for text (callback type 9).</summary>
    public async Task RespondWithModalAsync(ulong interactionId, string token, ModalData modal, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(modal);
        var route = CallbackRoute(interactionId, token);
        using var _ = await SendAsync(route, new { type = 9, data = modal }, retrySafe: false, ct).ConfigureAwait(false);
    }

    /// <summary>Answers an autocomplete interaction with up to 25 suggestions (callback type 8).</summary>
    public async Task RespondWithChoicesAsync(ulong interactionId, string token, IReadOnlyList<ApplicationCommandChoice> choices, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var route = CallbackRoute(interactionId, token);
        using var _ = await SendAsync(route, new { type = 8, data = new { choices = choices.Take(25).ToList() } }, retrySafe: false, ct).ConfigureAwait(false);
    }

    private static DiscordRoute CallbackRoute(ulong interactionId, string token) =>
        DiscordRoute.Webhook(HttpMethod.Post, "/interactions/{interaction_id}/{interaction_token}/callback", $"/interactions/{interactionId}/{token}/callback", interactionId, token);

    /// <summary>Edits the interaction's first answer (after a defer, within 15 minutes).</summary>
    public async Task<PostedMessage> EditOriginalResponseAsync(ulong applicationId, string token, DiscordMessageBody body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var route = DiscordRoute.Webhook(HttpMethod.Patch, "/webhooks/{application_id}/{interaction_token}/messages/@original", $"/webhooks/{applicationId}/{token}/messages/@original", applicationId, token);
        return ReadMessage(await SendMessageAsync(route, ForEdit(body) with { Nonce = null, EnforceNonce = null }, retrySafe: true, ct).ConfigureAwait(false));
    }

    /// <summary>Another message for an interaction (within 15 minutes). Not retried on 5xx: Discord has no nonce here.</summary>
    public async Task<PostedMessage> CreateFollowupAsync(ulong applicationId, string token, DiscordMessageBody body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var route = DiscordRoute.Webhook(HttpMethod.Post, "/webhooks/{application_id}/{interaction_token}", $"/webhooks/{applicationId}/{token}", applicationId, token);
        return ReadMessage(await SendMessageAsync(route, ForEdit(body) with { Nonce = null, EnforceNonce = null }, retrySafe: false, ct).ConfigureAwait(false));
    }

    private static DiscordMessageBody ForEdit(DiscordMessageBody body) => body.AllowedMentions is null ? body with { AllowedMentions = AllowedMentions.None } : body;

    private static void Validate(DiscordMessageBody body)
    {
        var problems = MessageLimits.Check(body);
        if (problems.Count > 0) throw new DiscordMessageInvalidException(problems);
    }

    private async Task<JsonDocument?> SendMessageAsync(DiscordRoute route, DiscordMessageBody body, bool retrySafe, CancellationToken ct)
    {
        Validate(body);
        return await SendAsync(route, body, retrySafe, ct).ConfigureAwait(false);
    }

    private static PostedMessage ReadMessage(JsonDocument? doc)
    {
        using (doc)
        {
            var root = doc!.RootElement;
            return new PostedMessage(
                DiscordJson.Id(root, "id") ?? throw new DiscordApiException("Discord returned a message without an id."),
                DiscordJson.Id(root, "channel_id") ?? 0);
        }
    }

    private static DiscordUser ReadUser(JsonElement u) =>
        new(DiscordJson.Id(u, "id") ?? 0, DiscordJson.Text(u, "username") ?? "", DiscordJson.Flag(u, "bot"), DiscordJson.Text(u, "global_name"));

    private static string NewNonce() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..25];

    private async Task<JsonDocument?> SendAsync(DiscordRoute route, object? body, bool retrySafe, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (_tokenRejected) throw new DiscordTokenRejectedException(route.Name);
            CheckInvalidGuard();
            using var lease = await _limiter.AcquireAsync(route, ct).ConfigureAwait(false);
            using var request = new HttpRequestMessage(route.Method, _baseUrl + route.Path);
            request.Headers.Authorization = _auth;
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: DiscordJson.Options);

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (retrySafe && attempt < _settings.MaxRetries)
            {
                LogRetry(_logger, route.Name, 0, attempt + 1, ex.Message);
                await Task.Delay(Backoff(attempt), _clock, ct).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                lease.Update(response);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return text.Length == 0 ? null : JsonDocument.Parse(text);

                var status = response.StatusCode;
                var error = ParseError(text);
                if (status == HttpStatusCode.Unauthorized && route.UrlToken)
                {
                    // An interaction token past its 15 minutes (or a webhook's own token): the bot token is fine.
                    CountInvalid();
                    throw new DiscordApiException(status, error.Code, route.Name, error.Message);
                }
                if (status == HttpStatusCode.Unauthorized)
                {
                    CountInvalid();
                    _tokenRejected = true;
                    LogTokenRejected(_logger, route.Name);
                    throw new DiscordTokenRejectedException(route.Name);
                }
                if (status == HttpStatusCode.TooManyRequests)
                {
                    var scope = RateLimiter.Header(response, "X-RateLimit-Scope");
                    if (!string.Equals(scope, "shared", StringComparison.OrdinalIgnoreCase)) CountInvalid();
                    var retryAfter = error.RetryAfter ?? RateLimiter.Seconds(RateLimiter.Header(response, "Retry-After")) ?? TimeSpan.FromSeconds(1);
                    var until = _clock.GetUtcNow() + retryAfter;
                    var global = error.Global || string.Equals(RateLimiter.Header(response, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase);
                    if (global) _limiter.PauseGlobally(until);
                    else lease.BlockUntil(until);
                    LogRateLimited(_logger, route.Name, retryAfter.TotalSeconds, global, scope ?? "");
                    if (attempt < _settings.MaxRetries) continue;
                    throw new DiscordApiException(status, error.Code, route.Name, error.Message) { RetryAfter = retryAfter };
                }
                else if (status == HttpStatusCode.Forbidden)
                {
                    CountInvalid();
                }
                else if ((int)status >= 500 && retrySafe && attempt < _settings.MaxRetries)
                {
                    LogRetry(_logger, route.Name, (int)status, attempt + 1, error.Message);
                    lease.Dispose();
                    await Task.Delay(Backoff(attempt), _clock, ct).ConfigureAwait(false);
                    continue;
                }
                throw new DiscordApiException(status, error.Code, route.Name, error.Message);
            }
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, attempt)));

    private void CountInvalid()
    {
        lock (_invalidLock) _invalid.Enqueue(_clock.GetUtcNow());
    }

    private void CheckInvalidGuard()
    {
        lock (_invalidLock)
        {
            var now = _clock.GetUtcNow();
            while (_invalid.Count > 0 && now - _invalid.Peek() >= InvalidWindow) _invalid.Dequeue();
            if (_invalid.Count >= _settings.InvalidRequestLimit)
            {
                throw new DiscordInvalidRequestGuardException(_invalid.Count, _invalid.Peek() + InvalidWindow - now);
            }
        }
    }

    private static (int? Code, string Message, TimeSpan? RetryAfter, bool Global) ParseError(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            TimeSpan? retry = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("retry_after", out var r) && r.ValueKind == JsonValueKind.Number
                ? TimeSpan.FromSeconds(Math.Max(0, r.GetDouble())) : null;
            return (DiscordJson.Number(root, "code"), DiscordJson.Text(root, "message") ?? "", retry, DiscordJson.Flag(root, "global"));
        }
        catch (JsonException)
        {
            return (null, text.Length > 200 ? text[..200] : text, null, false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord rate-limited {Route}: waiting {RetryAfterSeconds} s (global {Global}, scope {Scope})")]
    private static partial void LogRateLimited(ILogger logger, string route, double retryAfterSeconds, bool global, string scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord call {Route} failed with {Status}; retry {Attempt}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string route, int status, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord rejected the bot token on {Route}; TeamBot has stopped all Discord calls. Set a valid Discord:Token and restart.")]
    private static partial void LogTokenRejected(ILogger logger, string route);
}
