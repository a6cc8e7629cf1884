using TeamBot.Core.Feedback;

namespace TeamBot.Core.Workspaces;

/// <summary>
/// Makes a workspace ready for TeamBot: its record and places, and a reason list for a new one. The host calls
/// it for the local chat at start; platform adapters call it when TeamBot is installed in a guild or team.
/// </summary>
public sealed class WorkspaceSetup(IWorkspaceStore workspaces, IFeedbackStore feedback, FeedbackSettings settings)
{
    public async Task EnsureAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        await workspaces.UpsertAsync(workspace, cancellationToken);
        await feedback.SeedReasonOptionsAsync(workspace.Id, settings.EffectiveReasons, cancellationToken);
    }
}
