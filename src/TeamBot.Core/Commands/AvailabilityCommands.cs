using System.Globalization;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Commands;

/// <summary>/away, /back, /availability and /holidays: who works when, the one model routing, SLAs and stand-ups share.</summary>
public sealed class AvailabilityCommands(
    IPeopleStore people,
    IHolidayStore holidays,
    IWorkCalendars calendars,
    IWorkspaceSettings settings,
    TimeProvider clock)
{
    public Task<ChatReply> HandleAsync(CommandContext context, CancellationToken cancellationToken) => context.Command.Name switch
    {
        "away" => AwayAsync(context, cancellationToken),
        "back" => BackAsync(context, cancellationToken),
        "availability" => context.Command.Subcommand == "set" ? SetAsync(context, cancellationToken) : ShowAsync(context, cancellationToken),
        _ => HolidaysAsync(context, cancellationToken),
    };

    private async Task<ChatReply> AwayAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (person, problem) = await SubjectAsync(context, cancellationToken);
        if (person is null) return ChatReply.Private(problem!);
        var text = context.Command.Option("until")!.Trim();
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var until))
        {
            return ChatReply.Private($"until: '{text}' is not a date; give the first day back as YYYY-MM-DD, e.g. /away until:{Today(person).AddDays(7):yyyy-MM-dd}.");
        }
        var today = Today(person);
        if (until <= today) return ChatReply.Private($"until: {until:yyyy-MM-dd} is not after today ({today:yyyy-MM-dd}); give the first day back.");
        if (until > today.AddYears(1)) return ChatReply.Private($"until: {until:yyyy-MM-dd} is more than a year away; set a date within the next year.");

        await people.SetAvailabilityAsync(person.Id, person.Availability with { AwayUntil = until }, cancellationToken);
        var who = person.Id == context.Person.Id ? "You are" : $"{person.DisplayName} is";
        return ChatReply.Private($"{who} away until {Spoken(until)} (back that day). Round robin skips {(person.Id == context.Person.Id ? "you" : "them")} " +
                                 $"and stand-ups leave {(person.Id == context.Person.Id ? "you" : "them")} out until then. /back ends it early.");
    }

    private async Task<ChatReply> BackAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (person, problem) = await SubjectAsync(context, cancellationToken);
        if (person is null) return ChatReply.Private(problem!);
        var self = person.Id == context.Person.Id;
        if (!person.Availability.IsAway(clock.GetUtcNow()))
        {
            return ChatReply.Private(self ? "You are not marked away, so there is nothing to end." : $"{person.DisplayName} is not marked away.");
        }
        await people.SetAvailabilityAsync(person.Id, person.Availability with { AwayUntil = null }, cancellationToken);
        return ChatReply.Private(self ? "Welcome back: leads and stand-ups include you again." : $"{person.DisplayName} is back: leads and stand-ups include them again.");
    }

    private async Task<ChatReply> ShowAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (person, problem) = await SubjectAsync(context, cancellationToken, allowAnyone: true);
        if (person is null) return ChatReply.Private(problem!);
        var calendar = await calendars.ForWorkspaceAsync(context.Workspace.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var a = person.Availability;
        var state = a.IsAway(now) ? $"away until {Spoken(a.AwayUntil!.Value)}"
            : a.IsOnHoliday(now, calendar) ? "off today (a workspace holiday)"
            : a.IsWorking(now) ? "working now"
            : "off duty now";
        return ChatReply.Private($"{person.DisplayName}: {state}.\n" +
                                 $"Time zone {a.TimeZoneId}; hours {a.WorkStart:HH\\:mm}-{a.WorkEnd:HH\\:mm}; days {DaysText(a.WorkDays)}.\n" +
                                 $"Workspace: {DaysText(calendar.WorkWeek)}, {calendar.DayStart:HH\\:mm}-{calendar.DayEnd:HH\\:mm} ({calendar.TimeZoneId}); /holidays list shows the holidays.");
    }

    private async Task<ChatReply> SetAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (person, problem) = await SubjectAsync(context, cancellationToken);
        if (person is null) return ChatReply.Private(problem!);
        var command = context.Command;
        var a = person.Availability;
        if (command.Option("tz") is null && command.Option("hours") is null && command.Option("days") is null)
        {
            return ChatReply.Private("Say what to change: tz:, hours: or days:, e.g. /availability set tz:Europe/Berlin hours:09:00-17:30 days:Mon-Fri.");
        }
        if (command.Option("tz") is { } zone)
        {
            if (!AvailabilityText.IsTimeZone(zone.Trim())) return ChatReply.Private($"tz: '{zone}' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, Asia/Jerusalem).");
            a = a with { TimeZoneId = zone.Trim() };
        }
        if (command.Option("hours") is { } hours)
        {
            if (!AvailabilityText.TryParseHours(hours, out var start, out var end)) return ChatReply.Private($"hours: '{hours}' must look like 09:00-17:30.");
            a = a with { WorkStart = start, WorkEnd = end };
        }
        if (command.Option("days") is { } days)
        {
            if (!AvailabilityText.TryParseDays(days, out var workDays)) return ChatReply.Private($"days: '{days}' must look like Mon-Fri, Sun-Thu or Mon,Wed,Fri.");
            a = a with { WorkDays = workDays };
        }
        await people.SetAvailabilityAsync(person.Id, a, cancellationToken);
        return ChatReply.Private($"{(person.Id == context.Person.Id ? "Your" : person.DisplayName + "'s")} availability: " +
                                 $"{a.TimeZoneId}, {a.WorkStart:HH\\:mm}-{a.WorkEnd:HH\\:mm}, {DaysText(a.WorkDays)}.");
    }

    private async Task<ChatReply> HolidaysAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var workspaceId = context.Workspace.Id;
        switch (command.Subcommand)
        {
            case "add":
                {
                    if (!TryDate(command.Option("date")!, out var date, out var error)) return ChatReply.Private(error);
                    var name = command.Option("name")?.Trim();
                    if (name is { Length: > 100 }) return ChatReply.Private("name: at most 100 characters.");
                    if (name is not null && (name.Length == 0 || name.Any(char.IsControl))) return ChatReply.Private("name: give plain text on one line, e.g. name:\"Christmas Day\".");
                    if (settings.Calendar(workspaceId).ParsedHolidays().Any(h => h.Date == date))
                    {
                        return ChatReply.Private($"{Spoken(date)} is already a holiday in the configuration.");
                    }
                    var added = await holidays.AddAsync(workspaceId, new Holiday(date, name), cancellationToken);
                    var calendar = await calendars.ForWorkspaceAsync(workspaceId, cancellationToken);
                    var note = calendar.WorkWeek.Contains(date.DayOfWeek) ? "" : $" (it is not a working day anyway)";
                    return added
                        ? ChatReply.Public($"{context.Person.DisplayName} made {Spoken(date)}{(name is null ? "" : $" ({name})")} a holiday{note}: no stand-ups, and SLA clocks and pace counts skip it.")
                        : ChatReply.Private($"{Spoken(date)} is already a holiday.");
                }
            case "remove":
                {
                    if (!TryDate(command.Option("date")!, out var date, out var error)) return ChatReply.Private(error);
                    if (await holidays.RemoveAsync(workspaceId, date, cancellationToken))
                    {
                        return ChatReply.Public($"{context.Person.DisplayName} removed the holiday on {Spoken(date)}; it is a normal day again.");
                    }
                    return ChatReply.Private(settings.Calendar(workspaceId).ParsedHolidays().Any(h => h.Date == date)
                        ? $"{Spoken(date)} is a holiday in the configuration (Calendar:Holidays); change it there."
                        : $"{Spoken(date)} is not a holiday.");
                }
            default:
                {
                    var today = (await calendars.ForWorkspaceAsync(workspaceId, cancellationToken)).LocalDate(clock.GetUtcNow());
                    var all = settings.Calendar(workspaceId).ParsedHolidays().Select(h => (h, Source: "configuration"))
                        .Concat((await holidays.ListAsync(workspaceId, cancellationToken)).Select(h => (h, Source: "chat")))
                        .Where(x => x.h.Date >= today)
                        .OrderBy(x => x.h.Date)
                        .ToList();
                    if (all.Count == 0) return ChatReply.Private("No holidays ahead. Admins add them with /holidays add date:YYYY-MM-DD name:\"…\".");
                    return ChatReply.Private("Holidays ahead:\n" + string.Join("\n", all.Take(30).Select(x =>
                        $"• {Spoken(x.h.Date)}{(x.h.Name is null ? "" : " " + x.h.Name)}{(x.Source == "configuration" ? " (configured)" : "")}")));
                }
        }
    }

    /// <summary>The person a command is about: the caller, or with <c>person:</c> someone else (admins only, except to look).</summary>
    private async Task<(Person? Person, string? Problem)> SubjectAsync(CommandContext context, CancellationToken cancellationToken, bool allowAnyone = false)
    {
        if (context.Command.Option("person") is not { } text) return (context.Person, null);
        var (person, error) = PersonLookup.Find(await people.ListAsync(context.Workspace.Id, cancellationToken), text);
        if (person is null) return (null, "person: " + error);
        if (person.Id != context.Person.Id && !allowAnyone && !context.Person.Is(TeamRoles.Admin))
        {
            return (null, $"Only admins can change someone else's availability. Nothing was changed.");
        }
        return (person, null);
    }

    private DateOnly Today(Person person) => person.Availability.LocalDate(clock.GetUtcNow());

    private static bool TryDate(string text, out DateOnly date, out string error)
    {
        error = "";
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)) return true;
        error = $"date: '{text}' is not a date; use YYYY-MM-DD, e.g. date:2026-12-25.";
        return false;
    }

    private static string Spoken(DateOnly date) => date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>Days in the order of the person's week: Sun-Thu reads "Sun, Mon, Tue, Wed, Thu"; a full week starts on Monday.</summary>
    private static string DaysText(IReadOnlySet<DayOfWeek> days)
    {
        var first = Enumerable.Range(1, 7).Select(i => (DayOfWeek)(i % 7))
            .FirstOrDefault(d => days.Contains(d) && !days.Contains((DayOfWeek)(((int)d + 6) % 7)), DayOfWeek.Monday);
        return string.Join(", ", Enumerable.Range(0, 7).Select(i => (DayOfWeek)(((int)first + i) % 7)).Where(days.Contains).Select(d => d.ToString()[..3]));
    }
}
