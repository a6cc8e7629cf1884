using System.Globalization;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Standups;

/// <summary>A local date and time at which a prompt is due, and the instant it happens in the stand-up's zone.</summary>
public sealed record Occurrence(DateOnly Date, TimeOnly Time, DateTimeOffset At)
{
    /// <summary>The occurrence's key, unique per stand-up: <c>2026-03-29T09:30</c> (local wall time, so a DST change never makes two of one).</summary>
    public string Key => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T" + Time.ToString("HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// When a stand-up's prompts happen, in local wall time: days of the week and a time (<c>days:Mon-Fri time:09:30</c>),
/// or a five-field cron expression. Each occurrence is turned into an instant with <see cref="WorkCalendar.ToInstant(TimeZoneInfo, DateOnly, TimeOnly)"/>,
/// so a daylight-saving change never shifts a prompt (a time the clocks skip moves forward by the jump).
/// </summary>
public sealed record StandupSchedule
{
    private StandupSchedule(string text, CronExpression cron)
    {
        Text = text;
        Cron = cron;
    }

    /// <summary>As stored and shown: <c>days:Mon-Fri time:09:30</c> or <c>cron:30 9 * * 1-5</c>.</summary>
    public string Text { get; }

    private CronExpression Cron { get; }

    public static bool TryDaysAndTime(string days, string time, out StandupSchedule schedule, out string error)
    {
        schedule = null!;
        if (!AvailabilityText.TryParseDays(days, out var set))
        {
            error = $"days: '{days}' is not a list of days; use e.g. Mon-Fri, Sun-Thu or Mon,Wed,Fri.";
            return false;
        }
        if (!TimeOnly.TryParseExact(time.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            error = $"time: '{time}' is not a time of day; use 24-hour HH:mm, e.g. 09:30.";
            return false;
        }
        var dow = string.Join(',', set.Select(d => (int)d).Order());
        var cron = CronExpression.Parse($"{at.Minute} {at.Hour} * * {dow}", out _)!;
        schedule = new StandupSchedule($"days:{days.Trim()} time:{at:HH\\:mm}", cron);
        error = "";
        return true;
    }

    public static bool TryCron(string expression, out StandupSchedule schedule, out string error)
    {
        schedule = null!;
        var cron = CronExpression.Parse(expression, out var problem);
        if (cron is null)
        {
            error = $"cron: '{expression}' {problem}";
            return false;
        }
        schedule = new StandupSchedule("cron:" + string.Join(' ', expression.Split(' ', StringSplitOptions.RemoveEmptyEntries)), cron);
        error = "";
        return true;
    }

    /// <summary>Reads a stored schedule (<see cref="Text"/>).</summary>
    public static StandupSchedule Parse(string text)
    {
        string error;
        if (text.StartsWith("cron:", StringComparison.Ordinal))
        {
            if (TryCron(text[5..], out var cron, out error)) return cron;
        }
        else
        {
            var parts = text.Split(' ', 2);
            if (parts.Length == 2 && parts[0].StartsWith("days:", StringComparison.Ordinal) && parts[1].StartsWith("time:", StringComparison.Ordinal)
                && TryDaysAndTime(parts[0][5..], parts[1][5..], out var days, out error)) return days;
            error = "is not a stored schedule";
        }
        throw new FormatException($"The schedule '{text}' {error}");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when the schedule never happens (e.g. 31 February).</summary>
    public Occurrence? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var start = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, zone).DateTime).AddDays(-1);
        // Eight years covers every leap-day schedule.
        for (var date = start; date < start.AddYears(8); date = date.AddDays(1))
        {
            if (!Cron.Matches(date)) continue;
            foreach (var time in Cron.Times)
            {
                var at = WorkCalendar.ToInstant(zone, date, time);
                if (at > after) return new Occurrence(date, time, at);
            }
        }
        return null;
    }

    public bool Equals(StandupSchedule? other) => other is not null && other.Text == Text;

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);
}

