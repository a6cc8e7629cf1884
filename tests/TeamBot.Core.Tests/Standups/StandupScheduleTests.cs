using TeamBot.Core.Standups;

namespace TeamBot.Core.Tests.Standups;

public sealed class StandupScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static StandupSchedule Days(string days, string time)
    {
        Assert.True(StandupSchedule.TryDaysAndTime(days, time, out var schedule, out var error), error);
        return schedule;
    }

    private static StandupSchedule Cron(string expression)
    {
        Assert.True(StandupSchedule.TryCron(expression, out var schedule, out var error), error);
        return schedule;
    }

    [Theory]
    // Berlin, last Sunday of March: Friday 09:30 is 08:30 UTC, Monday 09:30 is 07:30 UTC.
    [InlineData("Europe/Berlin", "2026-03-27T08:30:00Z", "2026-03-30T07:30:00Z")]
    // Berlin, last Sunday of October: back from 07:30 to 08:30 UTC.
    [InlineData("Europe/Berlin", "2026-10-23T07:30:00Z", "2026-10-26T08:30:00Z")]
    // New York, second Sunday of March.
    [InlineData("America/New_York", "2026-03-06T14:30:00Z", "2026-03-09T13:30:00Z")]
    // New York, first Sunday of November.
    [InlineData("America/New_York", "2026-10-30T13:30:00Z", "2026-11-02T14:30:00Z")]
    public void NextWeekday_AcrossDaylightSavingChange_StaysAtTheLocalTime(string zone, string fired, string expected)
    {
        var next = Days("Mon-Fri", "09:30").Next(DateTimeOffset.Parse(fired, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next!.At);
        Assert.Equal(new TimeOnly(9, 30), next.Time);
    }

    [Fact]
    public void Next_TimeSkippedBySpringForward_HappensWhenTheClocksAllow()
    {
        // 02:30 does not exist in Berlin on 29 March 2026; it happens at 03:30 CEST (01:30 UTC), once.
        var next = Cron("30 2 * * *").Next(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero), Berlin)!;

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), next.At);
        Assert.Equal("2026-03-29T02:30", next.Key);
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero), Cron("30 2 * * *").Next(next.At, Berlin)!.At);
    }

    [Fact]
    public void Next_TimeRepeatedByFallBack_HappensOnceAtTheFirst()
    {
        var schedule = Cron("30 1 * * *");
        var first = schedule.Next(new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero), NewYork)!;
        var second = schedule.Next(first.At, NewYork)!;

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), first.At); // 01:30 EDT
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 6, 30, 0, TimeSpan.Zero), second.At); // the next day, not 01:30 EST the same night
    }

    [Theory]
    [InlineData("30 9 * * 1-5", "2026-11-14T12:00:00Z", "2026-11-16T08:30:00Z")] // Saturday -> Monday
    [InlineData("0 9 * * sun-thu", "2026-11-19T12:00:00Z", "2026-11-22T08:00:00Z")] // Thursday -> Sunday
    [InlineData("0 9 1 * *", "2026-11-02T00:00:00Z", "2026-12-01T08:00:00Z")]
    [InlineData("*/20 9 * * 0", "2026-11-15T08:05:00Z", "2026-11-15T08:20:00Z")]
    [InlineData("0 10 29 feb *", "2026-03-01T00:00:00Z", "2028-02-29T09:00:00Z")]
    [InlineData("0 9 13 * 5", "2026-11-01T00:00:00Z", "2026-11-06T08:00:00Z")] // either day field matches, as in cron
    [InlineData("15 14 * 1,jul 7", "2026-11-01T00:00:00Z", "2027-01-03T13:15:00Z")]
    public void Cron_FiveFields_InTheZone(string expression, string after, string expected)
    {
        var next = Cron(expression).Next(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture), Berlin);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next!.At);
    }

    [Theory]
    [InlineData("30 9 * *", "has 4 fields")]
    [InlineData("0 30 9 * * 1-5", "has 6 fields")]
    [InlineData("60 9 * * *", "minute '60' outside 0-59")]
    [InlineData("0 9 * * funday", "day of week 'funday' that is not a number or a name")]
    [InlineData("0 9 * * */0", "step '0' that is not a positive number")]
    [InlineData("0 5-3 * * *", "hour '5-3' outside 0-23")]
    public void Cron_Invalid_SaysWhatIsWrong(string expression, string problem)
    {
        Assert.False(StandupSchedule.TryCron(expression, out _, out var error));
        Assert.StartsWith("cron: ", error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cron_ThatNeverHappens_HasNoNext() =>
        Assert.Null(Cron("0 9 31 2 *").Next(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Berlin));

    [Fact]
    public void Schedule_RoundTripsThroughItsText()
    {
        Assert.Equal("days:Sun-Thu time:08:05", StandupSchedule.Parse(Days("Sun-Thu", "8:05").Text).Text);
        Assert.Equal("cron:30 9 * * 1-5", StandupSchedule.Parse(Cron(" 30  9 * * 1-5").Text).Text);
    }

    [Theory]
    [InlineData("4h", 240)]
    [InlineData("90m", 90)]
    [InlineData("1h30m", 90)]
    [InlineData("1d", 1440)]
    public void Durations_Parse(string text, int minutes)
    {
        Assert.True(StandupCommands.TryParseDuration(text, out var span));
        Assert.Equal(TimeSpan.FromMinutes(minutes), span);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("h")]
    [InlineData("four hours")]
    [InlineData("0m")]
    public void Durations_Invalid(string text) => Assert.False(StandupCommands.TryParseDuration(text, out _));
}
