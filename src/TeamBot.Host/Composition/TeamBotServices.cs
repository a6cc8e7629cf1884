using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using TeamBot.Chat.BotFramework;
using TeamBot.Chat.Discord;
using TeamBot.Chat.Local;
using TeamBot.Core;
using TeamBot.Core.Feedback;
using TeamBot.Core.Goals;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Privacy;
using TeamBot.Core.Standups;
using TeamBot.Core.Workspaces;
using TeamBot.Data;
using TeamBot.Data.Postgres;
using TeamBot.Data.Sqlite;
using TeamBot.Host.Background;
using TeamBot.Host.Scheduling;

namespace TeamBot.Host.Composition;

/// <summary>The one composition root: options, storage, Core, the chat platforms, and (for the server) the background work.</summary>
internal static class TeamBotServices
{
    /// <summary>What both the server and the command-line verbs need.</summary>
    public static IServiceCollection AddTeamBot(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        // A test host may bring its own clock.
        services.TryAddSingleton(TimeProvider.System);

        var storage = Bind<StorageOptions>(services, configuration, "Storage", OptionsValidation.Storage);
        var local = Bind<LocalChatOptions>(services, configuration, "Local", OptionsValidation.Local);
        Bind<IntakeSettings>(services, configuration, "Intake", OptionsValidation.Intake);
        Bind<RoutingSettings>(services, configuration, "Routing", r => OptionsValidation.Routing("Routing", r, local.Enabled ? local : null));
        Bind<FeedbackSettings>(services, configuration, "Feedback", OptionsValidation.Feedback);
        Bind<CalendarSettings>(services, configuration, "Calendar", c => OptionsValidation.Calendar("Calendar", c));
        Bind<DispatchSettings>(services, configuration, "Dispatch", OptionsValidation.Dispatch);
        Bind<SchedulerOptions>(services, configuration, "Scheduler", OptionsValidation.Scheduler);
        Bind<RateLimitOptions>(services, configuration, "RateLimits", OptionsValidation.RateLimits);
        Bind<ReportOptions>(services, configuration, "Reports", OptionsValidation.Reports);
        Bind<GoalSettings>(services, configuration, "Goals", OptionsValidation.Goals);
        Bind<StandupSettings>(services, configuration, "Standups", OptionsValidation.Standups);
        Bind<PrivacySettings>(services, configuration, "Privacy", OptionsValidation.Privacy);
        services.AddOptions<WorkspacesOptions>().Configure(o => configuration.GetSection("Workspaces").Bind(o.Items)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkspacesOptions>>(new DelegateValidator<WorkspacesOptions>(o =>
            OptionsValidation.Workspaces(o.Items, local.Enabled ? local : null, new ConfiguredWorkspaceSettings(configuration).Routing)));
        services.AddSingleton<ConfiguredWorkspaceSettings>(_ => new ConfiguredWorkspaceSettings(configuration));
        services.AddSingleton<IWorkspaceSettings>(sp => sp.GetRequiredService<ConfiguredWorkspaceSettings>());
        services.AddSingleton(sp => new ReactionMap(sp.GetRequiredService<FeedbackSettings>().Reactions));

        var paths = new TeamBotPaths(contentRoot, storage);
        services.AddSingleton(paths);
        // SQLite: checkpoints of the WAL beside the writers rather than in their commits, while WalCheckpointService runs.
        var checkpoints = storage.Provider == StorageProvider.Sqlite ? new WalCheckpoints(paths.SqliteConnectionString) : null;
        if (checkpoints is not null) services.AddSingleton(_ => checkpoints);
        services.AddTeamBotData(options =>
        {
            if (checkpoints is null) options.UseTeamBotPostgres(storage.ConnectionString ?? "");
            else options.UseTeamBotSqlite(paths.SqliteConnectionString).AddInterceptors(checkpoints.Interceptor);
        });
        services.AddTeamBotCore();
        services.AddSingleton<OneShotTimers>();
        services.AddSingleton<ISlaScheduler, QuartzSlaScheduler>();
        services.AddSingleton<IStandupScheduler, QuartzStandupScheduler>();
        services.AddTeamBotDigests(configuration, local);
        services.AddSingleton<Core.Digests.IDigestScheduler, QuartzDigestScheduler>();
        services.AddScoped<Startup>();

        if (local.Enabled) services.AddLocalChat(local, paths.LocalChatDatabase(local));
        var discord = Bind<DiscordOptions>(services, configuration, DiscordOptions.Section, DiscordOptions.Validate);
        if (discord.Enabled) services.AddDiscord(discord);
        // Always on: with an app id it serves Teams and the other channels; without one, local development tools only.
        var botFramework = Bind<BotFrameworkOptions>(services, configuration, BotFrameworkOptions.Section, BotFrameworkOptions.Validate);
        services.AddBotFramework(botFramework);
        return services;
    }

    /// <summary>The running bot's background work: the outbox dispatcher, timers, and recovery at start.</summary>
    public static IServiceCollection AddTeamBotBackground(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var storage = configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        var scheduler = configuration.GetSection("Scheduler").Get<SchedulerOptions>() ?? new SchedulerOptions();
        var privacy = configuration.GetSection("Privacy").Get<PrivacySettings>() ?? new PrivacySettings();
        var paths = new TeamBotPaths(contentRoot, storage);

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = scheduler.Name);
            q.UsePersistentStore(store =>
            {
                if (storage.Provider == StorageProvider.Postgres) store.UsePostgres(storage.ConnectionString ?? "");
                else
                {
                    store.UseSqlite(paths.SqliteConnectionString);
                    store.UseConnectionProvider(_ => new WaitingSqliteProvider(paths.SqliteConnectionString));
                }
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
            RetentionJob.Schedule(q, privacy);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHostedService<OutboxDispatcherService>();
        services.AddHostedService<RecoveryService>();
        services.AddHostedService<ReportTotalsService>();
        services.AddHostedService<NativeHeapTrimService>();
        if (storage.Provider == StorageProvider.Sqlite) services.AddHostedService<WalCheckpointService>();
        if ((configuration.GetSection(DiscordOptions.Section).Get<DiscordOptions>() ?? new DiscordOptions()).Enabled) services.AddDiscordBot();
        return services;
    }

    private static T Bind<T>(IServiceCollection services, IConfiguration configuration, string section, Func<T, IEnumerable<string>> validate)
        where T : class, new()
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new DelegateValidator<T>(validate));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return configuration.GetSection(section).Get<T>() ?? new T();
    }
}

