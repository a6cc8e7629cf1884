using System.Globalization;
using System.Text.RegularExpressions;

namespace TeamBot.Core.Reports;

/// <summary>A typed range of whole days, <c>YYYY-MM-DD..YYYY-MM-DD</c> (both included, at most two years), as reports and goals take it.</summary>
public static partial class DateRangeText
{
    /// <summary>False with an empty <paramref name="error"/> when the text is not shaped like a range at all.</summary>
    public static bool TryParse(string text, out DateOnly first, out DateOnly last, out string error)
    {
        first = last = default;
        error = "";
        var range = RangePattern().Match(text);
        if (!range.Success) return false;
        if (!DateOnly.TryParseExact(range.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first)
            || !DateOnly.TryParseExact(range.Groups[2].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out last))
        {
            error = $"'{text}' has a date that does not exist.";
        }
        else if (last < first) error = $"'{text}' ends before it starts.";
        else if (first.Year < 1970 || last.Year > 9000) error = $"'{text}' is outside the years TeamBot reports on (1970 to 9000).";
        else if (last.DayNumber - first.DayNumber > 366 * 2) error = $"'{text}' is longer than two years.";
        return error.Length == 0;
    }

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")]
    private static partial Regex RangePattern();
}
