using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeamBot.Core.Chat;
using TeamBot.Core.Commands;
using TeamBot.Core.Feedback;

namespace TeamBot.Chat.Local;

public sealed record PostMessageRequest(string? User, string? Text);

public sealed record EditMessageRequest(string? User, string? Text);

public sealed record ActionRequest(string? User, string? Action, string? Value);

public sealed record LocalReplyDto(string Visibility, LocalMessageDto Message);

public sealed record PostMessageResponse(LocalMessageDto? Message, LocalReplyDto? Reply);

public sealed record ReactionResponse(LocalMessageDto Message, LocalNoticeDto? Notice);

public sealed record LocalNoticeDto(string Text);

public sealed record LocalAuthorDto(string Id, string Name, bool IsBot);

public sealed record LocalReactionDto(string Emoji, IReadOnlyList<LocalPersonRef> Users);

public sealed record LocalMessageDto(
    string Id,
    string Channel,
    string? ThreadOf,
    LocalAuthorDto Author,
    string? Text,
    IReadOnlyList<LocalPersonRef> Notify,
    LocalCommandEcho? Command,
    JsonElement? Card,
    IReadOnlyList<LocalReactionDto> Reactions,
    IReadOnlyList<LocalMessageDto> Replies,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt);

/// <summary>The local chat's JSON API, which its web page uses and tests drive. Documented in the README.</summary>
public static class LocalChatApi
{
    public const int MaxMessagesPerChannel = 200;

