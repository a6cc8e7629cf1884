using System.Globalization;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Digests;

/// <summary>
/// A digest week: Monday 00:00 to the next Monday 00:00 in the workspace's time zone (so 167 or 169 hours across a
/// daylight-saving change). <see cref="Start"/> is its Monday and names it everywhere (the store, the page, the API).
/// </summary>
public sealed record DigestWeek(DateOnly Start, DateTimeOffset From, DateTimeOffset To, DateTimeOffset PreviousFrom)
{
    public DateOnly End => Start.AddDays(6);

    public string Key => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"9–15 Nov 2026"; across months "30 Nov – 6 Dec 2026".</summary>
    public string Label => Start.Month == End.Month
        ? string.Create(CultureInfo.InvariantCulture, $"{Start.Day}–{End:d MMM yyyy}")
        : Start.Year == End.Year
            ? string.Create(CultureInfo.InvariantCulture, $"{Start:d MMM} – {End:d MMM yyyy}")
            : string.Create(CultureInfo.InvariantCulture, $"{Start:d MMM yyyy} – {End:d MMM yyyy}");

    public DigestWindow Window(string workspaceId) => new(workspaceId, From, To);

    /// <summary>The week (Monday to Monday) that contains <paramref name="date"/>.</summary>
    public static DigestWeek Containing(DateOnly date, TimeZoneInfo zone)
    {
        var monday = date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
        return new DigestWeek(monday,
            WorkCalendar.ToInstant(zone, monday, TimeOnly.MinValue).ToUniversalTime(),
            WorkCalendar.ToInstant(zone, monday.AddDays(7), TimeOnly.MinValue).ToUniversalTime(),
            WorkCalendar.ToInstant(zone, monday.AddDays(-7), TimeOnly.MinValue).ToUniversalTime());
    }

    /// <summary>The last full week before <paramref name="now"/>: the one a digest posted now reports on.</summary>
    public static DigestWeek LastFull(DateTimeOffset now, TimeZoneInfo zone) =>
        Containing(LocalDate(now, zone).AddDays(-7), zone);

    public static bool TryParse(string? text, TimeZoneInfo zone, DateTimeOffset now, out DigestWeek week, out string error)
    {
        week = LastFull(now, zone);
        error = "";
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("last", StringComparison.OrdinalIgnoreCase)) return true;
        var trimmed = text.Trim();
        if (trimmed.Equals("this", StringComparison.OrdinalIgnoreCase))
        {
            week = Containing(LocalDate(now, zone), zone);
            return true;
        }
        if (!DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            error = $"'{trimmed}' is not a week: use last, this, or a date YYYY-MM-DD in the week (e.g. its Monday).";
            return false;
        }
        if (date.Year is < 1970 or > 9000)
        {
            error = $"'{trimmed}' is outside the years TeamBot reports on (1970 to 9000).";
            return false;
        }
        week = Containing(date, zone);
        return true;
    }

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}

/// <summary>When the scheduled digest is posted: a day of the week and a local time, in the workspace's time zone.</summary>
public sealed record DigestSchedule(DayOfWeek Day, TimeOnly Time, TimeZoneInfo Zone)
{
    /// <summary>The first posting time strictly after <paramref name="after"/>. Computed from the local date each time, so daylight saving never shifts it.</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        var date = DigestWeek.LocalDate(after, Zone);
        for (var i = 0; i <= 8; i++)
        {
            var day = date.AddDays(i);
            if (day.DayOfWeek != Day) continue;
            var at = WorkCalendar.ToInstant(Zone, day, Time);
            if (at > after) return at;
        }
        throw new InvalidOperationException("A weekly time always comes within eight days.");
    }

    /// <summary>The week a digest posted at <paramref name="postingTime"/> reports on: the last full week before it.</summary>
    public static DigestWeek WeekFor(DateTimeOffset postingTime, TimeZoneInfo zone) => DigestWeek.LastFull(postingTime, zone);
}
