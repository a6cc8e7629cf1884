using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using TeamBot.Chat.BotFramework.Adapter;
using TeamBot.Chat.Local;
using TeamBot.Host.Api;

namespace TeamBot.Host.Composition;

/// <summary>Builds and starts the bot: the web host with its endpoints, or a plain host for command-line verbs.</summary>
public static class TeamBotHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Default log levels, lowest priority so that configuration can change them.</summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging:LogLevel:Quartz"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    public static WebApplication BuildServer(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        AddConfiguration(builder.Configuration, builder.Environment.ContentRootPath, args);
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        configure?.Invoke(builder);

        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddTeamBot(builder.Configuration, contentRoot);
        builder.Services.AddTeamBotBackground(builder.Configuration, contentRoot);
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton<WorkspaceKeys>();
        builder.Services.AddSingleton<IntakeBatcher>();
        builder.Services.AddSingleton<StorageStatus>();
        builder.Services.AddSingleton<IntakeReadiness>();
        builder.Services.AddProblemDetails();
        builder.Services.AddApiRateLimits();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusFor });
        app.UseStatusCodePages();
        app.Use(SecurityHeaders);
        app.UseRateLimiter();
        app.MapHealth();
        // The workspace API, the digest page and the local chat: limited per API key or token (per address without one).
        var limited = app.MapGroup("").RequireRateLimiting(ApiRateLimits.PerKey);
        limited.MapLeadsApi();
        limited.MapGoalsApi();
        limited.MapDigests();
        if (app.Services.GetService<LocalChatOptions>() is { Enabled: true }) limited.MapLocalChat();
        app.MapBotFramework();
        return app;
    }

    public static HostApplicationBuilder CreateToolBuilder(string[] args)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(args);
        AddConfiguration(builder.Configuration, builder.Environment.ContentRootPath, args);
        builder.Services.AddTeamBot(builder.Configuration, builder.Environment.ContentRootPath);
        return builder;
    }

    /// <summary>
    /// The host of a command-line verb, initialized: TeamBot's services and database without the bot's background work,
    /// logging warnings only (the console is the verb's). Throws <see cref="StartupException"/> like <see cref="InitializeAsync"/>.
    /// </summary>
    public static async Task<IHost> StartToolAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = CreateToolBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var host = builder.Build();
        try
        {
            await InitializeAsync(host.Services, cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Checks every option, then migrates the database and seeds the local workspace. Throws <see cref="StartupException"/> with every problem found.</summary>
    public static async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        Check<StorageOptions>(services, problems);
        Check<LocalChatOptions>(services, problems);
        Check<Core.Leads.IntakeSettings>(services, problems);
        Check<Core.Handoffs.RoutingSettings>(services, problems);
        Check<Core.Feedback.FeedbackSettings>(services, problems);
        Check<Core.Handoffs.DispatchSettings>(services, problems);
        Check<Core.Workspaces.CalendarSettings>(services, problems);
        Check<WorkspacesOptions>(services, problems);
        Check<SchedulerOptions>(services, problems);
        Check<RateLimitOptions>(services, problems);
        Check<Core.Goals.GoalSettings>(services, problems);
        Check<Core.Standups.StandupSettings>(services, problems);
        Check<Core.Privacy.PrivacySettings>(services, problems);
        Check<Core.Digests.DigestSettings>(services, problems);
        Check<Core.Digests.AlertSettings>(services, problems);
        Check<Chat.Discord.DiscordOptions>(services, problems);
        Check<Chat.BotFramework.BotFrameworkOptions>(services, problems);
        if (services.GetRequiredService<IConfiguration>()[Startup.LocalApiKeyVariable] is { Length: > 0 and < 16 })
        {
            problems.Add($"{Startup.LocalApiKeyVariable} must be at least 16 characters: webhook keys should not be guessable.");
        }
        var configuration = services.GetRequiredService<IConfiguration>();
        foreach (var guild in configuration.GetSection("Discord:Guilds").GetChildren())
        {
            // Two sources for one key would fight at every connect: say which one to keep.
            if (guild["ApiKey"] is { Length: > 0 } && configuration[$"Workspaces:discord-{guild.Key}:ApiKey"] is { Length: > 0 })
            {
                problems.Add($"Discord:Guilds:{guild.Key}:ApiKey and Workspaces:discord-{guild.Key}:ApiKey are both set; keep one of them.");
            }
        }
        if (problems.Count > 0) throw new StartupException("The configuration has problems", problems);

        await using var scope = services.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<Startup>().RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not StartupException)
        {
            throw new StartupException("The database could not be prepared", [ex.GetBaseException().Message], ex);
        }
    }

    private static void Check<T>(IServiceProvider services, List<string> problems) where T : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            problems.AddRange(ex.Failures);
        }
    }

    private static void AddConfiguration(ConfigurationManager configuration, string contentRoot, string[] args)
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        var file = configuration["config"] ?? Environment.GetEnvironmentVariable("TEAMBOT_CONFIG") ?? Path.Combine("config", "teambot.json");
        var path = Path.GetFullPath(Path.Combine(contentRoot, file));
        var explicitFile = configuration["config"] is not null || Environment.GetEnvironmentVariable("TEAMBOT_CONFIG") is not null;
        if (explicitFile && !File.Exists(path)) throw new StartupException("The configuration file is missing", [$"'{path}' does not exist."]);
        configuration.AddJsonFile(path, optional: true, reloadOnChange: false);
        // Environment variables and the command line keep precedence over the file.
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
    }

    private static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        return next();
    }
}

/// <summary>The bot cannot start; the messages say why, one per problem.</summary>
public sealed class StartupException(string message, IReadOnlyList<string> problems, Exception? inner = null) : Exception(message, inner)
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Whether the bot has finished starting, for /healthz.</summary>
internal sealed class Readiness
{
    public bool Ready { get; set; }
}