/// <summary>Where files live: the data directory, the SQLite database and the local chat's store.</summary>
internal sealed class TeamBotPaths(string contentRoot, StorageOptions storage)
{
    public string DataDirectory { get; } = Path.GetFullPath(Path.Combine(contentRoot, storage.DataDirectory));

    public string SqliteConnectionString =>
        storage.Provider == StorageProvider.Sqlite && !string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? storage.ConnectionString
            : SqliteStorage.ConnectionStringFor(Path.Combine(DataDirectory, "teambot.db"));

    public string LocalChatDatabase(LocalChatOptions local) =>
        local.DatabasePath is { Length: > 0 } path ? Path.GetFullPath(Path.Combine(contentRoot, path)) : Path.Combine(DataDirectory, "localchat.db");
}

/// <summary>Routing per workspace: the <c>Routing</c> defaults with <c>Workspaces:&lt;id&gt;:Routing</c> laid over them.</summary>
internal sealed class ConfiguredWorkspaceSettings(IConfiguration configuration) : IWorkspaceSettings
{
    // Binding adds to lists; a workspace's own rules (or holidays) replace the defaults instead.
    private readonly PerWorkspace<RoutingSettings> _routing = new(configuration, "Routing", (settings, own) =>
    {
        if (own.GetSection(nameof(RoutingSettings.Rules)).Exists()) settings.Rules = [];
    });

    private readonly PerWorkspace<CalendarSettings> _calendars = new(configuration, "Calendar", (settings, own) =>
    {
        if (own.GetSection(nameof(CalendarSettings.Holidays)).Exists()) settings.Holidays = [];
    });

    public RoutingSettings Routing(string workspaceId) => _routing.For(workspaceId);

    public CalendarSettings Calendar(string workspaceId) => _calendars.For(workspaceId);

    public WorkspaceOptions Workspace(string workspaceId) =>
        configuration.GetSection($"Workspaces:{workspaceId}").Get<WorkspaceOptions>() ?? new WorkspaceOptions();
}

/// <summary>
/// A section's defaults with <c>Workspaces:&lt;id&gt;:&lt;section&gt;</c> laid over them, read once per workspace.
/// <paramref name="prepare"/> runs between the two (to clear a list the workspace replaces, or fill a derived default).
/// </summary>
internal sealed class PerWorkspace<T>(IConfiguration configuration, string section, Action<T, IConfigurationSection>? prepare = null)
    where T : class, new()
{
    private readonly ConcurrentDictionary<string, T> _cache = new(StringComparer.Ordinal);

    public T For(string workspaceId) => _cache.GetOrAdd(workspaceId, id =>
    {
        var settings = new T();
        configuration.GetSection(section).Bind(settings);
        var own = configuration.GetSection($"Workspaces:{id}:{section}");
        prepare?.Invoke(settings, own);
        own.Bind(settings);
        return settings;
    });
}
