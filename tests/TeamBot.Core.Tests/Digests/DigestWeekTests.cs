using TeamBot.Core.Digests;

namespace TeamBot.Core.Tests.Digests;

public class DigestWeekTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Containing_WeekWithSpringForward_RunsMondayToMondayLocal_AndIs167Hours()
    {
        // Clocks go forward on Sunday 29 March 2026 in Berlin.
        var week = DigestWeek.Containing(new DateOnly(2026, 3, 27), Berlin);

        Assert.Equal(new DateOnly(2026, 3, 23), week.Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 22, 23, 0, 0, TimeSpan.Zero), week.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero), week.To);
        Assert.Equal(TimeSpan.FromHours(167), week.To - week.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 23, 0, 0, TimeSpan.Zero), week.PreviousFrom);
        Assert.Equal("23–29 Mar 2026", week.Label);
    }

    [Fact]
    public void Containing_WeekWithFallBack_Is169Hours()
    {
        var week = DigestWeek.Containing(new DateOnly(2026, 10, 25), Berlin);

        Assert.Equal(new DateOnly(2026, 10, 19), week.Start);
        Assert.Equal(TimeSpan.FromHours(169), week.To - week.From);
    }

    [Theory]
    [InlineData("2026-11-16T08:00:00Z", "2026-11-09")] // Monday 09:00 in Berlin: the week just ended
    [InlineData("2026-11-15T22:59:00Z", "2026-11-02")] // Sunday 23:59 in Berlin: that week is not over yet
    [InlineData("2026-11-15T23:00:00Z", "2026-11-09")] // Monday 00:00 in Berlin, still Sunday in UTC
    public void LastFull_IsTheLastWeekThatEndedInTheWorkspaceZone(string now, string monday)
    {
        var week = DigestWeek.LastFull(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), Berlin);
        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture), week.Start);
    }

    [Fact]
    public void TryParse_AnyDateInTheWeek_TakesItsMonday_AndBadInputSaysWhy()
    {
        var now = new DateTimeOffset(2026, 11, 18, 12, 0, 0, TimeSpan.Zero);
        Assert.True(DigestWeek.TryParse("2026-11-12", Berlin, now, out var week, out _));
        Assert.Equal(new DateOnly(2026, 11, 9), week.Start);
        Assert.True(DigestWeek.TryParse("this", Berlin, now, out var current, out _));
        Assert.Equal(new DateOnly(2026, 11, 16), current.Start);
        Assert.True(DigestWeek.TryParse(null, Berlin, now, out var last, out _));
        Assert.Equal(new DateOnly(2026, 11, 9), last.Start);

        Assert.False(DigestWeek.TryParse("2026-02-30", Berlin, now, out _, out var error));
        Assert.Equal("'2026-02-30' is not a week: use last, this, or a date YYYY-MM-DD in the week (e.g. its Monday).", error);
    }

    [Fact]
    public void Schedule_Monday0900_StaysAtNineLocalAcrossDaylightSaving()
    {
        var schedule = new DigestSchedule(DayOfWeek.Monday, new TimeOnly(9, 0), Berlin);

        var beforeChange = schedule.Next(new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.Zero));
        var afterChange = schedule.Next(beforeChange);

        Assert.Equal(new DateTimeOffset(2026, 3, 23, 8, 0, 0, TimeSpan.Zero), beforeChange); // 09:00 CET
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 7, 0, 0, TimeSpan.Zero), afterChange); // 09:00 CEST
        Assert.Equal(new DateOnly(2026, 3, 23), DigestSchedule.WeekFor(afterChange, Berlin).Start);
    }

    [Fact]
    public void Schedule_Next_IsStrictlyAfter_SoTheSameMomentGivesNextWeek()
    {
        var schedule = new DigestSchedule(DayOfWeek.Friday, new TimeOnly(16, 30), Berlin);
        var friday = new DateTimeOffset(2026, 11, 20, 15, 30, 0, TimeSpan.Zero);

        Assert.Equal(friday, schedule.Next(friday.AddSeconds(-1)));
        Assert.Equal(friday.AddDays(7), schedule.Next(friday));
    }

    [Theory]
    [InlineData("Monday", DayOfWeek.Monday)]
    [InlineData("fri", DayOfWeek.Friday)]
    [InlineData(" SUNDAY ", DayOfWeek.Sunday)]
    public void Settings_Day_AcceptsNamesAndAbbreviations(string text, DayOfWeek day)
    {
        Assert.True(DigestSettings.TryParseDay(text, out var parsed));
        Assert.Equal(day, parsed);
    }

    [Theory]
    [InlineData("Mo")]
    [InlineData("Funday")]
    [InlineData("1")]
    public void Settings_Day_RefusesWhatIsNotADay(string text) => Assert.False(DigestSettings.TryParseDay(text, out _));
}
