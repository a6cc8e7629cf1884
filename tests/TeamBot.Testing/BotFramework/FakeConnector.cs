using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TeamBot.Testing.BotFramework;

/// <summary>
/// A Connector API request as it arrived: <see cref="Target"/> is the raw request target with its percent-encoding,
/// <see cref="Segments"/> the decoded path segments after the service URL's path (e.g. v3, conversations, {id}, …).
/// </summary>
public sealed record ConnectorCall(string Method, string Target, IReadOnlyList<string> Segments, string Body, string? Authorization, string? ContentType, DateTimeOffset At, int Status)
{
    public JsonObject? Json => Body.Length == 0 ? null : JsonNode.Parse(Body)?.AsObject();
}

/// <summary>A token request as it arrived: the decoded form fields.</summary>
public sealed record TokenCall(IReadOnlyDictionary<string, string> Form, DateTimeOffset At);

/// <summary>An answer a test scripts for the next Connector request.</summary>
public sealed record ConnectorAnswer(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Azure Bot Service on 127.0.0.1: the Entra client-credentials endpoint (<see cref="TokenEndpoint"/>) that issues
/// <c>token-1</c>, <c>token-2</c>, … for the configured app id and password, and the Connector API v3 under
/// <see cref="ServiceUrl"/> (send, reply, update, delete, create conversation, members) that requires one of the issued
/// tokens (unless <see cref="RequireAuth"/> is off), keeps the activities and records every request.
/// </summary>
public sealed class FakeConnector : IAsyncDisposable
{
    public const string ServicePath = "/teams/";

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private readonly List<ConnectorCall> _calls = [];
    private readonly List<TokenCall> _tokenCalls = [];
    private readonly HashSet<string> _issued = [];
    private readonly Queue<ConnectorAnswer> _script = new();
    private readonly Dictionary<(string Conversation, string Activity), JsonObject> _activities = [];
    private int _nextId;
    private int _tokenRequestsStarted;

    private FakeConnector(WebApplication app, TimeProvider clock, string appId, string appPassword)
    {
        _app = app;
        _clock = clock;
        AppId = appId;
        AppPassword = appPassword;
    }

    public string AppId { get; }

    public string AppPassword { get; }

    /// <summary>What to configure as BotFramework:TokenEndpoint.</summary>
    public string TokenEndpoint { get; private set; } = "";

    /// <summary>The serviceUrl an activity from this channel carries, with Teams' trailing slash.</summary>
    public string ServiceUrl { get; private set; } = "";

    /// <summary>The <c>expires_in</c> of issued tokens.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>When set, token requests wait for it: lets a test hold a fetch open while others ask.</summary>
    public TaskCompletionSource? HoldTokens { get; set; }

    /// <summary>When off, Connector requests need no Authorization header (as with the Emulator).</summary>
    public bool RequireAuth { get; set; } = true;

    /// <summary>What GET …/members returns.</summary>
    public IReadOnlyList<JsonObject> Members { get; set; } = [];

    public IReadOnlyList<ConnectorCall> Calls
    {
        get
        {
            lock (_lock) return [.. _calls];
        }
    }

    public IReadOnlyList<TokenCall> TokenCalls
    {
        get
        {
            lock (_lock) return [.. _tokenCalls];
        }
    }

    public int TokenRequestsStarted => Volatile.Read(ref _tokenRequestsStarted);

    /// <summary>Waits (in real time, briefly) until at least <paramref name="count"/> token requests have arrived.</summary>
    public async Task WaitForTokenRequestsAsync(int count = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (TokenRequestsStarted < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Expected {count} token requests, saw {TokenRequestsStarted}.");
            await Task.Delay(5);
        }
    }

    /// <summary>The activity now stored under these (decoded) ids, or null when none is or it was deleted.</summary>
    public JsonObject? Activity(string conversationId, string activityId)
    {
        lock (_lock) return _activities.GetValueOrDefault((conversationId, activityId));
    }

    public static async Task<FakeConnector> StartAsync(TimeProvider clock, string appId = "5b2f6c1e-8d4a-4c3e-9f7a-1e2d3c4b5a69", string appPassword = "s3cret~value")
    {
        var app = Loopback.CreateApp();
        var fake = new FakeConnector(app, clock, appId, appPassword);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var origin = app.Urls.First().TrimEnd('/');
        fake.TokenEndpoint = origin + "/botframework.com/oauth2/v2.0/token";
        fake.ServiceUrl = origin + ServicePath;
        return fake;
    }

    /// <summary>While set, Connector requests get no answer (the channel is down and connections hang until the caller gives up).</summary>
    public bool Stalling { get; set; }

    /// <summary>How many Connector requests were given up by their caller while <see cref="Stalling"/>.</summary>
    public int Stalled => Volatile.Read(ref _stalled);

    private int _stalled;

    /// <summary>In a script, lets one request have its normal answer, so that a later one can be made to fail.</summary>
    public static ConnectorAnswer Normally { get; } = new(0);

    /// <summary>The next Connector request gets <paramref name="answer"/> instead of the normal one (in order, one each).</summary>
    public void Script(ConnectorAnswer answer)
    {
        lock (_lock) _script.Enqueue(answer);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (request.Path == "/botframework.com/oauth2/v2.0/token" && request.Method == "POST")
        {
            await IssueTokenAsync(http, body);
            return;
        }
        try
        {
            while (Stalling) await Task.Delay(20, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _stalled);
            return;
        }
        var target = http.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var rawPath = target.Split('?')[0];
        if (!rawPath.StartsWith(ServicePath, StringComparison.Ordinal))
        {
            http.Response.StatusCode = 404;
            return;
        }
        var segments = rawPath[ServicePath.Length..].Split('/').Select(Uri.UnescapeDataString).ToList();
        var authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null;
        var answer = Answer(request.Method, segments, body, authorization, request.ContentType);
        lock (_lock) _calls.Add(new ConnectorCall(request.Method, target, segments, body, authorization, request.ContentType, _clock.GetUtcNow(), answer.Status));
        http.Response.StatusCode = answer.Status;
        http.Response.Headers["X-Correlating-OperationId"] = Guid.NewGuid().ToString();
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>()) http.Response.Headers[name] = value;
        if (answer.Body.Length > 0)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(answer.Body);
        }
    }

    private async Task IssueTokenAsync(HttpContext http, string body)
    {
        Interlocked.Increment(ref _tokenRequestsStarted);
        if (HoldTokens is { } hold) await hold.Task;
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));
        string? token = null;
        lock (_lock)
        {
            _tokenCalls.Add(new TokenCall(form, _clock.GetUtcNow()));
            if (form.GetValueOrDefault("grant_type") == "client_credentials"
                && form.GetValueOrDefault("client_id") == AppId
                && form.GetValueOrDefault("client_secret") == AppPassword
                && form.GetValueOrDefault("scope") == "https://api.botframework.com/.default")
            {
                token = $"token-{_tokenCalls.Count}";
                _issued.Add(token);
            }
        }
        if (token is null)
        {
            http.Response.StatusCode = 401;
            await http.Response.WriteAsJsonAsync(new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided." });
            return;
        }
        await http.Response.WriteAsJsonAsync(new { token_type = "Bearer", expires_in = TokenLifetimeSeconds, ext_expires_in = TokenLifetimeSeconds, access_token = token });
    }

    private ConnectorAnswer Answer(string method, List<string> segments, string body, string? authorization, string? contentType)
    {
        lock (_lock)
        {
            if (RequireAuth && (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_issued.Contains(authorization["Bearer ".Length..])))
            {
                return Error(401, "Unauthorized", "Authorization has been denied for this request.");
            }
            if (_script.TryDequeue(out var scripted) && scripted != Normally) return scripted;
            if (body.Length > 0 && contentType?.StartsWith("application/json", StringComparison.Ordinal) != true) return Error(415, "BadSyntax", "Expected JSON");
            if (segments is not ["v3", "conversations", ..]) return Error(404, "NotFound", "Unknown route");
            return (method, segments[2..]) switch
            {
                ("POST", []) => Created(JsonNode.Parse(body)!.AsObject()),
                ("GET", [_, "members"]) => new(200, new JsonArray([.. Members.Select(m => (JsonNode)m.DeepClone())]).ToJsonString()),
                ("POST", [var conversation, "activities"]) => Store(conversation, NextId(), body),
                ("POST", [var conversation, "activities", _]) => Store(conversation, NextId(), body),
                ("PUT", [var conversation, "activities", var activity]) when _activities.ContainsKey((conversation, activity)) => Store(conversation, activity, body),
                ("DELETE", [var conversation, "activities", var activity]) when _activities.Remove((conversation, activity)) => new(200),
                (_, [_, "activities", _]) => Error(404, "ActivityNotFoundInConversation", "Unknown activity"),
                _ => Error(404, "NotFound", "Unknown route"),
            };
        }
    }

    private string NextId() => $"1:{++_nextId}";

    private ConnectorAnswer Store(string conversation, string activityId, string body)
    {
        _activities[(conversation, activityId)] = JsonNode.Parse(body)!.AsObject();
        return new(200, new JsonObject { ["id"] = activityId }.ToJsonString());
    }

    private ConnectorAnswer Created(JsonObject parameters)
    {
        var id = $"a:{++_nextId}";
        var result = new JsonObject { ["id"] = id };
        if (parameters["activity"] is JsonObject first)
        {
            var activityId = NextId();
            _activities[(id, activityId)] = (JsonObject)first.DeepClone();
            result["activityId"] = activityId;
        }
        return new(201, result.ToJsonString());
    }

    private static ConnectorAnswer Error(int status, string code, string message) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString());
}
