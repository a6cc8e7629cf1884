namespace TeamBot.Core.Workspaces;

/// <summary>
/// One team on one platform: a Discord guild, a Teams team, or the built-in local chat. <see cref="LeftAt"/> is when TeamBot
/// was removed from the team's server (a Discord server that removed the bot), until it is added again; null while TeamBot is
/// there. <see cref="IWorkspaceStore.UpsertAsync"/> leaves it as stored.
/// </summary>
public sealed record Workspace(string Id, string Platform, string Name, string TimeZoneId, WorkspacePlaces Places, DateTimeOffset? LeftAt = null)
{
    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
}

/// <summary>The platform place ids of the workspace's well-known channels.</summary>
public sealed record WorkspacePlaces(string Handoffs, string Marketing, string General);

/// <summary>A person in a workspace, mapped from their platform user id.</summary>
public sealed record Person(
    long Id,
    string WorkspaceId,
    string PlatformUserId,
    string DisplayName,
    TeamRoles Roles,
    string? Email,
    Availability Availability)
{
    public bool Is(TeamRoles role) => (Roles & role) == role;
}

/// <summary>When a person works. Routing skips people outside it; stand-ups will too.</summary>
public sealed record Availability(
    string TimeZoneId,
    TimeOnly WorkStart,
    TimeOnly WorkEnd,
    IReadOnlySet<DayOfWeek> WorkDays,
    DateOnly? AwayUntil)
{
    public static readonly IReadOnlySet<DayOfWeek> MondayToFriday = new HashSet<DayOfWeek>
    {
        DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday,
    };

    public static Availability Default(string timeZoneId) =>
        new(timeZoneId, new TimeOnly(9, 0), new TimeOnly(18, 0), MondayToFriday, null);

    /// <summary>Away on <paramref name="now"/>'s local date (the away date itself is the first day back).</summary>
    public bool IsAway(DateTimeOffset now) => AwayUntil is { } until && LocalDate(now) < until;

    /// <summary>Working now: not away, not on one of the workspace's holidays, within their hours on one of their work days.</summary>
    public bool IsWorking(DateTimeOffset now, WorkCalendar calendar) => !IsOnHoliday(now, calendar) && IsWorking(now);

    /// <summary>Whether today, in the person's own zone, is one of the workspace's holidays.</summary>
    public bool IsOnHoliday(DateTimeOffset now, WorkCalendar calendar) => calendar.IsHoliday(LocalDate(now));

    /// <summary>Whether the person works on a date at all: one of their work days, not a holiday, not away.</summary>
    public bool WorksOn(DateOnly date, WorkCalendar calendar) =>
        WorkDays.Contains(date.DayOfWeek) && !calendar.IsHoliday(date) && (AwayUntil is not { } until || date >= until);

    /// <summary>Within their hours on one of their work days and not away (the workspace's holidays aside).</summary>
    public bool IsWorking(DateTimeOffset now)
    {
        if (IsAway(now)) return false;
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId));
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (WorkStart <= WorkEnd) return WorkDays.Contains(local.DayOfWeek) && time >= WorkStart && time < WorkEnd;

        // A shift that crosses midnight belongs to the day it starts on: its early hours count for the day before.
        if (time >= WorkStart) return WorkDays.Contains(local.DayOfWeek);
        return time < WorkEnd && WorkDays.Contains(local.AddDays(-1).DayOfWeek);
    }

    public DateOnly LocalDate(DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId)).DateTime);
}
