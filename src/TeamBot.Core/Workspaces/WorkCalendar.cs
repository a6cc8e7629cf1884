namespace TeamBot.Core.Workspaces;

/// <summary>
/// A workspace's working time in its own time zone: the work week (e.g. Sunday to Thursday), the working
/// hours, and the holidays. Routing, SLA timers, stand-ups and goal pace all count time with it.
/// </summary>
public sealed record WorkCalendar(
    string TimeZoneId,
    IReadOnlySet<DayOfWeek> WorkWeek,
    TimeOnly DayStart,
    TimeOnly DayEnd,
    IReadOnlySet<DateOnly> Holidays)
{
    public static WorkCalendar Default(string timeZoneId) =>
        new(timeZoneId, Availability.MondayToFriday, new TimeOnly(9, 0), new TimeOnly(18, 0), new HashSet<DateOnly>());

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>The calendar date in the workspace's time zone at an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    public bool IsHoliday(DateOnly date) => Holidays.Contains(date);

    public bool IsWorkingDay(DateOnly date) => WorkWeek.Contains(date.DayOfWeek) && !Holidays.Contains(date);

    /// <summary>Working days from <paramref name="first"/> to <paramref name="last"/>, both included (0 when last is before first).</summary>
    public int CountWorkingDays(DateOnly first, DateOnly last)
    {
        var count = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (IsWorkingDay(day)) count++;
        }
        return count;
    }

    /// <summary>Whether an instant falls within working hours on a working day.</summary>
    public bool IsWorkingTime(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, TimeZone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return IsWorkingDay(DateOnly.FromDateTime(local.DateTime)) && time >= DayStart && time < DayEnd;
    }

    /// <summary>
    /// The instant at which a local date and time happen in the workspace's time zone. A time skipped by a
    /// daylight-saving change (02:30 on the spring-forward night) happens as soon as the clocks allow (03:00 + 30 min
    /// becomes 03:30, i.e. the skipped span is moved forward); a time that happens twice (autumn) takes the first.
    /// </summary>
    public DateTimeOffset ToInstant(DateOnly date, TimeOnly time) => ToInstant(TimeZone, date, time);

    public static DateTimeOffset ToInstant(TimeZoneInfo zone, DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Spring forward: the wall clock jumps by the DST delta; the same instant as "the time plus the jump", in the offset before.
            var before = zone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local, before).ToOffset(zone.GetUtcOffset(local.AddHours(3)));
        }
        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var earliest = offsets.Max(); // the larger offset is the earlier instant
            return new DateTimeOffset(local, earliest);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// Counts <paramref name="duration"/> of working time forward from <paramref name="start"/>: nights,
    /// days off and holidays do not count. A duration that starts outside working hours starts at the next
    /// working morning.
    /// </summary>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) return start;
        var zone = TimeZone;
        var remaining = duration;
        var cursor = start;
        // Two years of calendar is far more than any SLA; a calendar without working days falls back to wall time.
        for (var guard = 0; guard < 800; guard++)
        {
            var local = TimeZoneInfo.ConvertTime(cursor, zone);
            var date = DateOnly.FromDateTime(local.DateTime);
            var dayStart = ToInstant(zone, date, DayStart);
            var dayEnd = ToInstant(zone, date, DayEnd);
            if (!IsWorkingDay(date) || cursor >= dayEnd)
            {
                cursor = ToInstant(zone, date.AddDays(1), TimeOnly.MinValue);
                continue;
            }
            if (cursor < dayStart) cursor = dayStart;
            var available = dayEnd - cursor;
            if (remaining <= available) return cursor + remaining;
            remaining -= available;
            cursor = ToInstant(zone, date.AddDays(1), TimeOnly.MinValue);
        }
        return start + duration;
    }
}

/// <summary>Finds each workspace's calendar: its configured work week and hours, and its holidays from configuration and commands.</summary>
public interface IWorkCalendars
{
    Task<WorkCalendar> ForWorkspaceAsync(string workspaceId, CancellationToken cancellationToken);
}
