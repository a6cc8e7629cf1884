using TeamBot.Core.Handoffs;

namespace TeamBot.Core.Workspaces;

/// <summary>
/// A workspace's working time. Bound from <c>Calendar</c> (defaults for every workspace) and
/// <c>Workspaces:&lt;id&gt;:Calendar</c> (one workspace's own).
/// </summary>
public sealed class CalendarSettings
{
    /// <summary>The work week: <c>Mon-Fri</c>, <c>Sun-Thu</c> or a list such as <c>Mon,Tue,Thu</c>.</summary>
    public string WorkWeek { get; set; } = "Mon-Fri";

    /// <summary>The working hours of the workspace, e.g. <c>09:00-18:00</c> (the SLA clock counts only these).</summary>
    public string WorkHours { get; set; } = "09:00-18:00";

    /// <summary>Holidays as <c>YYYY-MM-DD</c>, optionally followed by a name: <c>2026-12-25 Christmas</c>.</summary>
    public List<string> Holidays { get; set; } = [];

    /// <summary>The configured holidays, parsed (validation at start-up rejects any that do not parse).</summary>
    public IReadOnlyList<Holiday> ParsedHolidays() =>
        Holidays.Select(h => Holiday.TryParse(h, out var holiday) ? holiday : null).OfType<Holiday>().ToList();

    /// <summary>The availability of a person nobody configured: the workspace's work week and hours, in its zone.</summary>
    public Availability DefaultAvailability(string timeZoneId)
    {
        var calendar = ToCalendar(timeZoneId, []);
        return new Availability(timeZoneId, calendar.DayStart, calendar.DayEnd, calendar.WorkWeek, null);
    }

    /// <summary>The calendar these settings describe in a time zone, with extra holidays (those added by command).</summary>
    public WorkCalendar ToCalendar(string timeZoneId, IEnumerable<Holiday> extraHolidays)
    {
        var days = AvailabilityText.TryParseDays(WorkWeek, out var week) ? week : Availability.MondayToFriday;
        if (!AvailabilityText.TryParseHours(WorkHours, out var start, out var end) || end <= start)
        {
            (start, end) = (new TimeOnly(9, 0), new TimeOnly(18, 0));
        }
        var holidays = ParsedHolidays().Concat(extraHolidays).Select(h => h.Date).ToHashSet();
        return new WorkCalendar(timeZoneId, days, start, end, holidays);
    }
}

/// <summary>A day off for the whole workspace.</summary>
public sealed record Holiday(DateOnly Date, string? Name)
{
    public static bool TryParse(string text, out Holiday holiday)
    {
        holiday = new Holiday(default, null);
        var trimmed = text.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var datePart = space < 0 ? trimmed : trimmed[..space];
        if (!DateOnly.TryParseExact(datePart, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)) return false;
        var name = space < 0 ? null : trimmed[(space + 1)..].Trim();
        holiday = new Holiday(date, string.IsNullOrEmpty(name) ? null : name);
        return true;
    }
}

/// <summary>Holidays added in chat (<c>/holidays add</c>), on top of the configured ones.</summary>
public interface IHolidayStore
{
    Task<IReadOnlyList<Holiday>> ListAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>Adds or renames a holiday; false when the date was already a holiday with that name.</summary>
    Task<bool> AddAsync(string workspaceId, Holiday holiday, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(string workspaceId, DateOnly date, CancellationToken cancellationToken);
}

/// <summary>Builds each workspace's calendar from its settings, its time zone and its holidays.</summary>
public sealed class WorkCalendars(IWorkspaceStore workspaces, IWorkspaceSettings settings, IHolidayStore holidays) : IWorkCalendars
{
    public async Task<WorkCalendar> ForWorkspaceAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FindAsync(workspaceId, cancellationToken);
        var timeZone = workspace?.TimeZoneId ?? "UTC";
        var added = await holidays.ListAsync(workspaceId, cancellationToken);
        return settings.Calendar(workspaceId).ToCalendar(timeZone, added);
    }
}
