using TeamBot.Core.Reports;

namespace TeamBot.Core.Tests.Reports;

public class ReportPeriodTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 9, 30, 0, TimeSpan.Zero);

    private static ReportPeriod Parse(string? text, DateTimeOffset now, TimeZoneInfo zone)
    {
        Assert.True(ReportPeriod.TryParse(text, now, zone, out var period, out var error), error);
        return period;
    }

    private static string Fail(string text)
    {
        Assert.False(ReportPeriod.TryParse(text, Now, Berlin, out _, out var error));
        return error;
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("7d", 7)]
    [InlineData("30d", 30)]
    [InlineData("90D", 90)]
    [InlineData(" 1d ", 1)]
    [InlineData("366d", 366)]
    public void TryParse_WhenDays_EndsNowWithThePreviousStretchRightBefore(string text, int days)
    {
        var period = Parse(text, Now, Berlin);

        Assert.Equal(Now, period.To);
        Assert.Equal(Now.AddDays(-days), period.From);
        Assert.Equal(Now.AddDays(-2 * days), period.PreviousFrom);
        Assert.Equal(period.From, period.PreviousEnd);
        Assert.Equal($"last {days} days", period.Label);
        Assert.Equal($"the {days} days before", period.PreviousLabel);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void TryParse_WhenNothingGiven_UsesThirtyDays(string? text)
    {
        var period = Parse(text, Now, Berlin);

        Assert.Equal(Now.AddDays(-30), period.From);
        Assert.Equal("last 30 days", period.Label);
    }

    [Fact]
    public void TryParse_WhenQuarterJustStartedInTheZoneButNotInUtc_StartsAtLocalMidnightOfTheFirstDay()
    {
        // 22:30 UTC on 31 March is 00:30 on 1 April in Berlin (summer time began on 29 March).
        var now = Utc(2026, 3, 31, 22, 30);

        var period = Parse("quarter", now, Berlin);

        Assert.Equal("Q2 2026 so far", period.Label);
        Assert.Equal(Utc(2026, 3, 31, 22), period.From);
        Assert.Equal(now, period.To);
        // Q1 began in winter time: midnight on 1 January in Berlin is 23:00 UTC the day before.
        Assert.Equal(Utc(2025, 12, 31, 23), period.PreviousFrom);
        Assert.Equal(Utc(2025, 12, 31, 23, 30), period.PreviousEnd);
        Assert.Equal("the same stretch of the previous quarter", period.PreviousLabel);
    }

    [Fact]
    public void TryParse_WhenQuarterInUtc_StillInTheOldQuarter()
    {
        var period = Parse("Quarter", Utc(2026, 3, 31, 22, 30), TimeZoneInfo.Utc);

        Assert.Equal("Q1 2026 so far", period.Label);
        Assert.Equal(Utc(2026, 1, 1, 0), period.From);
        Assert.Equal(Utc(2025, 10, 1, 0), period.PreviousFrom);
    }

    [Fact]
    public void TryParse_WhenFirstQuarterOfTheYear_PreviousQuarterIsInTheYearBefore()
    {
        var now = new DateTimeOffset(2026, 2, 10, 12, 0, 0, TimeSpan.FromHours(1));

        var period = Parse("q", now, Berlin);

        Assert.Equal("Q1 2026 so far", period.Label);
        Assert.Equal(Utc(2025, 12, 31, 23), period.From);
        // 1 October 2025 was still summer time in Berlin (UTC+2).
        Assert.Equal(Utc(2025, 9, 30, 22), period.PreviousFrom);
        Assert.Equal(period.PreviousFrom + (now - period.From), period.PreviousEnd);
    }

    [Fact]
    public void TryParse_WhenDateRange_CoversWholeLocalDaysInclusive()
    {
        var period = Parse("2026-11-02..2026-11-08", Now, Berlin);

        Assert.Equal(Utc(2026, 11, 1, 23), period.From);
        Assert.Equal(Utc(2026, 11, 8, 23), period.To);
        Assert.Equal("2026-11-02 to 2026-11-08", period.Label);
        Assert.Equal(Utc(2026, 10, 25, 23), period.PreviousFrom);
        Assert.Equal(period.From, period.PreviousEnd);
        Assert.Equal("the same number of days before", period.PreviousLabel);
    }

    [Fact]
    public void TryParse_WhenSingleDay_CoversThatDayOnly()
    {
        var period = Parse("2026-07-01..2026-07-01", Now, Berlin);

        Assert.Equal(Utc(2026, 6, 30, 22), period.From);
        Assert.Equal(Utc(2026, 7, 1, 22), period.To);
        Assert.Equal(Utc(2026, 6, 29, 22), period.PreviousFrom);
    }

    [Fact]
    public void TryParse_WhenRangeSpansTheClockChange_EndsAtLocalMidnight()
    {
        // Summer time begins in Berlin on 29 March 2026, so these two days last 47 hours.
        var period = Parse("2026-03-28..2026-03-29", Now, Berlin);

        Assert.Equal(Utc(2026, 3, 27, 23), period.From);
        Assert.Equal(Utc(2026, 3, 29, 22), period.To);
        Assert.Equal(TimeSpan.FromHours(47), period.To - period.From);
    }

    [Fact]
    public void TryParse_WhenRangeAndPreviousDaysDifferInLength_PreviousStillStartsAtLocalMidnight()
    {
        // 30-31 March (48 hours, summer time) against 28-29 March (47 hours across the change).
        var period = Parse("2026-03-30..2026-03-31", Now, Berlin);

        Assert.Equal(Utc(2026, 3, 29, 22), period.From);
        Assert.Equal(Utc(2026, 3, 27, 23), period.PreviousFrom);
        Assert.Equal(period.From, period.PreviousEnd);
    }

    [Fact]
    public void TryParse_WhenRangeEndsBeforeItStarts_Refuses()
    {
        Assert.Equal("'2026-03-10..2026-03-01' ends before it starts.", Fail("2026-03-10..2026-03-01"));
    }

    [Theory]
    [InlineData("2026-02-30..2026-03-01")]
    [InlineData("2026-01-01..2026-13-01")]
    [InlineData("2025-02-29..2025-03-01")]
    public void TryParse_WhenDateDoesNotExist_Refuses(string text)
    {
        Assert.Equal($"'{text}' has a date that does not exist.", Fail(text));
    }

    [Fact]
    public void TryParse_WhenRangeLongerThanTwoYears_Refuses()
    {
        Assert.Contains("longer than two years", Fail("2023-01-01..2025-12-31"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0d")]
    [InlineData("367d")]
    [InlineData("400d")]
    public void TryParse_WhenDaysOutOfRange_SaysTheRange(string text)
    {
        var error = Fail(text);

        Assert.StartsWith($"'{text}' is out of range: use 1d to 366d", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("30 days")]
    [InlineData("-7d")]
    [InlineData("2026-01-01")]
    [InlineData("2026-1-1..2026-2-1")]
    public void TryParse_WhenNotAPeriod_ListsWhatIsAccepted(string text)
    {
        var error = Fail(text);

        Assert.Equal($"'{text}' is not a period. Use {ReportPeriod.Accepted}.", error);
    }

    [Fact]
    public void TryParse_WhenAQuarterIsLongerThanTheOneBefore_ThePreviousStretchStopsWhereThisQuarterStarts()
    {
        // Q3 has 92 days, Q2 only 91: at the end of Q3 the same stretch of Q2 would reach into Q3.
        var period = Parse("quarter", Utc(2025, 9, 30, 20), TimeZoneInfo.Utc);

        Assert.Equal(Utc(2025, 7, 1, 0), period.From);
        Assert.Equal(Utc(2025, 4, 1, 0), period.PreviousFrom);
        Assert.Equal(period.From, period.PreviousEnd);
    }

    [Theory]
    [InlineData("0001-01-01..0001-01-01")]
    [InlineData("9999-12-31..9999-12-31")]
    public void TryParse_WhenDatesAreAtTheEdgesOfTheCalendar_RefusesThemInsteadOfFailing(string text)
    {
        Assert.Contains("outside the years TeamBot reports on", Fail(text), StringComparison.Ordinal);
    }
}
