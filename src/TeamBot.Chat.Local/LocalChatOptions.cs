namespace TeamBot.Chat.Local;

/// <summary>The built-in web chat. Bound from <c>Local</c>.</summary>
public sealed class LocalChatOptions
{
    /// <summary>The workspace id of the local chat; fixed, so that webhooks can name it.</summary>
    public const string WorkspaceId = "local";

    public const string Platform = "local";

    public const string BotId = "teambot";

    public bool Enabled { get; set; } = true;

    public string WorkspaceName { get; set; } = "Local workspace";

    /// <summary>The name the bot posts under.</summary>
    public string BotName { get; set; } = "TeamBot";

    /// <summary>IANA time zone of the local workspace, e.g. Europe/Berlin.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Channel names; empty means handoffs, marketing and general.</summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>The people who can use the local chat, with their roles.</summary>
    public List<LocalPerson> People { get; set; } = [];

    /// <summary>How many messages per second the local chat accepts into one channel; bursts beyond it are queued.</summary>
    public double PostsPerSecond { get; set; } = 20;

    /// <summary>The local chat's own message store; defaults to localchat.db in the data directory.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>
    /// Host names the local chat answers to. It has no login, so by default it answers only when reached as a
    /// loopback name; a web page elsewhere cannot reach it through a rebound DNS name.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// When set, every page and API call of the local chat needs this token (a login at /login, or a bearer header).
    /// When TeamBot listens beyond loopback without one, a token is generated into the data directory.
    /// </summary>
    public string? AccessToken { get; set; }

    public IReadOnlyList<string> EffectiveChannels => Channels.Count > 0 ? Channels : ["handoffs", "marketing", "general"];

    public IReadOnlyList<string> EffectiveAllowedHosts => AllowedHosts.Count > 0 ? AllowedHosts : ["localhost", "127.0.0.1", "[::1]", "::1"];
}

public sealed class LocalPerson
{
    /// <summary>A short id such as "sam", used in the API's <c>user</c> fields.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Any of sales, marketing, admin.</summary>
    public List<string> Roles { get; set; } = [];

    public string? Email { get; set; }

    /// <summary>IANA time zone; defaults to the workspace's.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Working hours as HH:mm-HH:mm; default 09:00-18:00.</summary>
    public string? WorkHours { get; set; }

    /// <summary>Work days such as Mon-Fri or Sun-Thu or Mon,Wed,Fri; default Mon-Fri.</summary>
    public string? WorkDays { get; set; }

    /// <summary>First day back after leave, yyyy-MM-dd.</summary>
    public DateOnly? AwayUntil { get; set; }
}
