namespace TeamBot.Chat.BotFramework;

/// <summary>
/// Bot Framework (Azure Bot Service: Teams, Slack, Web Chat) settings. Bound from <c>BotFramework</c>; with no app id,
/// channel-token checks are off (local development with the Emulator only).
/// </summary>
public sealed class BotFrameworkOptions
{
    public const string Section = "BotFramework";

    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    public const string DefaultTokenIssuer = "https://api.botframework.com";

    /// <summary>The multi-tenant token endpoint; a <see cref="TenantId"/> replaces <c>botframework.com</c> with the tenant.</summary>
    public const string DefaultTokenEndpoint = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";

    /// <summary>The bot's Microsoft App ID (the Entra app registration's client id); inbound tokens must carry it as <c>aud</c>.</summary>
    public string? AppId { get; set; }

    /// <summary>The app registration's client secret (environment variable <c>BotFramework__AppPassword</c>). Never logged.</summary>
    public string? AppPassword { get; set; }

    /// <summary>The Entra tenant of a single-tenant registration; empty for a legacy multi-tenant one.</summary>
    public string? TenantId { get; set; }

    /// <summary>Where the channel's signing keys are described (its <c>jwks_uri</c>).</summary>
    public string OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;

    /// <summary>The exact <c>iss</c> of channel tokens.</summary>
    public string TokenIssuer { get; set; } = DefaultTokenIssuer;

    /// <summary>The client-credentials endpoint for outbound tokens; empty means Microsoft's, for the tenant when one is set.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>The IANA time zone of workspaces created for Teams teams (stand-ups, digests, SLA hours).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// Who has which TeamBot role: Entra object ids (<c>aadObjectId</c>), emails or sign-in names, or channel user ids
    /// (<c>29:…</c>). Teams has no roles a bot can read, so these lists (and what is stored per person) decide.
    /// </summary>
    public BotFrameworkRoles Roles { get; set; } = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(AppId);

    /// <summary>The endpoint that outbound tokens come from: the configured one, else the tenant's, else the multi-tenant one.</summary>
    public string EffectiveTokenEndpoint =>
        !string.IsNullOrWhiteSpace(TokenEndpoint) ? TokenEndpoint
        : !string.IsNullOrWhiteSpace(TenantId) ? $"https://login.microsoftonline.com/{TenantId.Trim()}/oauth2/v2.0/token"
        : DefaultTokenEndpoint;

    /// <summary>
    /// The issuers accepted on inbound tokens: <see cref="TokenIssuer"/>, and for a single-tenant registration also the
    /// tenant's Entra issuers (v1 and v2 forms), which bot-to-bot traffic uses.
    /// </summary>
    public IReadOnlyList<string> TrustedIssuers =>
        string.IsNullOrWhiteSpace(TenantId)
            ? [TokenIssuer]
            : [TokenIssuer, $"https://sts.windows.net/{TenantId.Trim()}/", $"https://login.microsoftonline.com/{TenantId.Trim()}/v2.0"];

    /// <summary>Every problem with these settings, each naming its key. Empty when they can be used.</summary>
    public static IEnumerable<string> Validate(BotFrameworkOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.AppId is { Length: > 0 } appId && !Guid.TryParse(appId.Trim(), out _))
        {
            yield return $"BotFramework:AppId must be the app registration's client id, a GUID (got '{appId}').";
        }
        if (o.Enabled && string.IsNullOrWhiteSpace(o.AppPassword))
        {
            yield return "BotFramework:AppPassword must be set when BotFramework:AppId is (use the environment variable BotFramework__AppPassword or user secrets).";
        }
        if (!o.Enabled && !string.IsNullOrWhiteSpace(o.AppPassword))
        {
            yield return "BotFramework:AppPassword is set but BotFramework:AppId is empty; set both or neither.";
        }
        if (o.TenantId is { Length: > 0 } tenant && !Guid.TryParse(tenant.Trim(), out _))
        {
            yield return $"BotFramework:TenantId must be the Entra tenant id, a GUID, or empty for a multi-tenant registration (got '{tenant}').";
        }
        if (!IsHttpUrl(o.OpenIdMetadataUrl))
        {
            yield return $"BotFramework:OpenIdMetadataUrl must be an absolute http(s) URL such as {DefaultOpenIdMetadataUrl} (got '{o.OpenIdMetadataUrl}').";
        }
        if (string.IsNullOrWhiteSpace(o.TokenIssuer) || o.TokenIssuer.Trim() != o.TokenIssuer)
        {
            yield return $"BotFramework:TokenIssuer must be the exact issuer of channel tokens, such as {DefaultTokenIssuer} (got '{o.TokenIssuer}').";
        }
        if (!string.IsNullOrWhiteSpace(o.TokenEndpoint) && !IsHttpUrl(o.TokenEndpoint))
        {
            yield return $"BotFramework:TokenEndpoint must be an absolute http(s) URL such as {DefaultTokenEndpoint}, or empty for Microsoft's (got '{o.TokenEndpoint}').";
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone ?? "", out _))
        {
            yield return $"BotFramework:TimeZone must be an IANA time zone such as Europe/Berlin (got '{o.TimeZone}').";
        }
        foreach (var (name, list) in new[] { ("Sales", o.Roles.Sales), ("Marketing", o.Roles.Marketing), ("Admin", o.Roles.Admin) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(list[i])) yield return $"BotFramework:Roles:{name}:{i} is empty; give an Entra object id, an email or a 29: user id.";
            }
        }
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}

/// <summary>The configured members of each TeamBot role (<c>BotFramework:Roles:Sales|Marketing|Admin</c>).</summary>
public sealed class BotFrameworkRoles
{
    public List<string> Sales { get; set; } = [];
    public List<string> Marketing { get; set; } = [];
    public List<string> Admin { get; set; } = [];
}