/// <summary>
/// A standard five-field cron expression: minute, hour, day of month, month, day of week (0 or 7 is Sunday).
/// Fields take <c>*</c>, numbers, ranges (<c>1-5</c>), lists (<c>1,3,5</c>), steps (<c>*/15</c>, <c>0-30/10</c>) and
/// names (<c>jan</c>, <c>mon-fri</c>). As in classic cron, when both day fields are restricted a day matches either.
/// </summary>
public sealed class CronExpression
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _anyDayOfMonth;
    private readonly bool _anyDayOfWeek;

    private CronExpression(bool[] minutes, bool[] hours, bool[] daysOfMonth, bool[] months, bool[] daysOfWeek, bool anyDom, bool anyDow)
    {
        _daysOfMonth = daysOfMonth;
        _months = months;
        _daysOfWeek = daysOfWeek;
        _anyDayOfMonth = anyDom;
        _anyDayOfWeek = anyDow;
        Times = [.. from h in Enumerable.Range(0, 24) where hours[h] from m in Enumerable.Range(0, 60) where minutes[m] select new TimeOnly(h, m)];
    }

    /// <summary>The times of day it fires, in order.</summary>
    public IReadOnlyList<TimeOnly> Times { get; }

    public bool Matches(DateOnly date)
    {
        if (!_months[date.Month]) return false;
        var dom = _daysOfMonth[date.Day];
        var dow = _daysOfWeek[(int)date.DayOfWeek];
        if (_anyDayOfMonth) return dow;
        if (_anyDayOfWeek) return dom;
        return dom || dow;
    }

    /// <summary>The expression, or null with the reason in <paramref name="error"/> (worded to follow the expression).</summary>
    public static CronExpression? Parse(string text, out string error)
    {
        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"has {fields.Length} fields; a cron expression has 5: minute hour day-of-month month day-of-week, e.g. \"30 9 * * 1-5\".";
            return null;
        }
        var minutes = Field(fields[0], 0, 59, null, "minute", out error);
        var hours = minutes is null ? null : Field(fields[1], 0, 23, null, "hour", out error);
        var dom = hours is null ? null : Field(fields[2], 1, 31, null, "day of month", out error);
        var months = dom is null ? null : Field(fields[3], 1, 12, Months, "month", out error);
        var dow = months is null ? null : Field(fields[4], 0, 7, Days, "day of week", out error);
        if (dow is null) return null;
        if (dow[7]) dow[0] = true;
        return new CronExpression(minutes!, hours!, dom!, months!, dow, fields[2] == "*", fields[4] == "*");
    }

    private static bool[]? Field(string text, int min, int max, string[]? names, string what, out string error)
    {
        var set = new bool[max + 1];
        foreach (var part in text.Split(','))
        {
            var slash = part.Split('/');
            if (slash.Length > 2 || part.Length == 0)
            {
                error = $"has a {what} field '{text}' that cron cannot read.";
                return null;
            }
            var step = 1;
            if (slash.Length == 2 && (!int.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
            {
                error = $"has a {what} step '{slash[1]}' that is not a positive number.";
                return null;
            }
            int from, to;
            if (slash[0] == "*")
            {
                (from, to) = (min, max);
            }
            else
            {
                var range = slash[0].Split('-');
                if (range.Length > 2 || !Value(range[0], names, min, out from) || !Value(range[^1], names, min, out to))
                {
                    error = $"has a {what} '{slash[0]}' that is not a number{(names is null ? "" : " or a name")}.";
                    return null;
                }
                if (range.Length == 1 && slash.Length == 2) to = max;
            }
            if (from < min || to > max || from > to)
            {
                error = $"has a {what} '{part}' outside {min}-{max}.";
                return null;
            }
            for (var v = from; v <= to; v += step) set[v] = true;
        }
        error = "";
        return set;
    }

    private static bool Value(string text, string[]? names, int min, out int value)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)) return true;
        var index = names is null ? -1 : Array.IndexOf(names, text.ToLowerInvariant());
        value = index + min;
        return index >= 0;
    }
}
