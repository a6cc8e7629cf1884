using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Handoffs;

/// <summary>Everything the handoff card shows about a lead.</summary>
public sealed record LeadSnapshot(
    Lead Lead,
    Workspace Workspace,
    IReadOnlyDictionary<long, Person> People,
    IReadOnlyList<RatingRecord> Ratings,
    IReadOnlyList<ReasonRecord> Reasons,
    IReadOnlyList<OutcomeRecord> Outcomes,
    IReadOnlyDictionary<string, string> ReasonLabels)
{
    public string ReasonLabel(string code) => ReasonLabels.GetValueOrDefault(code, code);

    public string NameOf(long? personId) =>
        personId is { } id && People.TryGetValue(id, out var person) ? person.DisplayName : "someone";
}

public sealed class LeadSnapshots(ILeadStore leads, IFeedbackStore feedback, IPeopleStore people, IWorkspaceStore workspaces)
{
    public async Task<LeadSnapshot?> LoadAsync(long leadId, CancellationToken cancellationToken)
    {
        var lead = await leads.GetAsync(leadId, cancellationToken);
        if (lead is null) return null;
        var workspace = await workspaces.FindAsync(lead.WorkspaceId, cancellationToken)
                        ?? throw new InvalidOperationException($"Lead {leadId} belongs to the unknown workspace '{lead.WorkspaceId}'.");
        return await LoadAsync(lead, workspace, await people.ListAsync(lead.WorkspaceId, cancellationToken), cancellationToken);
    }

    /// <summary>The snapshot of a lead the caller just read, with its workspace and the workspace's people.</summary>
    public async Task<LeadSnapshot> LoadAsync(Lead lead, Workspace workspace, IReadOnlyList<Person> everyone, CancellationToken cancellationToken)
    {
        // A lead about to be handed off has no feedback yet, unless a command named its number first: one read says which,
        // instead of three (reads are most of the time from webhook to posted card).
        var none = lead.Handoff is null && !await feedback.HasFeedbackAsync(lead.Id, cancellationToken);
        var reasons = none ? [] : await feedback.GetReasonsAsync(lead.Id, cancellationToken);
        return new(
            lead,
            workspace,
            everyone.ToDictionary(p => p.Id),
            none ? [] : await feedback.GetCurrentRatingsAsync(lead.Id, cancellationToken),
            reasons,
            none ? [] : await feedback.GetOutcomesAsync(lead.Id, cancellationToken),
            // Labels only name reasons given.
            reasons.Count == 0 ? NoLabels : (await feedback.ListReasonOptionsAsync(lead.WorkspaceId, cancellationToken)).ToDictionary(o => o.Code, o => o.Label));
    }

    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();
}
