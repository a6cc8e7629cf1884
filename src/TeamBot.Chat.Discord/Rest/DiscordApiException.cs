using System.Net;

namespace TeamBot.Chat.Discord.Rest;

/// <summary>Discord refused a request, or kept failing it. <see cref="Code"/> is Discord's JSON error code when it sent one.</summary>
public class DiscordApiException : Exception
{
    public DiscordApiException(string message) : base(message)
    {
    }

    public DiscordApiException(string message, Exception inner) : base(message, inner)
    {
    }

    public DiscordApiException(HttpStatusCode status, int? code, string route, string message)
        : base($"Discord answered {(int)status} to {route}{(code is null ? "" : $" (code {code})")}: {message}")
    {
        Status = status;
        Code = code;
        Route = route;
    }

    public DiscordApiException()
    {
    }

    public HttpStatusCode? Status { get; }

    public int? Code { get; }

    public string? Route { get; }

    /// <summary>For a 429 that outlasted the retries: how long Discord asked to wait.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// Discord answered 401: the bot token is wrong or was reset. The client stops using the token at once (Discord bans
/// clients that keep sending a bad one); set a new <c>Discord:Token</c> and restart.
/// </summary>
public sealed class DiscordTokenRejectedException : DiscordApiException
{
    public DiscordTokenRejectedException(string route)
        : base(HttpStatusCode.Unauthorized, null, route, "the bot token was rejected. TeamBot has stopped using it: set a valid Discord:Token (environment variable Discord__Token) and restart.")
    {
    }

    public DiscordTokenRejectedException() : base("The Discord bot token was rejected.")
    {
    }

    public DiscordTokenRejectedException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>Too many 401/403/429 answers in ten minutes: the client refuses to send more until the window allows, far below Discord's ban line.</summary>
public sealed class DiscordInvalidRequestGuardException : DiscordApiException
{
    public DiscordInvalidRequestGuardException(int count, TimeSpan reopensIn)
        : base($"Discord refused {count} requests (401/403/429) in the last 10 minutes; TeamBot pauses Discord calls for {reopensIn.TotalSeconds:0} s so that Discord does not ban this address.")
    {
        ReopensIn = reopensIn;
    }

    public DiscordInvalidRequestGuardException() : base("Too many refused Discord requests.")
    {
    }

    public DiscordInvalidRequestGuardException(string message) : base(message)
    {
    }

    public DiscordInvalidRequestGuardException(string message, Exception inner) : base(message, inner)
    {
    }

    public TimeSpan ReopensIn { get; }
}
