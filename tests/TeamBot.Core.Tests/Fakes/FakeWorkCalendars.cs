using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Fakes;

/// <summary>One calendar for every workspace.</summary>
public sealed class FakeWorkCalendars(WorkCalendar calendar) : IWorkCalendars
{
    public WorkCalendar Calendar { get; set; } = calendar;

    public Task<WorkCalendar> ForWorkspaceAsync(string workspaceId, CancellationToken cancellationToken) => Task.FromResult(Calendar);
}
