using System.Globalization;
using TeamBot.Core.Feedback;
using TeamBot.Core.Goals;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Commands;

/// <summary>A value to offer while an option is typed: what people see, and what the command then receives.</summary>
public sealed record Suggestion(string Label, string Value);

/// <summary>
/// The workspace's own values for an option being typed (<see cref="OptionSpec.Suggest"/>): its newest matching leads, its
/// reasons, its people and its goals. Platforms with autocompletion (Discord) show them; the command still checks what it gets.
/// </summary>
public sealed class CommandSuggestions(ILeadStore leads, IFeedbackStore feedback, IPeopleStore people, IGoalStore goals)
{
    /// <summary>Discord shows at most 25 suggestions, each at most 100 characters.</summary>
    public const int Max = 25;
    public const int MaxText = 100;

    public async Task<IReadOnlyList<Suggestion>> SuggestAsync(string workspaceId, SuggestKind kind, string typed, CancellationToken cancellationToken)
    {
        typed = (typed ?? "").Trim();
        IEnumerable<Suggestion> found = kind switch
        {
            SuggestKind.Lead => (await leads.SearchAsync(workspaceId, typed, Max, cancellationToken))
                .Select(l => new Suggestion($"#{l.Id} {LeadLabel(l.Data)}", l.Id.ToString(CultureInfo.InvariantCulture))),
            SuggestKind.Reason => (await feedback.ListReasonOptionsAsync(workspaceId, cancellationToken))
                .Where(r => Matches(typed, r.Code, r.Label))
                .Select(r => new Suggestion($"{r.Label} ({r.Code})", r.Code)),
            SuggestKind.Person => (await people.ListAsync(workspaceId, cancellationToken))
                .Where(p => Matches(typed, p.DisplayName, p.PlatformUserId))
                .OrderBy(p => p.DisplayName, StringComparer.CurrentCultureIgnoreCase)
                .Select(p => new Suggestion(p.DisplayName, p.PlatformUserId)),
            SuggestKind.Goal => (await goals.ListAsync(workspaceId, GoalStatusFilter.Active, cancellationToken))
                .Where(g => Matches(typed, g.Id.ToString(CultureInfo.InvariantCulture), g.Name))
                .Select(g => new Suggestion($"#{g.Id} {g.Name}", g.Id.ToString(CultureInfo.InvariantCulture))),
            _ => [],
        };
        // A value that does not fit could not be sent back whole; a label is only shortened.
        return found.Where(s => s.Value.Length is > 0 and <= MaxText)
            .Select(s => s with { Label = Chat.MessageLimits.Cut(s.Label.Length == 0 ? s.Value : s.Label, MaxText)! })
            .Take(Max)
            .ToList();
    }

    /// <summary>"Jane Doe · Acme GmbH": the name, and the company when it is not the name already.</summary>
    private static string LeadLabel(LeadData data) =>
        string.IsNullOrWhiteSpace(data.Company) || data.DisplayName.Contains(data.Company, StringComparison.Ordinal) ? data.DisplayName : $"{data.DisplayName} · {data.Company}";

    private static bool Matches(string typed, params string[] texts) =>
        typed.Length == 0 || texts.Any(t => t.Contains(typed, StringComparison.OrdinalIgnoreCase));
}
