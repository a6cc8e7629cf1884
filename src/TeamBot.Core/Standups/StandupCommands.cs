using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TeamBot.Core.Chat;
using TeamBot.Core.Commands;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Standups;

/// <summary>/standup: create, edit, pause, resume, delete, list and run stand-ups (admins).</summary>
public sealed partial class StandupCommands(
    IStandupStore standups,
    IPeopleStore people,
    IStandupScheduler scheduler,
    StandupService service,
    StandupSettings settings,
    TimeProvider clock)
{
    private static readonly OptionSpec Name = new("name", "The stand-up's name, e.g. \"Monday sync\"", Required: true);

    private static readonly OptionSpec[] Settings =
    [
        new("channel", "Where the prompt (or, in dm mode, a note) and the summary go (default: the general channel)"),
        new("participants", "People (id or name) and roles, e.g. \"sam, ana, role:marketing\""),
        new("days", "Days of the week, e.g. Mon-Fri or Sun-Thu (default Mon-Fri)"),
        new("time", "Local time of the prompt, e.g. 09:30"),
        new("cron", "Instead of days and time: a 5-field cron expression, e.g. \"30 9 * * 1-5\""),
        new("tz", "IANA time zone, e.g. Europe/Berlin (default: the workspace's)"),
        new("questions", "Questions separated by |; the one with \"blocker\" in it is called out (default: the alignment set)"),
        new("window", "How long answers are collected, e.g. 4h or 90m"),
        new("mode", "thread (answers under the prompt) or dm (each person by direct message)", Choices: ["thread", "dm"]),
        new("remind", "Remind those who have not answered this long before the close, e.g. 1h, or off"),
        new("tag", "on: remind publicly by mentioning people in the thread; off (default): by direct message", Choices: ["on", "off"]),
    ];

    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("standup", "create", "Schedule a stand-up (admins)", [Name, .. Settings], TeamRoles.Admin,
            "/standup create name:\"Monday sync\" channel:general participants:\"role:sales, role:marketing\" days:Mon-Fri time:09:30 window:4h"),
        new("standup", "edit", "Change a stand-up (admins)", [Name, .. Settings], TeamRoles.Admin, "/standup edit name:\"Monday sync\" time:10:00 mode:dm"),
        new("standup", "pause", "Stop a stand-up's prompts for now (admins)", [Name], TeamRoles.Admin, "/standup pause name:\"Monday sync\""),
        new("standup", "resume", "Start a paused stand-up again (admins)", [Name], TeamRoles.Admin, "/standup resume name:\"Monday sync\""),
        new("standup", "delete", "Delete a stand-up; past summaries stay (admins)", [Name], TeamRoles.Admin, "/standup delete name:\"Monday sync\""),
        new("standup", "list", "The workspace's stand-ups and their next prompts", [], Example: "/standup list"),
        new("standup", "run", "Ask a stand-up's questions now, outside its schedule (admins)", [Name], TeamRoles.Admin, "/standup run name:\"Monday sync\""),
    ];

    public async Task<ChatReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        if (command.Subcommand == "list") return await ListAsync(context.Workspace, cancellationToken);
        var name = command.Option("name")!.Trim();
        if (command.Subcommand == "create") return await CreateAsync(context, name, cancellationToken);

        var standup = await standups.FindByNameAsync(context.Workspace.Id, name, cancellationToken);
        if (standup is null) return ChatReply.Private($"name: there is no stand-up called \"{name}\". /standup list shows them.");
        var who = context.Person.DisplayName;
        switch (command.Subcommand)
        {
            case "edit":
                return await EditAsync(context, standup, cancellationToken);
            case "pause":
                if (standup.Paused) return ChatReply.Private($"\"{standup.Name}\" is already paused.");
                await standups.UpdateAsync(standup with { Paused = true }, cancellationToken);
                await standups.TryAdvanceAsync(standup.Id, standup.NextOccurrence, null, null, cancellationToken);
                await scheduler.CancelPromptAsync(standup.Id, cancellationToken);
                return ChatReply.Public($"{who} paused the stand-up \"{standup.Name}\". /standup resume name:\"{standup.Name}\" starts it again.");
            case "resume":
                {
                    if (!standup.Paused) return ChatReply.Private($"\"{standup.Name}\" is not paused.");
                    var resumed = standup with { Paused = false };
                    await standups.UpdateAsync(resumed, cancellationToken);
                    var next = await service.PlanAsync(resumed, cancellationToken);
                    return ChatReply.Public($"{who} resumed the stand-up \"{standup.Name}\". {NextText(resumed, next)}");
                }
            case "delete":
                await standups.DeleteAsync(standup.Id, clock.GetUtcNow(), cancellationToken);
                await scheduler.CancelPromptAsync(standup.Id, cancellationToken);
                return ChatReply.Public($"{who} deleted the stand-up \"{standup.Name}\". Its past summaries stay in the digest.");
            case "run":
                {
                    var run = await service.RunNowAsync(standup, cancellationToken);
                    if (run is null) return ChatReply.Private("That stand-up was just asked; nothing more was posted.");
                    var started = $"{who} started the stand-up \"{standup.Name}\" now: {run.Asked.Count} asked, summary at {Local(standup, run.ClosesAt!.Value)}.";
                    if (run.Excluded.Count > 0)
                    {
                        // Say who was left out and why, or "0 asked" leaves the admin guessing.
                        var names = (await people.ListAsync(context.Workspace.Id, cancellationToken)).ToDictionary(p => p.Id, p => p.DisplayName);
                        started += " Not asked: " + string.Join(", ", run.Excluded.Select(e => $"{names.GetValueOrDefault(e.PersonId, "someone")} ({e.Why})")) + ".";
                    }
                    return ChatReply.Public(started);
                }
            default:
                return ChatReply.Private($"There is no {command.FullName} command. Try /help.");
        }
    }

    private async Task<ChatReply> CreateAsync(CommandContext context, string name, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var command = context.Command;
        var errors = new List<string>();
        if (name.Length is 0 or > 60 || LeadDraft.CheckText(name, 60, multiline: false) is not null) errors.Add("name: use 1 to 60 characters of plain text on one line.");
        if (command.Option("participants") is null) errors.Add("participants: say who is asked, e.g. participants:\"sam, ana, role:marketing\".");
        if (command.Option("time") is null && command.Option("cron") is null && command.Option("days") is null) errors.Add("time: say when, e.g. days:Mon-Fri time:09:30, or give cron:\"30 9 * * 1-5\".");
        var draft = new Standup(0, workspace.Id, name, workspace.Places.General, [], null!, workspace.TimeZoneId, StandupTexts.DefaultQuestions,
            settings.DefaultWindow, AnswerMode.Thread, null, false, false, null, null, context.Person.Id, clock.GetUtcNow());
        var (standup, problems) = await ApplyAsync(draft, command, workspace.Id, cancellationToken);
        errors.AddRange(problems);
        if (errors.Count > 0) return Refuse(errors);
        if (command.Option("remind") is null && standup.Window >= TimeSpan.FromHours(2)) standup = standup with { RemindBefore = TimeSpan.FromHours(1) };

        var id = await standups.AddAsync(standup, cancellationToken);
        if (id is null) return Refuse([$"name: there is already a stand-up called \"{name}\"; pick another name, or change it with /standup edit."]);
        standup = standup with { Id = id.Value };
        var next = await service.PlanAsync(standup, cancellationToken);
        return ChatReply.Public($"{context.Person.DisplayName} created the stand-up \"{standup.Name}\": {Describe(standup)}. {NextText(standup, next)}");
    }

    private async Task<ChatReply> EditAsync(CommandContext context, Standup standup, CancellationToken cancellationToken)
    {
        var command = context.Command;
        if (command.Options.Count == 1) return ChatReply.Private($"/standup edit needs something to change, e.g. time:10:00 or mode:dm. It takes {string.Join(", ", Settings.Select(s => s.Name))}.");
        var (edited, errors) = await ApplyAsync(standup, command, context.Workspace.Id, cancellationToken);
        if (errors.Count > 0) return Refuse(errors);
        await standups.UpdateAsync(edited, cancellationToken);
        var next = edited.Paused ? null : await service.PlanAsync(edited, cancellationToken);
        return ChatReply.Public($"{context.Person.DisplayName} changed the stand-up \"{edited.Name}\": {Describe(edited)}. {(edited.Paused ? "It is paused." : NextText(edited, next))}");
    }

    /// <summary>Applies the given options to a stand-up; every bad option gives its own error, and nothing is changed then.</summary>
    private async Task<(Standup Standup, List<string> Errors)> ApplyAsync(Standup standup, ChatCommand command, string workspaceId, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (command.Option("channel") is { } channel)
        {
            channel = channel.Trim().TrimStart('#');
            if (!ChannelPattern().IsMatch(channel)) errors.Add($"channel: '{channel}' is not a channel name; use e.g. channel:general.");
            else standup = standup with { Channel = channel };
        }
        if (command.Option("participants") is { } participants)
        {
            var everyone = await people.ListAsync(workspaceId, cancellationToken);
            if (StandupParticipants.TryParse(participants, everyone, out var entries, out var error)) standup = standup with { Participants = entries };
            else errors.Add(error);
        }
        if (command.Option("tz") is { } tz)
        {
            if (AvailabilityText.IsTimeZone(tz.Trim())) standup = standup with { TimeZoneId = tz.Trim() };
            else errors.Add($"tz: '{tz}' is not an IANA time zone; use e.g. Europe/Berlin, America/New_York or UTC.");
        }

        var (days, time, cron) = (command.Option("days"), command.Option("time"), command.Option("cron"));
        if (cron is not null && (days is not null || time is not null))
        {
            errors.Add("cron: give either cron, or days and time, not both.");
        }
        else if (cron is not null)
        {
            if (StandupSchedule.TryCron(cron, out var schedule, out var error)) standup = standup with { Schedule = schedule };
            else errors.Add(error);
        }
        else if (days is not null || time is not null)
        {
            var current = standup.Schedule?.Text is { } text && text.StartsWith("days:", StringComparison.Ordinal) ? text.Split(' ') : null;
            days ??= current?[0][5..] ?? "Mon-Fri";
            time ??= current?[1][5..];
            if (time is null) errors.Add("time: give the time of day with days:, e.g. days:Mon-Fri time:09:30 (or a cron: instead).");
            else if (StandupSchedule.TryDaysAndTime(days, time, out var schedule, out var error)) standup = standup with { Schedule = schedule };
            else errors.Add(error);
        }
        if (standup.Schedule is { } s && errors.Count == 0 && s.Next(clock.GetUtcNow(), standup.TimeZone) is null)
        {
            errors.Add($"{(cron is null ? "days" : "cron")}: '{s.Text}' never happens; check the day of month and month.");
        }

        if (command.Option("questions") is { } questions)
        {
            var list = questions.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (list.Length is 0 or > 10) errors.Add("questions: give 1 to 10 questions separated by |, e.g. questions:\"What shipped? | What is next? | Blockers?\".");
            else if (list.FirstOrDefault(q => q.Length > 200 || LeadDraft.CheckText(q, 200, multiline: false) is not null) is { } bad)
            {
                errors.Add($"questions: '{StandupTexts.Shorten(bad, 40)}' is too long or not plain text; each question is at most 200 characters on one line.");
            }
            else
            {
                standup = standup with { Questions = list };
            }
        }
        if (command.Option("window") is { } window)
        {
            if (!TryParseDuration(window, out var span) || span < TimeSpan.FromMinutes(5) || span > TimeSpan.FromHours(24))
            {
                errors.Add($"window: '{window}' must be a duration from 5m to 24h, e.g. 4h, 90m or 1h30m.");
            }
            else
            {
                standup = standup with { Window = span };
            }
        }
        if (command.Option("mode") is { } mode) standup = standup with { Mode = mode.Equals("dm", StringComparison.OrdinalIgnoreCase) ? AnswerMode.Dm : AnswerMode.Thread };
        if (command.Option("remind") is { } remind)
        {
            if (remind.Trim().ToLowerInvariant() is "off" or "none" or "no") standup = standup with { RemindBefore = null };
            else if (!TryParseDuration(remind, out var before) || before < TimeSpan.FromMinutes(1)) errors.Add($"remind: '{remind}' must be a duration such as 1h or 30m, or off.");
            else standup = standup with { RemindBefore = before };
        }
        if (standup.RemindBefore is { } r && r >= standup.Window && errors.Count == 0)
        {
            errors.Add($"remind: {Durations.Spoken(r)} before the close is not within the {Durations.Spoken(standup.Window)} window; use less, or remind:off.");
        }
        if (command.Option("tag") is { } tag) standup = standup with { TagPublicly = tag.Equals("on", StringComparison.OrdinalIgnoreCase) };
        return (standup, errors);
    }

    private async Task<ChatReply> ListAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var all = await standups.ListAsync(workspace.Id, cancellationToken);
        if (all.Count == 0) return ChatReply.Private("No stand-ups yet. An admin creates one with " + Specs[0].Example);
        var text = new StringBuilder("Stand-ups:\n");
        foreach (var s in all)
        {
            text.Append(CultureInfo.InvariantCulture, $"• {s.Name}: {Describe(s)}. ");
            text.Append(s.Paused ? "Paused." : s.NextAt is { } at ? $"Next: {Local(s, at)}." : "No next prompt.").Append('\n');
        }
        return ChatReply.Private(text.ToString().TrimEnd());
    }

    private static ChatReply Refuse(List<string> errors) =>
        ChatReply.Private((errors.Count == 1 ? errors[0] : "That did not work:\n" + string.Join("\n", errors.Select(e => "• " + e))) + "\nNothing was saved.");

    private static string Describe(Standup s) =>
        $"{s.Schedule.Text} ({s.TimeZoneId}) in #{s.Channel} for {string.Join(", ", s.Participants)}; {s.Questions.Count} questions, answers "
        + (s.Mode == AnswerMode.Thread ? "in the thread" : "by direct message") + $" for {Durations.Spoken(s.Window)}"
        + (s.RemindBefore is { } r ? $", reminders {Durations.Spoken(r)} before the close {(s.TagPublicly ? "in the thread" : "by direct message")}" : ", no reminders");

    private static string NextText(Standup s, Occurrence? next) =>
        next is null ? "It has no next prompt." : $"Next prompt: {Local(s, next.At)}.";

    private static string Local(Standup s, DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, s.TimeZone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture) + " " + s.TimeZoneId;

    /// <summary><c>4h</c>, <c>90m</c>, <c>1h30m</c>, <c>1d</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan span)
    {
        span = TimeSpan.Zero;
        var match = DurationPattern().Match(text.Trim().ToLowerInvariant());
        if (!match.Success || match.Length == 0) return false;
        int Part(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        span = new TimeSpan(Part(1), Part(2), Part(3), 0);
        return span > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(?:(\d{1,2})d)?(?:(\d{1,3})h)?(?:(\d{1,4})m(?:in)?)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[^\s<>@]{1,200}$")]
    private static partial Regex ChannelPattern();
}
