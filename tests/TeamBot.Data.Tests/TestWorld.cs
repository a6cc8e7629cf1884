using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TeamBot.Core;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;
using TeamBot.Testing;

namespace TeamBot.Data.Tests;

/// <summary>
/// Core's use cases wired to a real database, a fake chat platform, a manual clock and recorded SLA timers:
/// the whole handoff loop without HTTP.
/// </summary>
public sealed class TestWorld : IAsyncDisposable, IWorkspaceSettings
{
    public const string WorkspaceId = "acme";
    public const string Handoffs = "handoffs";

    private readonly TestDatabase _database;

    public TestDatabase Database => _database;

    private TestWorld(TestDatabase database, ServiceProvider services)
    {
        _database = database;
        Services = services;
    }

    public ServiceProvider Services { get; }
    public ManualClock Clock => Services.GetRequiredService<ManualClock>();
    public FakeChatPlatform Platform => Services.GetRequiredService<FakeChatPlatform>();
    public RecordingSlaScheduler Sla => Services.GetRequiredService<RecordingSlaScheduler>();
    /// <summary>Routing as the tests need it: the SLA counts every minute unless a test asks for working hours.</summary>
    public RoutingSettings Routing { get; } = new() { SlaClock = SlaClock.Always };
    public RecordingStandupScheduler Standups => Services.GetRequiredService<RecordingStandupScheduler>();

    public CalendarSettings Calendar { get; } = new();
    public DispatchSettings Dispatch => Services.GetRequiredService<DispatchSettings>();
    public string Provider => _database.Provider;

    public static async Task<TestWorld> CreateAsync(string provider, Action<IServiceCollection>? configure = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var services = new ServiceCollection();
        services.AddSingleton<ManualClock>();
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<ManualClock>());
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddTeamBotData(database.Configure);
        services.AddTeamBotCore();
        services.AddSingleton(new FakeChatPlatform());
        services.AddSingleton<IChatPlatform>(sp => sp.GetRequiredService<FakeChatPlatform>());
        services.AddSingleton<RecordingSlaScheduler>();
        services.AddSingleton<ISlaScheduler>(sp => sp.GetRequiredService<RecordingSlaScheduler>());
        services.AddSingleton<RecordingStandupScheduler>();
        services.AddSingleton<Core.Standups.IStandupScheduler>(sp => sp.GetRequiredService<RecordingStandupScheduler>());
        services.AddSingleton(new Core.Standups.StandupSettings());
        services.AddSingleton<RecordingDigestScheduler>();
        services.AddSingleton<Core.Digests.IDigestScheduler>(sp => sp.GetRequiredService<RecordingDigestScheduler>());
        services.AddSingleton(new IntakeSettings());
        services.AddSingleton(new DispatchSettings { QueueNoticeThreshold = 10 });
        services.AddSingleton(new FeedbackSettings());
        services.AddSingleton(new Core.Goals.GoalSettings());
        services.AddSingleton(sp => new ReactionMap(sp.GetRequiredService<FeedbackSettings>().Reactions));

        configure?.Invoke(services);

