using System.Globalization;
using System.Text.RegularExpressions;
using TeamBot.Core.Reports;

namespace TeamBot.Core.Goals;

/// <summary>
/// A goal's period: whole days in the workspace's time zone, both ends included. Typed as <c>month</c>,
/// <c>quarter</c> (the current one), <c>next-month</c>, <c>next-quarter</c>, <c>YYYY-MM</c>, <c>YYYY-Qn</c> or
/// <c>YYYY-MM-DD..YYYY-MM-DD</c>.
/// </summary>
public sealed partial record GoalPeriod(DateOnly First, DateOnly Last, string Label)
{
    public const string Accepted = "month, quarter, next-month, next-quarter, YYYY-MM, YYYY-Qn or YYYY-MM-DD..YYYY-MM-DD";

    public int Days => Last.DayNumber - First.DayNumber + 1;

    /// <summary>The period between two dates, labelled as a month or a quarter when it is exactly one.</summary>
    public static GoalPeriod Of(DateOnly first, DateOnly last)
    {
        var monthStart = new DateOnly(first.Year, first.Month, 1);
        if (first == monthStart && last == monthStart.AddMonths(1).AddDays(-1))
        {
            return new GoalPeriod(first, last, first.ToString("MMMM yyyy", CultureInfo.InvariantCulture));
        }
        if (first == monthStart && (first.Month - 1) % 3 == 0 && last == monthStart.AddMonths(3).AddDays(-1))
        {
            return new GoalPeriod(first, last, $"Q{(first.Month - 1) / 3 + 1} {first.Year}");
        }
        return new GoalPeriod(first, last, $"{Short(first)} to {Short(last)}");
    }

    /// <summary>A date the way the cards say it: "Dec 31" in the current year, "Dec 31, 2027" otherwise.</summary>
    public string Day(DateOnly date) => date.Year == Last.Year && date.Year == First.Year
        ? date.ToString("MMM d", CultureInfo.InvariantCulture)
        : date.ToString("MMM d, yyyy", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, DateOnly today, out GoalPeriod period, out string error)
    {
        var t = string.IsNullOrWhiteSpace(text) ? "quarter" : text.Trim().ToLowerInvariant();
        period = null!;
        error = "";
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var thisQuarter = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        switch (t)
        {
            case "month" or "this-month":
                period = Months(thisMonth, 1);
                return true;
            case "next-month":
                period = Months(thisMonth.AddMonths(1), 1);
                return true;
            case "quarter" or "this-quarter":
                period = Months(thisQuarter, 3);
                return true;
            case "next-quarter":
                period = Months(thisQuarter.AddMonths(3), 3);
                return true;
        }

        var month = MonthPattern().Match(t);
        if (month.Success)
        {
            var (year, number) = (int.Parse(month.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(month.Groups[2].Value, CultureInfo.InvariantCulture));
            if (number is < 1 or > 12 || !InYears(year))
            {
                error = $"'{t}' is not a month: use YYYY-MM with a month from 01 to 12, e.g. {today:yyyy-MM}.";
                return false;
            }
            period = Months(new DateOnly(year, number, 1), 1);
            return true;
        }

        var quarter = QuarterPattern().Match(t);
        if (quarter.Success)
        {
            var (year, number) = (int.Parse(quarter.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(quarter.Groups[2].Value, CultureInfo.InvariantCulture));
            if (number is < 1 or > 4 || !InYears(year))
            {
                error = $"'{t}' is not a quarter: use YYYY-Q1 to YYYY-Q4, e.g. {today.Year}-Q{(today.Month - 1) / 3 + 1}.";
                return false;
            }
            period = Months(new DateOnly(year, (number - 1) * 3 + 1, 1), 3);
            return true;
        }

        if (DateRangeText.TryParse(t, out var first, out var last, out error))
        {
            period = Of(first, last);
            return true;
        }
        if (error.Length > 0) return false;

        error = $"'{t}' is not a period. Use {Accepted}.";
        return false;
    }

    private static GoalPeriod Months(DateOnly first, int months) => Of(first, first.AddMonths(months).AddDays(-1));

    private static bool InYears(int year) => year is >= 1970 and <= 9000;

    private static string Short(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{4})-(\d{2})$")]
    private static partial Regex MonthPattern();

    [GeneratedRegex(@"^(\d{4})-q(\d)$")]
    private static partial Regex QuarterPattern();
}
