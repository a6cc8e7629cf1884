using Microsoft.Extensions.Options;
using TeamBot.Chat.Local;
using TeamBot.Core.Digests;

namespace TeamBot.Host.Composition;

/// <summary>The weekly digest's and the rejection alerts' options: <c>Digest</c> and <c>Alerts</c>, each overridable per workspace.</summary>
internal static class DigestComposition
{
    public static IServiceCollection AddTeamBotDigests(this IServiceCollection services, IConfiguration configuration, LocalChatOptions local)
    {
        var settings = new ConfiguredDigestSettings(configuration);
        services.AddSingleton<IDigestSettings>(settings);
        services.AddOptions<DigestSettings>().Bind(configuration.GetSection("Digest")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DigestSettings>>(new DelegateValidator<DigestSettings>(_ =>
            Each(configuration, "Digest", id => DigestValidation.Digest(id is null ? "Digest" : $"Workspaces:{id}:Digest", settings.Digest(id ?? ""), id, local))));
        services.AddOptions<AlertSettings>().Bind(configuration.GetSection("Alerts")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertSettings>>(new DelegateValidator<AlertSettings>(_ =>
            Each(configuration, "Alerts", id => DigestValidation.Alerts(id is null ? "Alerts" : $"Workspaces:{id}:Alerts", settings.Alerts(id ?? ""), id, local))));
        return services;
    }

    /// <summary>The defaults' problems, then those a workspace's own section adds (checked as merged, without repeating the defaults').</summary>
    private static IEnumerable<string> Each(IConfiguration configuration, string section, Func<string?, IEnumerable<string>> check)
    {
        var defaults = check(null).ToList();
        foreach (var problem in defaults) yield return problem;
        var inherited = defaults.Select(p => p[section.Length..]).ToHashSet(StringComparer.Ordinal);
        foreach (var workspace in configuration.GetSection("Workspaces").GetChildren().Where(w => w.GetSection(section).Exists()))
        {
            var prefix = $"Workspaces:{workspace.Key}:{section}";
            foreach (var problem in check(workspace.Key).Where(p => !inherited.Contains(p[prefix.Length..]))) yield return problem;
        }
    }
}

internal static class DigestValidation
{
    public static IEnumerable<string> Digest(string prefix, DigestSettings o, string? workspaceId, LocalChatOptions local)
    {
        if (!DigestSettings.TryParseDay(o.Day, out _)) yield return $"{prefix}:Day '{o.Day}' must be a day of the week, e.g. Monday or Mon.";
        if (!DigestSettings.TryParseTime(o.Time, out _)) yield return $"{prefix}:Time '{o.Time}' must be a local time HH:mm, e.g. 09:00.";
        if (o.BaseUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return $"{prefix}:BaseUrl '{url}' must be an absolute http(s) address, e.g. http://127.0.0.1:5080.";
        }
        foreach (var problem in Channel(prefix, o.Channel, workspaceId, local)) yield return problem;
    }

    public static IEnumerable<string> Alerts(string prefix, AlertSettings o, string? workspaceId, LocalChatOptions local)
    {
        if (o.RejectionRate is <= 0 or >= 1 || double.IsNaN(o.RejectionRate)) yield return $"{prefix}:RejectionRate must be between 0 and 1 (a share: 0.3 is 30%); got {o.RejectionRate}.";
        if (o.MinLeads is < 1 or > 10_000) yield return $"{prefix}:MinLeads must be between 1 and 10000 (got {o.MinLeads}).";
        foreach (var problem in Channel(prefix, o.Channel, workspaceId, local)) yield return problem;
    }

    private static IEnumerable<string> Channel(string prefix, string? channel, string? workspaceId, LocalChatOptions local)
    {
        if (channel is not { Length: > 0 } name || !local.Enabled || (workspaceId is not null && workspaceId != LocalChatOptions.WorkspaceId)) yield break;
        if (!local.EffectiveChannels.Contains(name)) yield return $"{prefix}:Channel '{name}' is not one of the local channels ({string.Join(", ", local.EffectiveChannels)}).";
    }
}

/// <summary>Digest and alert settings per workspace: the defaults with <c>Workspaces:&lt;id&gt;:Digest</c> / <c>:Alerts</c> laid over them.</summary>
internal sealed class ConfiguredDigestSettings(IConfiguration configuration) : IDigestSettings
{
    private readonly PerWorkspace<DigestSettings> _digest = new(configuration, "Digest");
    private readonly PerWorkspace<AlertSettings> _alerts = new(configuration, "Alerts");

    public DigestSettings Digest(string workspaceId)
    {
        var settings = _digest.For(workspaceId);
        if (string.IsNullOrWhiteSpace(settings.BaseUrl)) settings.BaseUrl = DefaultBaseUrl(configuration["urls"]);
        return settings;
    }

    public AlertSettings Alerts(string workspaceId) => _alerts.For(workspaceId);

    /// <summary>Where the bot listens, as a link: a wildcard host becomes 127.0.0.1; an unknown port (0) gives no link.</summary>
    internal static string? DefaultBaseUrl(string? urls)
    {
        var first = string.IsNullOrWhiteSpace(urls) ? TeamBotHost.DefaultUrl : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var wildcard = first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        if (!Uri.TryCreate(wildcard, UriKind.Absolute, out var uri) || uri.Port == 0) return null;
        return uri.GetLeftPart(UriPartial.Authority);
    }
}