    public static IEndpointRouteBuilder MapLocalChat(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (LocalChatAccess access) => access.TokenRequired ? (IResult)LoginPage() : TypedResults.Redirect("/")).ExcludeFromDescription();
        app.MapPost("/login", LoginAsync).ExcludeFromDescription().DisableAntiforgery();
        var local = app.MapGroup("").AddEndpointFilter(OnlyFromAllowedHosts);
        local.MapGet("/", () => Page("index.html", "text/html; charset=utf-8")).ExcludeFromDescription();
        local.MapGet("/app.js", () => Page("app.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        local.MapGet("/app.css", () => Page("app.css", "text/css; charset=utf-8")).ExcludeFromDescription();
        local.MapGet("/favicon.ico", () => TypedResults.NoContent()).ExcludeFromDescription();

        var api = local.MapGroup("/api/local");
        api.MapGet("/config", GetConfig);
        api.MapGet("/people", (LocalChatDirectory directory) => TypedResults.Ok(People(directory)));
        api.MapGet("/channels", (LocalChatDirectory directory) => TypedResults.Ok(directory.Channels.Select(c => new { id = c, name = c })));
        api.MapGet("/channels/{channel}/messages", GetMessages);
        api.MapPost("/channels/{channel}/messages", PostMessage);
        api.MapPost("/messages/{id:long}/replies", PostReply);
        api.MapPatch("/messages/{id:long}", EditMessage);
        api.MapPut("/messages/{id:long}/reactions/{emoji}", (long id, string emoji, string? user, LocalChatServices s, CancellationToken ct) => React(id, emoji, user, true, s, ct));
        api.MapDelete("/messages/{id:long}/reactions/{emoji}", (long id, string emoji, string? user, LocalChatServices s, CancellationToken ct) => React(id, emoji, user, false, s, ct));
        api.MapPost("/messages/{id:long}/actions", PostAction);
        api.MapGet("/events", StreamEvents);
        return app;
    }

    /// <summary>
    /// Without a token, the local chat answers only requests from this machine addressed to an allowed host name (so a
    /// page elsewhere cannot reach it through a rebound DNS name). With one, only requests with the token or the login
    /// cookie. Either way, changes sent by a page from another site (<c>Origin</c>) are refused.
    /// </summary>
    private static async ValueTask<object?> OnlyFromAllowedHosts(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var access = http.RequestServices.GetRequiredService<LocalChatAccess>();
        var allowed = access.Options.EffectiveAllowedHosts;
        if (!access.TokenRequired && !access.Admits(http))
        {
            return Problem(403, "Only from this machine",
                $"The local chat has no login, so it answers only on this machine when reached as {string.Join(", ", allowed)}. " +
                "Set Local:AllowedHosts to reach it by another name, or Local:AccessToken to require a login from elsewhere.");
        }
        if (access.TokenRequired && !access.Admits(http))
        {
            if (HttpMethods.IsGet(request.Method) && request.Path == "/") return TypedResults.Redirect("/login");
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"TeamBot local chat\"";
            return Problem(401, "Login required",
                "The local chat needs its access token: sign in at /login, or send it as Authorization: Bearer <token> (Local:AccessToken).");
        }
        var origin = request.Headers.Origin.ToString();
        if (!HttpMethods.IsGet(request.Method) && origin.Length > 0
            && (!Uri.TryCreate(origin, UriKind.Absolute, out var from)
                || !(access.IsAllowedHost(from.Host) || (access.TokenRequired && string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))))
        {
            return Problem(403, "Cross-site request refused", $"Changes to the local chat are accepted only from its own page, not from {origin}.");
        }
        return await next(context);
    }

    /// <summary>The login form; signing in with the access token sets a cookie derived from it, valid for this site only.</summary>
    private static ContentHttpResult LoginPage(string? problem = null) =>
        TypedResults.Content(LoginHtml.Replace("{problem}", problem is null ? "" : $"<p class=\"login-problem\" role=\"alert\">{problem}</p>", StringComparison.Ordinal),
            "text/html; charset=utf-8", statusCode: problem is null ? 200 : 401);

    private static async Task<IResult> LoginAsync(HttpContext http, LocalChatAccess access)
    {
        if (!access.TokenRequired) return TypedResults.Redirect("/");
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || !string.Equals(from.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return Problem(403, "Cross-site request refused", $"Sign in from the local chat's own page, not from {origin}.");
        }
        var token = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))["token"].ToString() : "";
        if (!access.IsToken(token)) return LoginPage("That is not the local chat's access token.");
        http.Response.Cookies.Append(LocalChatAccess.CookieName, access.SessionValue, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = TimeSpan.FromDays(30),
        });
        return TypedResults.Redirect("/");
    }

    private const string LoginHtml = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>TeamBot · sign in</title></head>
        <body>
          <main class="login">
            <h1>TeamBot local chat</h1>
            <p>This chat is reachable beyond this machine, so it asks for its access token (Local:AccessToken, or the file
            local-access-token in TeamBot's data directory).</p>
            {problem}
            <form method="post" action="/login">
              <label for="token">Access token</label>
              <input id="token" name="token" type="password" autocomplete="current-password" required>
              <button type="submit">Sign in</button>
            </form>
          </main>
        </body>
        </html>
        """;

    private static IResult Page(string name, string contentType)
    {
        var stream = typeof(LocalChatApi).Assembly.GetManifestResourceStream("wwwroot/" + name);
        return stream is null ? TypedResults.NotFound() : TypedResults.Stream(stream, contentType);
    }

    private static Ok<object> GetConfig(LocalChatDirectory directory, ReactionMap reactions) => TypedResults.Ok<object>(new
    {
        workspace = LocalChatOptions.WorkspaceId,
        workspaceName = directory.Options.WorkspaceName,
        bot = new { id = LocalChatOptions.BotId, name = directory.BotName },
        channels = directory.Channels.Select(c => new { id = c, name = c }),
        people = People(directory),
        reactions = reactions.Entries.Select(e => new { emoji = e.Emoji, label = ReactionMap.Label(e.Meaning) }),
        commands = CommandCatalog.All.Select(c => new { name = c.FullName, usage = c.Usage, description = c.Description }),
    });

    private static IEnumerable<object> People(LocalChatDirectory directory) =>
        directory.People.Select(p => new { id = p.Id, name = p.Name, roles = p.Roles.Select(r => r.ToLowerInvariant()) });

    private static Results<Ok<object>, ProblemHttpResult> GetMessages(string channel, LocalChatServices s)
    {
        if (!s.Directory.IsChannel(channel)) return UnknownChannel(channel, s.Directory);
        var messages = s.Store.ListChannel(channel, MaxMessagesPerChannel);
        return TypedResults.Ok<object>(new { channel, messages = s.ToDtos(messages) });
    }

    private static async Task<IResult> PostMessage(string channel, PostMessageRequest request, LocalChatServices s, CancellationToken ct)
    {
        if (!s.Directory.IsChannel(channel)) return UnknownChannel(channel, s.Directory);
        if (Validate(request.User, request.Text, s.Directory) is { } problem) return problem;
        var person = s.Directory.Person(request.User)!;
        if (NotYourConversation(channel, person) is { } notYours) return notYours;
        var place = new PlaceRef(LocalChatOptions.Platform, LocalChatOptions.WorkspaceId, channel);
        return await PostAsync(place, channel, null, person, request.Text!, s, ct);
    }

    /// <summary>A direct conversation with the bot (<c>@sam</c>), and the threads in it, take messages from that person only.</summary>
    private static ProblemHttpResult? NotYourConversation(string channel, LocalPerson person) =>
        channel.StartsWith('@') && channel[1..] != person.Id
            ? Problem(403, "Not your conversation", $"{channel} is {channel[1..]}'s direct conversation with the bot; post in @{person.Id} instead.", "user")
            : null;

    private static async Task<IResult> PostReply(long id, PostMessageRequest request, LocalChatServices s, CancellationToken ct)
    {
        var root = s.Store.Get(id);
        if (root is null) return UnknownMessage(id);
        if (root.ThreadOf is not null) return Problem(400, "Not a thread root", $"Message {id} is itself a reply; reply to its root message {root.ThreadOf} instead.");
        if (Validate(request.User, request.Text, s.Directory) is { } problem) return problem;
        var person = s.Directory.Person(request.User)!;
        if (NotYourConversation(root.Channel, person) is { } notYours) return notYours;
        var place = new PlaceRef(LocalChatOptions.Platform, LocalChatOptions.WorkspaceId, LocalPlaces.Thread(id));
        return await PostAsync(place, root.Channel, id, person, request.Text!, s, ct);
    }

    private static async Task<IResult> PostAsync(PlaceRef place, string channel, long? threadOf, LocalPerson person, string text, LocalChatServices s, CancellationToken ct)
    {
        var user = LocalChatDirectory.UserOf(person);
        if (CommandParser.LooksLikeCommand(text))
        {
            var reply = CommandParser.TryParse(text, out var command, out var error)
                ? await s.Inbox.HandleAsync(new CommandInvoked(place, user, command), ct)
                : ChatReply.Private(error);
            return TypedResults.Ok(new PostMessageResponse(null, s.Deliver(reply, place, new LocalCommandEcho(new LocalPersonRef(person.Id, person.Name), text.Trim()))));
        }

        var (stored, _) = s.Store.Insert(new LocalMessage(0, channel, threadOf, person.Id, person.Name, false, text, null, null, null, s.Clock.GetUtcNow(), null), null);
        var messageId = stored.Id.ToString(CultureInfo.InvariantCulture);
        s.Events.Publish(new LocalChatEvent("message.created", channel, messageId, threadOf?.ToString(CultureInfo.InvariantCulture)));
        ChatReply? answer = null;
        if (threadOf is not null) answer = await s.Inbox.HandleAsync(new ThreadMessagePosted(place, user, messageId, text), ct);
        else if (channel.StartsWith('@')) answer = await s.Inbox.HandleAsync(new DirectMessagePosted(place, user, messageId, text), ct);
        return TypedResults.Created($"/api/local/messages/{messageId}", new PostMessageResponse(s.ToDto(stored), s.Deliver(answer, place, null)));
    }

    /// <summary>The author changes the text of one of their own plain messages; TeamBot hears of it as an edit.</summary>
    private static async Task<IResult> EditMessage(long id, EditMessageRequest request, LocalChatServices s, CancellationToken ct)
    {
        var message = s.Store.Get(id);
        if (message is null) return UnknownMessage(id);
        if (Validate(request.User, request.Text, s.Directory) is { } problem) return problem;
        var person = s.Directory.Person(request.User)!;
        if (message.IsBot || message.AuthorId != person.Id) return Problem(403, "Not your message", $"Only the author of message {id} can edit it.", "user");
        if (message.CardJson is not null || message.CommandJson is not null) return Problem(400, "Not a plain message", $"Message {id} is not a plain text message, so it cannot be edited.");
        if (CommandParser.LooksLikeCommand(request.Text!)) return Problem(400, "Commands cannot be edited in", "An edit cannot turn a message into a command; send the command as a new message.", "text");

        var text = request.Text!;
        if (text != message.Text)
        {
            s.Store.Update(id, text, null, null, s.Clock.GetUtcNow());
            var messageId = id.ToString(CultureInfo.InvariantCulture);
            s.Events.Publish(new LocalChatEvent("message.updated", message.Channel, messageId, message.ThreadOf?.ToString(CultureInfo.InvariantCulture)));
            var place = new PlaceRef(LocalChatOptions.Platform, LocalChatOptions.WorkspaceId, LocalPlaces.Of(message));
            var reply = await s.Inbox.HandleAsync(new MessageEdited(place, LocalChatDirectory.UserOf(person), messageId, text), ct);
            return TypedResults.Ok(new PostMessageResponse(s.ToDto(s.Store.Get(id)!), s.Deliver(reply, place, null)));
        }
        return TypedResults.Ok(new PostMessageResponse(s.ToDto(message), null));
    }

    private static async Task<IResult> React(long id, string emoji, string? user, bool add, LocalChatServices s, CancellationToken ct)
    {
        var message = s.Store.Get(id);
        if (message is null) return UnknownMessage(id);
        var person = s.Directory.Person(user);
        if (person is null) return UnknownUser(user, s.Directory);
        emoji = emoji.Trim();
        if (emoji.Length is 0 or > 32 || emoji.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '/'))
        {
            return Problem(400, "Invalid emoji", "A reaction is one emoji (at most 32 characters, no spaces or markup).", "emoji");
        }

        var changed = add
            ? s.Store.AddReaction(id, emoji, person.Id, person.Name, s.Clock.GetUtcNow())
            : s.Store.RemoveReaction(id, emoji, person.Id);
        ChatReply? reply = null;
        if (changed)
        {
            s.Events.Publish(new LocalChatEvent("reaction.changed", message.Channel, message.Id.ToString(CultureInfo.InvariantCulture), message.ThreadOf?.ToString(CultureInfo.InvariantCulture)));
            var reference = new MessageRef(LocalChatOptions.Platform, LocalChatOptions.WorkspaceId, LocalPlaces.Of(message), message.Id.ToString(CultureInfo.InvariantCulture));
            reply = await s.Inbox.HandleAsync(new ReactionChanged(reference, LocalChatDirectory.UserOf(person), emoji, add), ct);
        }
        var notice = reply?.Message.Text is { } text ? new LocalNoticeDto(text) : null;
        return TypedResults.Ok(new ReactionResponse(s.ToDto(s.Store.Get(id)!), notice));
    }

    private static async Task<IResult> PostAction(long id, ActionRequest request, LocalChatServices s, CancellationToken ct)
    {
        var message = s.Store.Get(id);
        if (message is null) return UnknownMessage(id);
        var person = s.Directory.Person(request.User);
        if (person is null) return UnknownUser(request.User, s.Directory);
        if (string.IsNullOrWhiteSpace(request.Action)) return Problem(400, "Missing action", "Say which control was used: \"action\" is required.", "action");
        if (request.Value is { Length: > 1000 }) return Problem(400, "Value too long", "\"value\" may be at most 1000 characters.", "value");

        var choice = ChatInbox.SplitValue(request.Value).Choice;
        var known = s.Store.HasControl(id, LocalChatPlatform.Control(request.Action, request.Value, takesInput: false))
                    || s.Store.HasControl(id, LocalChatPlatform.Control(request.Action, choice, takesInput: true))
                    || (request.Value is not null && s.Store.HasControl(id, LocalChatPlatform.Control(request.Action, null, takesInput: true)));
        if (!known)
        {
            return Problem(400, "Unknown control", $"Message {id} has no control '{request.Action}' with the value '{request.Value}'.", "action");
        }

        var place = LocalPlaces.Of(message);
        var reference = new MessageRef(LocalChatOptions.Platform, LocalChatOptions.WorkspaceId, place, message.Id.ToString(CultureInfo.InvariantCulture));
        var reply = await s.Inbox.HandleAsync(new CardActionInvoked(reference, LocalChatDirectory.UserOf(person), request.Action, request.Value), ct);
        var delivered = s.Deliver(reply, reference.Place, null);
        return TypedResults.Ok(new PostMessageResponse(s.ToDto(s.Store.Get(id)!), delivered));
    }

    private static async Task StreamEvents(HttpContext context, LocalChatEvents events, IHostApplicationLifetime lifetime)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var subscription = events.Subscribe();
        await context.Response.WriteAsync(": connected\n\n", stop.Token);
        await context.Response.Body.FlushAsync(stop.Token);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                wait.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    var change = await subscription.Reader.ReadAsync(wait.Token);
                    await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(change, LocalChatPlatform.Json)}\n\n", stop.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", stop.Token);
                }
                await context.Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away or the bot is stopping.
        }
    }

    private static ProblemHttpResult? Validate(string? user, string? text, LocalChatDirectory directory)
    {
        if (directory.Person(user) is null) return UnknownUser(user, directory);
        if (string.IsNullOrWhiteSpace(text)) return Problem(400, "Empty message", "\"text\" is required and may not be blank.", "text");
        if (text.Length > LocalChatPlatform.MaxTextLength)
        {
            return Problem(400, "Message too long", $"\"text\" may be at most {LocalChatPlatform.MaxTextLength} characters (got {text.Length}).", "text");
        }
        if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            return Problem(400, "Invalid characters", "\"text\" contains a control character.", "text");
        }
        return null;
    }

    private static ProblemHttpResult UnknownUser(string? user, LocalChatDirectory directory) =>
        Problem(400, "Unknown user", $"'{user}' is not a person in the local workspace; use one of: {string.Join(", ", directory.People.Select(p => p.Id))}.", "user");

    private static ProblemHttpResult UnknownChannel(string channel, LocalChatDirectory directory) =>
        Problem(404, "Unknown channel", $"The local chat has no channel '{channel}'; it has {string.Join(", ", directory.Channels)} and @<person> for direct messages.");

    private static ProblemHttpResult UnknownMessage(long id) => Problem(404, "Unknown message", $"There is no message {id}.");

    private static ProblemHttpResult Problem(int status, string title, string detail, string? field = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title,
            extensions: field is null ? null : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });
}
