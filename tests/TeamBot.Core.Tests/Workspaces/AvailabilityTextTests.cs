using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Workspaces;

public class AvailabilityTextTests
{
    [Theory]
    [InlineData("09:00-18:00", 9, 0, 18, 0)]
    [InlineData("9:30 - 17:45", 9, 30, 17, 45)]
    [InlineData("22:00-06:00", 22, 0, 6, 0)]
    [InlineData("00:00-23:59", 0, 0, 23, 59)]
    public void TryParseHours_WhenStartAndEnd_ReturnsThem(string text, int startHour, int startMinute, int endHour, int endMinute)
    {
        Assert.True(AvailabilityText.TryParseHours(text, out var start, out var end));
        Assert.Equal(new TimeOnly(startHour, startMinute), start);
        Assert.Equal(new TimeOnly(endHour, endMinute), end);
    }

    [Theory]
    [InlineData("09:00")]
    [InlineData("09:00-09:00")]
    [InlineData("25:00-18:00")]
    [InlineData("09:00-18:60")]
    [InlineData("0900-1800")]
    [InlineData("9am-6pm")]
    [InlineData("09:00-12:00-18:00")]
    [InlineData("")]
    public void TryParseHours_WhenNotAPairOfTimes_ReturnsFalse(string text)
    {
        Assert.False(AvailabilityText.TryParseHours(text, out _, out _));
    }

    [Theory]
    [InlineData("Mon-Fri", new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })]
    [InlineData("Sun-Thu", new[] { DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday })]
    [InlineData("Mon,Wed,Fri", new[] { DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday })]
    [InlineData("Fri-Mon", new[] { DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Friday, DayOfWeek.Saturday })]
    [InlineData("monday - wednesday, SAT", new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Saturday })]
    [InlineData("Tue", new[] { DayOfWeek.Tuesday })]
    [InlineData("Sat-Fri", new[] { DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday })]
    public void TryParseDays_WhenDaysAndRanges_ReturnsEveryDay(string text, DayOfWeek[] expected)
    {
        Assert.True(AvailabilityText.TryParseDays(text, out var days));
        Assert.Equal(expected.Order(), days.Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("Mo-Fr")]
    [InlineData("Mon-Funday")]
    [InlineData("Mon-Wed-Fri")]
    [InlineData("weekdays")]
    public void TryParseDays_WhenNotDays_ReturnsFalse(string text)
    {
        Assert.False(AvailabilityText.TryParseDays(text, out _));
    }

    [Theory]
    [InlineData("Europe/Berlin", true)]
    [InlineData("UTC", true)]
    [InlineData("Mars/Olympus_Mons", false)]
    public void IsTimeZone_WhenId_SaysWhetherItExists(string id, bool expected)
    {
        Assert.Equal(expected, AvailabilityText.IsTimeZone(id));
    }
}
