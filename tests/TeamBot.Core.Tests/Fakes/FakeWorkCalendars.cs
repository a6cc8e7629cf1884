using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Fakes;

/// <summary>One calendar for every workspace; tests change it or add holidays to it.</summary>
public sealed class FakeWorkCalendars(WorkCalendar calendar) : IWorkCalendars
{
    public FakeWorkCalendars(string timeZoneId)
        : this(WorkCalendar.Default(timeZoneId))
    {
    }

    public WorkCalendar Calendar { get; set; } = calendar;

    public void AddHoliday(DateOnly date) => Calendar = Calendar with { Holidays = Calendar.Holidays.Append(date).ToHashSet() };

    public Task<WorkCalendar> ForWorkspaceAsync(string workspaceId, CancellationToken cancellationToken) => Task.FromResult(Calendar);
}