        TestWorld? world = null;
        services.AddSingleton<IWorkspaceSettings>(_ => world!);
        world = new TestWorld(database, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));

        await world.InScopeAsync(async sp =>
        {
            await DataServices.MigrateAsync(sp.GetRequiredService<TeamBotDbContext>(), CancellationToken.None);
            await sp.GetRequiredService<IWorkspaceStore>().UpsertAsync(
                new Workspace(WorkspaceId, "fake", "Acme", "Europe/Berlin", new WorkspacePlaces(Handoffs, "marketing", "general")), CancellationToken.None);
            var people = sp.GetRequiredService<IPeopleStore>();
            foreach (var (id, roles) in new[]
                     {
                         ("maria", TeamRoles.Marketing), ("sam", TeamRoles.Sales), ("ana", TeamRoles.Sales), ("lee", TeamRoles.Sales), ("alex", TeamRoles.Admin),
                     })
            {
                // Everyone works around the clock unless a test says otherwise, so that routing does not depend on when tests run.
                var always = new Availability("Europe/Berlin", new TimeOnly(0, 0), new TimeOnly(23, 59), Enum.GetValues<DayOfWeek>().ToHashSet(), null);
                await people.UpsertAsync(WorkspaceId, new PersonDefinition(id, Names[id], roles, $"{id}@acme.test", always), CancellationToken.None);
            }
            await sp.GetRequiredService<IFeedbackStore>().SeedReasonOptionsAsync(WorkspaceId, FeedbackSettings.DefaultReasons, CancellationToken.None);
            return true;
        });
        return world;
    }

    RoutingSettings IWorkspaceSettings.Routing(string workspaceId) => Routing;

    CalendarSettings IWorkspaceSettings.Calendar(string workspaceId) => Calendar;

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private static readonly Dictionary<string, string> Names = new()
    {
        ["maria"] = "Maria Lopez",
        ["sam"] = "Sam Carter",
        ["ana"] = "Ana Silva",
        ["lee"] = "Lee Park",
        ["alex"] = "Alex Kim",
    };

    /// <summary>A person as the platform reports them (the platform knows names, not TeamBot roles).</summary>
    public static ChatUser User(string id) => new(id, Names.GetValueOrDefault(id, id), null);

    public static ChatUser Bot => new("teambot", "TeamBot", IsBot: true);

    public static LeadData Lead(string email, string? company = "Acme GmbH", string? externalId = null, string? source = "webinar") => new()
    {
        Email = email,
        FirstName = "Jane",
        LastName = "Doe",
        Company = company,
        ExternalId = externalId,
        Source = source,
        Campaign = "Q4",
        Segment = "enterprise",
        Country = "DE",
    };

    public Task<IReadOnlyList<IntakeOutcome>> SubmitAsync(params LeadData[] leads) =>
        InScopeAsync(sp => sp.GetRequiredService<LeadIntake>().SubmitAsync(WorkspaceId, leads.Select(l => new NewLead(l, IntakeChannel.Webhook, null)).ToList(), CancellationToken.None));

    /// <summary>Submits a lead and posts its handoff; returns the lead.</summary>
    public async Task<Lead> HandOffAsync(string email, string? externalId = null)
    {
        var outcome = (await SubmitAsync(Lead(email, externalId: externalId)))[0];
        await DispatchAsync();
        return (await GetLeadAsync(outcome.LeadId))!;
    }

    /// <summary>Runs dispatch passes until nothing more is due now.</summary>
    public async Task<int> DispatchAsync()
    {
        var delivered = 0;
        for (var i = 0; i < 100; i++)
        {
            var pass = await InScopeAsync(sp => sp.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None));
            delivered += pass.Delivered;
            if (pass.Delivered == 0) break;
        }
        return delivered;
    }

    public Task<ChatReply?> SendAsync(ChatEvent chatEvent) =>
        InScopeAsync(sp => sp.GetRequiredService<ChatInbox>().HandleAsync(chatEvent, CancellationToken.None));

    public Task<ChatReply?> ReactAsync(Lead lead, string userId, string emoji, bool added = true) =>
        SendAsync(new ReactionChanged(lead.Handoff!, User(userId), emoji, added));

    public Task<ChatReply?> ClickAsync(MessageRef message, string userId, string action, string? value = null) =>
        SendAsync(new CardActionInvoked(message, User(userId), action, value));

    public Task<ChatReply?> CommandAsync(string userId, string text, string? placeId = null)
    {
        Assert.True(Core.Commands.CommandParser.TryParse(text, out var command, out var error), error);
        return SendAsync(new CommandInvoked(new PlaceRef("fake", WorkspaceId, placeId ?? "general"), User(userId), command));
    }

    public Task<Lead?> GetLeadAsync(long id) => InScopeAsync(sp => sp.GetRequiredService<ILeadStore>().GetAsync(id, CancellationToken.None));

    public Task<IReadOnlyList<RatingRecord>> RatingsAsync(long leadId) =>
        InScopeAsync(sp => sp.GetRequiredService<IFeedbackStore>().GetCurrentRatingsAsync(leadId, CancellationToken.None));

    public Task<long> PersonIdAsync(string userId) =>
        InScopeAsync(async sp => (await sp.GetRequiredService<IPeopleStore>().ResolveAsync(WorkspaceId, User(userId), null, CancellationToken.None)).Id);

    /// <summary>Texts posted into a lead's thread, in order.</summary>
    public IReadOnlyList<string> ThreadTexts(Lead lead) =>
        Platform.PostsIn(lead.ThreadPlaceId!).Select(p => p.Message.Text ?? p.Message.Card?.Title ?? "").ToList();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await _database.DisposeAsync();
    }
}
