using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace TeamBot.Chat.BotFramework.Connector;

/// <summary>The Connector API refused a request (a 4xx other than a 401 retried once, or a transient failure after the last attempt).</summary>
public sealed class ConnectorException(string operation, int status, string body)
    : Exception($"Connector {operation} failed with {status}: {(body.Length > 500 ? body[..500] : body)}")
{
    public string Operation { get; } = operation;

    public int Status { get; } = status;

    /// <summary>The response body, e.g. Teams' <c>{"error":{"code":"MessageWritesBlocked"}}</c> or a 413 <c>MessageSizeTooBig</c>.</summary>
    public string Body { get; } = body;

    /// <summary>Teams' 403 <c>MessageWritesBlocked</c>: the user blocked or uninstalled the bot; do not send there again.</summary>
    public bool WritesBlocked => Status == 403 && Body.Contains("MessageWritesBlocked", StringComparison.Ordinal);
}

/// <summary>A service URL that no authenticated activity brought: the bot's token is not sent there, and nothing else is either.</summary>
public sealed class UntrustedServiceUrlException(string serviceUrl)
    : InvalidOperationException($"The service URL '{serviceUrl}' did not come with an authenticated activity; refusing to call it.")
{
    public string ServiceUrl { get; } = serviceUrl;
}

/// <summary>
/// The Bot Framework Connector API (v3) at an activity's <c>serviceUrl</c>. Ids are percent-encoded into the path (Teams
/// ids hold ':' ';' '@'). 429, 412 and 5xx are retried up to <see cref="MaxAttempts"/> times with exponential backoff
/// and jitter, or after the response's Retry-After; a 401 fetches a new token and retries once; other failures throw
/// <see cref="ConnectorException"/>. With an app id, only <see cref="TrustedServiceUrls"/> are called.
/// </summary>
public sealed partial class ConnectorClient(
    HttpClient http,
    BotTokenProvider tokens,
    TrustedServiceUrls trusted,
    TimeProvider clock,
    ILogger<ConnectorClient> logger)
{
    public const int MaxAttempts = 4;

    /// <summary>The first backoff; each retry doubles it, and jitter takes it down to half at random.</summary>
    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts, also for a longer Retry-After.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>POST /v3/conversations/{conversationId}/activities: a new message in the conversation (also proactive).</summary>
    public async Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, OutgoingActivity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var body = await SendAsync("SendToConversation", HttpMethod.Post, serviceUrl, ActivitiesPath(conversationId), activity, cancellationToken).ConfigureAwait(false);
        return ReadResource(body);
    }

    /// <summary>POST /v3/conversations/{conversationId}/activities/{activityId}: a reply to that activity.</summary>
    public async Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, OutgoingActivity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var reply = activity.ReplyToId is null ? activity with { ReplyToId = activityId } : activity;
        var body = await SendAsync("ReplyToActivity", HttpMethod.Post, serviceUrl, ActivityPath(conversationId, activityId), reply, cancellationToken).ConfigureAwait(false);
        return ReadResource(body);
    }

    /// <summary>PUT /v3/conversations/{conversationId}/activities/{activityId}: replaces a message the bot sent (e.g. a card).</summary>
    public async Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, OutgoingActivity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var body = await SendAsync("UpdateActivity", HttpMethod.Put, serviceUrl, ActivityPath(conversationId, activityId), activity, cancellationToken).ConfigureAwait(false);
        return ReadResource(body);
    }

    /// <summary>DELETE /v3/conversations/{conversationId}/activities/{activityId}.</summary>
    public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken = default) =>
        SendAsync("DeleteActivity", HttpMethod.Delete, serviceUrl, ActivityPath(conversationId, activityId), null, cancellationToken);

    /// <summary>POST /v3/conversations: starts a conversation (in Teams, a proactive 1:1 chat); returns its id.</summary>
    public async Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var body = await SendAsync("CreateConversation", HttpMethod.Post, serviceUrl, "/v3/conversations", parameters, cancellationToken).ConfigureAwait(false);
        var created = Deserialize<ConversationResourceResponse>(body);
        return created is { Id.Length: > 0 } ? created : throw new ConnectorException("CreateConversation", 200, "the response has no conversation id");
    }

    /// <summary>GET /v3/conversations/{conversationId}/members.</summary>
    public async Task<IReadOnlyList<ConnectorAccount>> GetConversationMembersAsync(string serviceUrl, string conversationId, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync("GetConversationMembers", HttpMethod.Get, serviceUrl, $"/v3/conversations/{Uri.EscapeDataString(conversationId)}/members", null, cancellationToken).ConfigureAwait(false);
        return Deserialize<List<ConnectorAccount>>(body) ?? [];
    }

    private static string ActivitiesPath(string conversationId) => $"/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities";

    private static string ActivityPath(string conversationId, string activityId) => $"{ActivitiesPath(conversationId)}/{Uri.EscapeDataString(activityId)}";

    private static ResourceResponse ReadResource(string body) => Deserialize<ResourceResponse>(body) ?? new ResourceResponse(null);

    private static T? Deserialize<T>(string body) where T : class =>
        string.IsNullOrWhiteSpace(body) ? null : JsonSerializer.Deserialize<T>(body, ConnectorJson.Options);

    /// <summary>One operation with its retries; returns the response body of the first success.</summary>
    private async Task<string> SendAsync(string operation, HttpMethod method, string serviceUrl, string path, object? payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceUrl);
        if (tokens.Enabled && !trusted.IsTrusted(serviceUrl)) throw new UntrustedServiceUrlException(serviceUrl);
        var uri = new Uri(serviceUrl.TrimEnd('/') + path, UriKind.Absolute);
        var json = payload is null ? null : JsonSerializer.Serialize(payload, payload.GetType(), ConnectorJson.Options);
        var refreshed = false;
        var failures = 0;
        while (true)
        {
            var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, uri);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var correlation = response.Headers.TryGetValues("X-Correlating-OperationId", out var ids) ? string.Join(",", ids) : null;
            LogResponse(logger, operation, status, correlation);
            if (response.IsSuccessStatusCode) return body;
            if (status == 401 && token is not null && !refreshed)
            {
                refreshed = true;
                tokens.Invalidate(token);
                continue;
            }
            if (IsTransient(status) && ++failures < MaxAttempts)
            {
                var delay = DelayBefore(failures, response.Headers.RetryAfter);
                LogRetry(logger, operation, status, delay, failures + 1);
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                continue;
            }
            throw new ConnectorException(operation, status, body);
        }
    }

    /// <summary>429 and 412 (Teams' throttling answers) and every 5xx.</summary>
    private static bool IsTransient(int status) => status is 429 or 412 || status >= 500;

    private TimeSpan DelayBefore(int failures, RetryConditionHeaderValue? retryAfter)
    {
        var asked = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - clock.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        if (asked is { } wait) return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxDelay ? MaxDelay : wait;
        var backoff = BaseDelay * Math.Pow(2, failures - 1);
        // Jitter spreads the retries of many conversations throttled at once; it is not security-relevant.
        var jittered = backoff * (0.5 + (Random.Shared.NextDouble() / 2));
        return jittered > MaxDelay ? MaxDelay : jittered;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connector {Operation} answered {Status} (X-Correlating-OperationId {CorrelationId})")]
    private static partial void LogResponse(ILogger logger, string operation, int status, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Operation} answered {Status}; attempt {Attempt} in {Delay}")]
    private static partial void LogRetry(ILogger logger, string operation, int status, TimeSpan delay, int attempt);
}
