using TeamBot.Chat.Local;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;
using TeamBot.Data;

namespace TeamBot.Host.Composition;

/// <summary>What happens before the bot is ready: migrations, the local workspace and its people, and its API key.</summary>
internal sealed partial class Startup(
    TeamBotDbContext db,
    TeamBotPaths paths,
    Installation installation,
    IWorkspaceStore workspaces,
    IPeopleStore people,
    WorkspaceSetup setup,
    ConfiguredWorkspaceSettings workspaceSettings,
    IConfiguration configuration,
    ILogger<Startup> logger,
    IServiceProvider services)
{
    public const string LocalApiKeyVariable = "TEAMBOT_LOCAL_API_KEY";

    /// <summary>Where the local chat's generated access token is kept, in the data directory.</summary>
    public const string LocalAccessTokenFile = "local-access-token";

    /// <summary>Where a generated webhook key of the local workspace is written once, in the data directory (never to the log).</summary>
    public const string GeneratedApiKeyFile = "local-api-key";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(paths.DataDirectory);
        await DataServices.MigrateAsync(db, cancellationToken);
        await DataServices.ReleaseOutboxLeasesAsync(db, cancellationToken);
        installation.Key = await DataServices.InstallationKeyAsync(db, cancellationToken);
        if (services.GetService<LocalChatOptions>() is { Enabled: true } local) await SeedLocalAsync(local, cancellationToken);
        if (services.GetService<Chat.Discord.DiscordWorkspaces>() is { } discord) await discord.EnsureConfiguredAsync(cancellationToken);
        await ApplyConfiguredKeysAsync(cancellationToken);
        if (services.GetService<LocalChatAccess>() is { TokenRequired: false } access && ListensBeyondLoopback(configuration))
        {
            access.RequireToken(await LocalAccessTokenAsync(cancellationToken));
        }
    }

    /// <summary>
    /// Whether <c>Urls</c> (or <c>HTTP_PORTS</c>) lets other machines connect: then the local chat, which has no accounts,
    /// asks for a token.
    /// </summary>
    internal static bool ListensBeyondLoopback(IConfiguration configuration)
    {
        if (configuration["http_ports"] is { Length: > 0 } || configuration["https_ports"] is { Length: > 0 }) return true;
        var urls = configuration["urls"] is { Length: > 0 } configured ? configured : TeamBotHost.DefaultUrl;
        return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(url => !IsLoopbackUrl(url));
    }

    private static bool IsLoopbackUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip)));

    /// <summary>The local chat's generated access token: made once, kept in the data directory (readable by its owner only), never logged.</summary>
    private async Task<string> LocalAccessTokenAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(paths.DataDirectory, LocalAccessTokenFile);
        if (File.Exists(path) && (await File.ReadAllTextAsync(path, cancellationToken)).Trim() is { Length: >= 16 } kept)
        {
            LogAccessToken(logger, path);
            return kept;
        }
        var token = ApiKeys.Generate();
        await WriteSecretAsync(path, token, cancellationToken);
        LogAccessToken(logger, path);
        return token;
    }

    /// <summary>Writes a generated secret to a file only its owner can read, so that it never has to appear in a log.</summary>
    private static async Task WriteSecretAsync(string path, string secret, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        // No byte order mark: the file is read by people and scripts (`$(cat data/local-api-key)`), and a BOM would be part of the key.
        await using var file = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
        await file.WriteLineAsync(secret.AsMemory(), cancellationToken);
    }

    /// <summary>Keys set as Workspaces:&lt;id&gt;:ApiKey for workspaces other than the local one (which has its own rules).</summary>
    private async Task ApplyConfiguredKeysAsync(CancellationToken cancellationToken)
    {
        foreach (var section in configuration.GetSection("Workspaces").GetChildren())
        {
            var id = section.Key;
            if (id == LocalChatOptions.WorkspaceId || section["ApiKey"] is not { Length: > 0 } key) continue;
            if (await workspaces.FindAsync(id, cancellationToken) is null)
            {
                LogUnknownWorkspace(logger, id);
                continue;
            }
            await workspaces.ApplyApiKeyAsync(id, key, cancellationToken);
        }
    }

    private async Task SeedLocalAsync(LocalChatOptions local, CancellationToken cancellationToken)
    {
        const string id = LocalChatOptions.WorkspaceId;
        var channels = local.EffectiveChannels;
        string Channel(string wanted) => channels.Contains(wanted) ? wanted : channels[0];
        await setup.EnsureAsync(new Workspace(id, LocalChatOptions.Platform, local.WorkspaceName, local.TimeZone,
            new WorkspacePlaces(Channel("handoffs"), Channel("marketing"), Channel("general"))), cancellationToken);

        foreach (var person in local.People)
        {
            var defaults = workspaceSettings.Calendar(id).DefaultAvailability(person.TimeZone ?? local.TimeZone);
            await people.UpsertAsync(id, ToDefinition(person, defaults), cancellationToken);
        }
        await EnsureApiKeyAsync(id, cancellationToken);
    }

    private async Task EnsureApiKeyAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var configured = configuration[LocalApiKeyVariable] is { Length: > 0 } fromVariable ? fromVariable : workspaceSettings.Workspace(workspaceId).ApiKey;
        if (configured is not null)
        {
            await workspaces.ApplyApiKeyAsync(workspaceId, configured, cancellationToken);
            LogConfiguredKey(logger, workspaceId);
            return;
        }
        if (await workspaces.GetApiKeyHashAsync(workspaceId, cancellationToken) is not null) return;

        var key = ApiKeys.Generate();
        var path = Path.Combine(paths.DataDirectory, GeneratedApiKeyFile);
        await WriteSecretAsync(path, key, cancellationToken);
        await workspaces.SetApiKeyHashAsync(workspaceId, ApiKeys.Hash(key), cancellationToken);
        LogGeneratedKey(logger, workspaceId, path, LocalApiKeyVariable);
    }

    /// <summary>A configured person: what the configuration says, the workspace's work week and hours for what it leaves out.</summary>
    internal static PersonDefinition ToDefinition(LocalPerson person, Availability defaults)
    {
        var availability = defaults;
        if (person.WorkHours is { } hours && AvailabilityText.TryParseHours(hours, out var start, out var end))
        {
            availability = availability with { WorkStart = start, WorkEnd = end };
        }
        if (person.WorkDays is { } days && AvailabilityText.TryParseDays(days, out var workDays))
        {
            availability = availability with { WorkDays = workDays };
        }
        availability = availability with { AwayUntil = person.AwayUntil };
        return new PersonDefinition(person.Id, person.Name, LocalChatDirectory.RolesOf(person), person.Email, availability);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TeamBot listens beyond this machine and Local:AccessToken is not set, so the local chat asks for the access token kept in {Path} (sign in at /login)")]
    private static partial void LogAccessToken(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspaces:{Workspace}:ApiKey is set, but there is no workspace {Workspace} (yet); the key is applied once it exists and the bot restarts.")]
    private static partial void LogUnknownWorkspace(ILogger logger, string workspace);

    [LoggerMessage(Level = LogLevel.Information, Message = "The API key of workspace {Workspace} comes from configuration.")]
    private static partial void LogConfiguredKey(ILogger logger, string workspace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated the API key of workspace {Workspace} and wrote it to {Path}, readable by this user only; copy it and delete the file (set {Variable} to choose your own)")]
    private static partial void LogGeneratedKey(ILogger logger, string workspace, string path, string variable);
}
