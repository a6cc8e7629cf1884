using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Workspaces;

public class AvailabilityTests
{
    private static readonly HashSet<DayOfWeek> SundayToThursday =
        [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday];

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) =>
        new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void IsAway_WhenBeforeTheAwayDateInTheirZone_IsAway()
    {
        var availability = Availability.Default("Europe/Berlin") with { AwayUntil = new DateOnly(2026, 11, 20) };

        // 22:59 UTC on the 19th is 23:59 in Berlin: still the last day away.
        Assert.True(availability.IsAway(Utc(11, 19, 22, 59)));
    }

    [Fact]
    public void IsAway_WhenTheAwayDateHasBegunInTheirZone_IsBack()
    {
        var availability = Availability.Default("Europe/Berlin") with { AwayUntil = new DateOnly(2026, 11, 20) };

        // 23:00 UTC on the 19th is already midnight on the 20th in Berlin: the first day back.
        Assert.False(availability.IsAway(Utc(11, 19, 23, 0)));
        Assert.False(availability.IsAway(Utc(11, 25, 12)));
    }

    [Fact]
    public void IsAway_WhenNoAwayDate_IsNeverAway()
    {
        Assert.False(Availability.Default("UTC").IsAway(Utc(11, 16, 12)));
    }

    [Fact]
    public void IsWorking_WhenAway_IsNotWorkingEvenInHours()
    {
        var availability = Availability.Default("UTC") with { AwayUntil = new DateOnly(2026, 11, 17) };

        Assert.False(availability.IsWorking(Utc(11, 16, 10)));
        Assert.True(availability.IsWorking(Utc(11, 17, 10)));
    }

    [Theory]
    [InlineData(8, 59, false)]
    [InlineData(9, 0, true)]
    [InlineData(17, 59, true)]
    [InlineData(18, 0, false)]
    public void IsWorking_WhenWeekday_CountsFromStartUpToEnd(int hour, int minute, bool expected)
    {
        // Monday 16 November 2026 in UTC.
        Assert.Equal(expected, Availability.Default("UTC").IsWorking(Utc(11, 16, hour, minute)));
    }

    [Fact]
    public void IsWorking_WhenSameInstantInDifferentZones_DependsOnLocalTime()
    {
        var instant = Utc(11, 16, 15); // Monday 15:00 UTC

        Assert.True(Availability.Default("Europe/Berlin").IsWorking(instant));      // 16:00
        Assert.True(Availability.Default("America/New_York").IsWorking(instant));   // 10:00
        Assert.False(Availability.Default("Asia/Tokyo").IsWorking(instant));        // 00:00 Tuesday
        Assert.False(Availability.Default("America/Los_Angeles").IsWorking(instant)); // 07:00
    }

    [Fact]
    public void IsWorking_WhenLocalDateIsAlreadyTheWeekend_IsNotWorking()
    {
        // Friday 20 November 23:30 UTC is already Saturday 12:30 in Auckland (summer time, UTC+13).
        var availability = Availability.Default("Pacific/Auckland");

        Assert.False(availability.IsWorking(Utc(11, 20, 23, 30)));
    }

    [Fact]
    public void IsWorking_WhenWeekRunsSundayToThursday_WorksSundayNotFriday()
    {
        var availability = Availability.Default("Asia/Dubai") with { WorkDays = SundayToThursday };

        Assert.True(availability.IsWorking(Utc(11, 15, 6)));   // Sunday 10:00 in Dubai
        Assert.True(availability.IsWorking(Utc(11, 19, 6)));   // Thursday 10:00
        Assert.False(availability.IsWorking(Utc(11, 20, 6)));  // Friday 10:00
        Assert.False(availability.IsWorking(Utc(11, 21, 6)));  // Saturday 10:00
    }

    [Theory]
    [InlineData(11, 16, 22, 0, true)]   // Monday 22:00: the shift starts
    [InlineData(11, 16, 23, 30, true)]  // Monday 23:30
    [InlineData(11, 17, 5, 59, true)]   // Tuesday 05:59: still Monday's shift
    [InlineData(11, 17, 6, 0, false)]   // Tuesday 06:00: the shift is over
    [InlineData(11, 17, 12, 0, false)]  // Tuesday noon
    [InlineData(11, 16, 21, 59, false)] // Monday 21:59
    public void IsWorking_WhenShiftCrossesMidnight_CoversBothSidesOfIt(int month, int day, int hour, int minute, bool expected)
    {
        var availability = Availability.Default("UTC") with { WorkStart = new TimeOnly(22, 0), WorkEnd = new TimeOnly(6, 0) };

        Assert.Equal(expected, availability.IsWorking(Utc(month, day, hour, minute)));
    }

    [Fact]
    public void IsWorking_WhenNightShiftStartsOnTheLastWorkDay_RunsIntoTheNextMorning()
    {
        var availability = Availability.Default("UTC") with { WorkStart = new TimeOnly(22, 0), WorkEnd = new TimeOnly(6, 0) };

        // Friday night's shift runs until Saturday 06:00.
        Assert.True(availability.IsWorking(Utc(11, 21, 2)));
    }

    [Fact]
    public void IsWorking_WhenNightBeforeTheFirstWorkDay_IsNotAShift()
    {
        var availability = Availability.Default("UTC") with { WorkStart = new TimeOnly(22, 0), WorkEnd = new TimeOnly(6, 0) };

        // Monday 02:00 belongs to Sunday night, and Sunday is not a work day.
        Assert.False(availability.IsWorking(Utc(11, 16, 2)));
    }
}
