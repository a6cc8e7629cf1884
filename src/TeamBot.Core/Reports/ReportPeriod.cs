using System.Globalization;
using System.Text.RegularExpressions;

namespace TeamBot.Core.Reports;

/// <summary>
/// A reporting period in the workspace's time zone: <c>7d</c>, <c>30d</c>, <c>90d</c> (ending now),
/// <c>quarter</c> (this calendar quarter so far) or <c>YYYY-MM-DD..YYYY-MM-DD</c> (whole days, inclusive).
/// The previous period is the one just before, of the same length.
/// </summary>
public sealed partial record ReportPeriod(string Text, string Label, DateTimeOffset From, DateTimeOffset To, DateTimeOffset PreviousFrom, string PreviousLabel)
{
    public const string Accepted = "7d, 30d, 90d, quarter or YYYY-MM-DD..YYYY-MM-DD";

    public static bool TryParse(string? text, DateTimeOffset now, TimeZoneInfo zone, out ReportPeriod period, out string error)
    {
        text = string.IsNullOrWhiteSpace(text) ? "30d" : text.Trim().ToLowerInvariant();
        period = null!;
        error = "";

        var days = DaysPattern().Match(text);
        if (days.Success)
        {
            var n = int.Parse(days.Groups[1].Value, CultureInfo.InvariantCulture);
            if (n is < 1 or > 366)
            {
                error = $"'{text}' is out of range: use 1d to 366d, or one of {Accepted}.";
                return false;
            }
            var from = now - TimeSpan.FromDays(n);
            period = new ReportPeriod(text, $"last {n} days", from, now, from - TimeSpan.FromDays(n), $"the {n} days before");
            return true;
        }

        if (text is "quarter" or "thisquarter" or "q")
        {
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var firstMonth = (local.Month - 1) / 3 * 3 + 1;
            var start = StartOfDay(new DateOnly(local.Year, firstMonth, 1), zone);
            var previousStart = StartOfDay(new DateOnly(local.Year, firstMonth, 1).AddMonths(-3), zone);
            var elapsed = now - start;
            var quarter = $"Q{(firstMonth - 1) / 3 + 1} {local.Year}";
            period = new ReportPeriod(text, $"{quarter} so far", start, now, previousStart, "the same stretch of the previous quarter");
            // A quarter can be longer than the one before it: the comparison never reaches into this one.
            var previousEnd = previousStart + elapsed;
            period = period with { PreviousEnd = previousEnd < start ? previousEnd : start };
            return true;
        }

        if (DateRangeText.TryParse(text, out var first, out var last, out error))
        {
            var from = StartOfDay(first, zone);
            var to = StartOfDay(last.AddDays(1), zone);
            var previousFrom = StartOfDay(first.AddDays(-(last.DayNumber - first.DayNumber + 1)), zone);
            period = new ReportPeriod(text, $"{first:yyyy-MM-dd} to {last:yyyy-MM-dd}", from, to, previousFrom, "the same number of days before");
            return true;
        }
        if (error.Length > 0) return false;

        error = $"'{text}' is not a period. Use {Accepted}.";
        return false;
    }

    /// <summary>The end of the previous period (exclusive); by default where this one starts.</summary>
    public DateTimeOffset PreviousEnd { get; init; } = From;

    private static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    [GeneratedRegex(@"^(\d{1,3})d$")]
    private static partial Regex DaysPattern();
}
