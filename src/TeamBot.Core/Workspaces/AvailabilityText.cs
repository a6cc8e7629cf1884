using System.Globalization;

namespace TeamBot.Core.Workspaces;

/// <summary>Parses working hours ("09:00-18:00") and work weeks ("Mon-Fri", "Sun-Thu", "Mon,Wed,Fri").</summary>
public static class AvailabilityText
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static bool TryParseHours(string text, out TimeOnly start, out TimeOnly end)
    {
        start = end = default;
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
               && TimeOnly.TryParseExact(parts[0], ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out start)
               && TimeOnly.TryParseExact(parts[1], ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out end)
               && start != end;
    }

    public static bool TryParseDays(string text, out IReadOnlySet<DayOfWeek> days)
    {
        var set = new HashSet<DayOfWeek>();
        days = set;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-', StringSplitOptions.TrimEntries);
            if (range.Length is < 1 or > 2 || !TryDay(range[0], out var first)) return false;
            var last = first;
            if (range.Length == 2 && !TryDay(range[1], out last)) return false;
            for (var day = (int)first; ; day = (day + 1) % 7)
            {
                set.Add((DayOfWeek)day);
                if (day == (int)last) break;
            }
        }
        return set.Count > 0;
    }

    public static bool IsTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    private static bool TryDay(string text, out DayOfWeek day)
    {
        var index = text.Length >= 3 ? Array.IndexOf(DayNames, text[..3].ToLowerInvariant()) : -1;
        day = (DayOfWeek)Math.Max(index, 0);
        return index >= 0;
    }
}
