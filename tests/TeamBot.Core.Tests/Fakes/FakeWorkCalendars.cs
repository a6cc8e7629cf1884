using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Fakes;

/// <summary>One calendar for every workspace; tests add holidays to it.</summary>
public sealed class FakeWorkCalendars(string timeZoneId) : IWorkCalendars
{
    public HashSet<DateOnly> Holidays { get; } = [];

    public IReadOnlySet<DayOfWeek> WorkWeek { get; set; } = Availability.MondayToFriday;

    public Task<WorkCalendar> ForWorkspaceAsync(string workspaceId, CancellationToken cancellationToken) =>
        Task.FromResult(new WorkCalendar(timeZoneId, WorkWeek, new TimeOnly(9, 0), new TimeOnly(18, 0), Holidays));
}
