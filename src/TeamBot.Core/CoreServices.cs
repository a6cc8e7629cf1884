using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeamBot.Core.Chat;
using TeamBot.Core.Commands;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Reports;

namespace TeamBot.Core;

public static class CoreServices
{
    /// <summary>Registers Core's use cases. Stores, platforms, settings and the SLA scheduler come from the host.</summary>
    public static IServiceCollection AddTeamBotCore(this IServiceCollection services)
    {
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Installation>();
        services.AddSingleton<PostingPacer>();
        services.AddSingleton<QueueNotices>();
        services.AddSingleton<ChatPlatforms>();
        services.AddSingleton<PlatformOutages>();
        services.AddSingleton<PendingSlaTimers>();
        services.AddSingleton<HandoffCards>();
        services.AddSingleton<Workspaces.RoleMappingChanges>();
        services.AddSingleton<Workspaces.WorkspaceChanges>();

        services.AddScoped<Workspaces.IWorkCalendars, Workspaces.WorkCalendars>();
        services.AddScoped<SlaDeadlines>();
        services.AddScoped<Router>();
        services.AddScoped<LeadSnapshots>();
        services.AddScoped<LeadIntake>();
        services.AddScoped<Workspaces.WorkspaceSetup>();
        services.AddScoped<OutboxDispatcher>();
        services.AddScoped<SlaService>();
        services.AddScoped<FeedbackService>();
        services.AddScoped<LeadQualityReports>();
        services.AddScoped<LeadCommands>();
        services.AddScoped<ReasonCommands>();
        services.AddScoped<AvailabilityCommands>();
        services.AddScoped<SetupCommands>();
        services.AddScoped<CommandRouter>();
        services.AddScoped<CommandSuggestions>();
        services.AddScoped<ChatInbox>();
        services.AddScoped<ReactionReconciler>();
        services.AddScoped<Goals.GoalService>();
        services.AddScoped<Goals.GoalCommands>();
        services.AddScoped<Digests.IDigestContributor, Goals.GoalDigest>();
        services.AddScoped<Standups.StandupService>();
        services.AddScoped<Standups.StandupCommands>();
        services.AddScoped<IConversationHandler, Standups.StandupAnswers>();
        services.AddScoped<Digests.IDigestContributor, Standups.StandupDigest>();
        services.TryAddSingleton<Digests.IDigestSettings, Digests.DefaultDigestSettings>();
        services.AddScoped<Digests.DigestBuilder>();
        services.AddScoped<Digests.WeeklyDigests>();
        services.AddScoped<Digests.DigestCommands>();
        services.AddScoped<Digests.RejectionAlerts>();
        // Retention stays off unless the host binds Privacy; export and erasure on request need no settings.
        services.TryAddSingleton(new Privacy.PrivacySettings());
        services.AddScoped<Privacy.PersonalDataService>();
        services.AddScoped<Privacy.PrivacyCommands>();
        return services;
    }
}
