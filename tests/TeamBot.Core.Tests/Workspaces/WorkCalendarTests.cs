using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Workspaces;

public class WorkCalendarTests
{
    private static readonly IReadOnlySet<DayOfWeek> SundayToThursday = new HashSet<DayOfWeek>
    {
        DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday,
    };

    private static WorkCalendar Berlin(params DateOnly[] holidays) =>
        new("Europe/Berlin", Availability.MondayToFriday, new TimeOnly(9, 0), new TimeOnly(18, 0), holidays.ToHashSet());

    private static DateTimeOffset BerlinTime(int month, int day, int hour, int minute = 0) =>
        Berlin().ToInstant(new DateOnly(2026, month, day), new TimeOnly(hour, minute));

    [Fact]
    public void AddWorkingTime_WithinTheDay_AddsWallTime()
    {
        var start = BerlinTime(11, 17, 10); // a Tuesday
        Assert.Equal(start.AddMinutes(15), Berlin().AddWorkingTime(start, TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void AddWorkingTime_FromFridayEvening_CountsFromMondayMorning()
    {
        var friday = BerlinTime(11, 20, 17, 50); // ten working minutes left on Friday
        Assert.Equal(BerlinTime(11, 23, 9, 5), Berlin().AddWorkingTime(friday, TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void AddWorkingTime_SkipsAHolidayAndTheNight()
    {
        var evening = BerlinTime(12, 23, 20); // Wednesday evening; the 24th and 25th are holidays
        var calendar = Berlin(new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25));
        Assert.Equal(BerlinTime(12, 28, 9, 30), calendar.AddWorkingTime(evening, TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void AddWorkingTime_InASundayToThursdayWeek_FridayAndSaturdayDoNotCount()
    {
        var calendar = new WorkCalendar("Asia/Jerusalem", SundayToThursday, new TimeOnly(8, 30), new TimeOnly(17, 0), new HashSet<DateOnly>());
        var thursday = calendar.ToInstant(new DateOnly(2026, 11, 19), new TimeOnly(16, 50));
        Assert.Equal(calendar.ToInstant(new DateOnly(2026, 11, 22), new TimeOnly(8, 50)), calendar.AddWorkingTime(thursday, TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void ToInstant_OnTheSpringForwardNight_MovesASkippedTimeForwardByTheGap()
    {
        // 29 March 2026: Berlin's clocks jump from 02:00 to 03:00.
        var instant = Berlin().ToInstant(new DateOnly(2026, 3, 29), new TimeOnly(2, 30));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), instant.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero), Berlin().ToInstant(new DateOnly(2026, 3, 29), new TimeOnly(9, 0)).ToUniversalTime());
    }

    [Fact]
    public void ToInstant_OnTheFallBackNight_TakesTheFirstOfTheRepeatedTimes()
    {
        // 25 October 2026: Berlin's 02:00-03:00 happens twice (first at +02:00, then at +01:00).
        var instant = Berlin().ToInstant(new DateOnly(2026, 10, 25), new TimeOnly(2, 30));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), instant.ToUniversalTime());
    }

    [Fact]
    public void ToInstant_NineOClockStaysNineOClockAcrossTheChange()
    {
        var before = Berlin().ToInstant(new DateOnly(2026, 10, 23), new TimeOnly(9, 0));
        var after = Berlin().ToInstant(new DateOnly(2026, 10, 26), new TimeOnly(9, 0));
        Assert.Equal(TimeSpan.FromHours(2), before.Offset);
        Assert.Equal(TimeSpan.FromHours(1), after.Offset);
        Assert.Equal(9, TimeZoneInfo.ConvertTime(after, Berlin().TimeZone).Hour);
    }

    [Fact]
    public void CountWorkingDays_LeavesOutWeekendsAndHolidays()
    {
        var calendar = Berlin(new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 26));
        // December 2026 has 23 weekdays; two of the holidays fall on weekdays (the 26th is a Saturday).
        Assert.Equal(21, calendar.CountWorkingDays(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 31)));
        Assert.Equal(0, calendar.CountWorkingDays(new DateOnly(2026, 12, 31), new DateOnly(2026, 12, 1)));
    }

    [Fact]
    public void Person_OnAWorkspaceHoliday_IsNotWorking_ButIsNotAway()
    {
        var calendar = Berlin(new DateOnly(2026, 11, 17));
        var availability = Availability.Default("Europe/Berlin");
        var tuesdayMorning = BerlinTime(11, 17, 10);

        Assert.True(availability.IsWorking(tuesdayMorning));
        Assert.False(availability.IsWorking(tuesdayMorning, calendar));
        Assert.False(availability.IsAway(tuesdayMorning));
        Assert.False(availability.WorksOn(new DateOnly(2026, 11, 17), calendar));
        Assert.True(availability.WorksOn(new DateOnly(2026, 11, 18), calendar));
    }
}
