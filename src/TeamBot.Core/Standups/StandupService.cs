using System.Globalization;
using Microsoft.Extensions.Logging;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Standups;

/// <summary>
/// Runs stand-ups: posts each prompt once at its time (late within the grace period after downtime, otherwise
/// skipped and reported), reminds those who have not answered, and posts the summary when the window closes.
/// Every step is taken only by whoever moves the stored state, so a timer that fires twice, or on two instances,
/// changes nothing.
/// </summary>
public sealed partial class StandupService(
    IStandupStore standups,
    IWorkspaceStore workspaces,
    IPeopleStore people,
    IWorkCalendars calendars,
    IOutboxStore outbox,
    IUnitOfWork unitOfWork,
    IStandupScheduler scheduler,
    StandupSettings settings,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<StandupService> logger)
{
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(1);

    /// <summary>Occurrences recorded one by one after downtime; beyond that, older ones are left out.</summary>
    private const int MaxCatchUp = 60;

    /// <summary>The key prefix of runs started with /standup run.</summary>
    private const string ManualPrefix = "manual:";

    /// <summary>The stand-up's prompt timer fired: posts (or skips) the due occurrence and sets the timer for the next one.</summary>
    public async Task FireAsync(long standupId, CancellationToken cancellationToken)
    {
        var standup = await standups.GetAsync(standupId, cancellationToken);
        if (standup is not { Paused: false, NextAt: { } due, NextOccurrence: { } key }) return;
        var now = clock.GetUtcNow();
        if (now < due - Early)
        {
            await scheduler.SchedulePromptAsync(standupId, due, cancellationToken);
            return;
        }

        var zone = standup.TimeZone;
        // The occurrence's own date, from its key: a time skipped by a DST jump at midnight happens on the next day's clock.
        var first = new Occurrence(
            DateOnly.ParseExact(key[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture),
            TimeOnly.ParseExact(key[11..], "HH:mm", CultureInfo.InvariantCulture),
            due);
        // After downtime several occurrences may have passed: each earlier one is recorded as missed (so the next
        // summary says so), and only the latest is judged against the grace period.
        var passed = new List<Occurrence> { first };
        for (var o = standup.Schedule.Next(due, zone); o is not null && o.At <= now && passed.Count < MaxCatchUp; o = standup.Schedule.Next(o.At, zone))
        {
            passed.Add(o);
        }
        var occurrence = passed[^1];
        var next = standup.Schedule.Next(now > occurrence.At ? now : occurrence.At, zone);
        var calendar = await calendars.ForWorkspaceAsync(standup.WorkspaceId, cancellationToken);

        RunState Passed(Occurrence o) => calendar.IsWorkingDay(o.Date) ? RunState.Missed : RunState.SkippedDayOff;
        var state = !calendar.IsWorkingDay(occurrence.Date) ? RunState.SkippedDayOff
            : now - occurrence.At > settings.GracePeriod ? RunState.Missed
            : RunState.Open;
        var runId = await unitOfWork.InTransactionAsync(async ct =>
        {
            if (!await standups.TryAdvanceAsync(standupId, key, next?.Key, next?.At, ct)) return (long?)null;
            foreach (var earlier in passed.Take(passed.Count - 1))
            {
                await standups.AddRunAsync(NewRun(standup, earlier.Key, Passed(earlier), earlier.At, null, null, [], []), ct);
            }
            return state == RunState.Open
                ? await StartAsync(standup, occurrence.Key, occurrence.At, now, late: now - occurrence.At > TimeSpan.FromMinutes(1), ct)
                : await standups.AddRunAsync(NewRun(standup, occurrence.Key, state, occurrence.At, null, null, [], []), ct);
        }, cancellationToken);

        if (next is not null) await scheduler.SchedulePromptAsync(standupId, next.At, cancellationToken);
        if (runId is null) return;
        LogFired(logger, standupId, key, state);
        if (state == RunState.Open) await AfterStartAsync(runId.Value, cancellationToken);
    }

    /// <summary><c>/standup run</c>: asks now, outside the schedule; the schedule goes on as before.</summary>
    public async Task<StandupRun?> RunNowAsync(Standup standup, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = ManualPrefix + now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var runId = await unitOfWork.InTransactionAsync(ct => StartAsync(standup, key, now, now, late: false, ct), cancellationToken);
        if (runId is null) return null;
        await AfterStartAsync(runId.Value, cancellationToken);
        return await standups.GetRunAsync(runId.Value, cancellationToken);
    }

    /// <summary>A run's timer fired: sends the reminders when due, closes the window when due, and sets the timer for what comes next.</summary>
    public async Task AdvanceRunAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await standups.GetRunAsync(runId, cancellationToken);
        if (run is not { State: RunState.Open, ClosesAt: { } closesAt }) return;
        var standup = await standups.GetAsync(run.StandupId, cancellationToken);
        var now = clock.GetUtcNow();
        if (standup is null || now >= closesAt - Early)
        {
            await CloseAsync(run, standup, now, cancellationToken);
            return;
        }
        if (run.RemindAt is { } remindAt && !run.Reminded && now >= remindAt - Early)
        {
            await RemindAsync(standup, run, now, cancellationToken);
        }
        await scheduler.ScheduleRunAsync(runId, NextStep(run with { Reminded = run.Reminded || run.RemindAt <= now + Early }), cancellationToken);
    }

    /// <summary>After a restart: every active stand-up has its prompt timer, every open run its timer (a missed one fires at once).</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var standup in await standups.ListActiveAsync(cancellationToken))
        {
            if (standup.NextAt is { } at)
            {
                await scheduler.EnsurePromptAsync(standup.Id, at, cancellationToken);
                count++;
            }
        }
        foreach (var run in await standups.ListOpenRunsAsync(cancellationToken))
        {
            await scheduler.EnsureRunAsync(run.Id, NextStep(run), cancellationToken);
            count++;
        }
        return count;
    }

    /// <summary>Sets the stand-up's next occurrence from now and its timer; for a new, edited or resumed stand-up.</summary>
    public async Task<Occurrence?> PlanAsync(Standup standup, CancellationToken cancellationToken)
    {
        var next = standup.Schedule.Next(clock.GetUtcNow(), standup.TimeZone);
        await standups.TryAdvanceAsync(standup.Id, standup.NextOccurrence, next?.Key, next?.At, cancellationToken);
        if (next is not null) await scheduler.SchedulePromptAsync(standup.Id, next.At, cancellationToken);
        return next;
    }

    public static DateTimeOffset NextStep(StandupRun run) =>
        run.RemindAt is { } remind && !run.Reminded && remind < run.ClosesAt ? remind : run.ClosesAt ?? run.ScheduledAt;

    private async Task<long?> StartAsync(Standup standup, string key, DateTimeOffset scheduledAt, DateTimeOffset now, bool late, CancellationToken ct)
    {
        var everyone = await people.ListAsync(standup.WorkspaceId, ct);
        var participants = StandupParticipants.Resolve(standup.Participants, everyone);
        var asked = new List<long>();
        var excluded = new List<ExcludedPerson>();
        foreach (var person in participants)
        {
            if (StandupTexts.Excluded(person, now, byHand: key.StartsWith(ManualPrefix, StringComparison.Ordinal)) is { } why) excluded.Add(new ExcludedPerson(person.Id, why));
            else asked.Add(person.Id);
        }
        var closesAt = now + standup.Window;
        DateTimeOffset? remindAt = standup.RemindBefore is { } before && before < standup.Window ? closesAt - before : null;
        var runId = await standups.AddRunAsync(NewRun(standup, key, RunState.Open, scheduledAt, now, closesAt, asked, excluded) with { RemindAt = remindAt }, ct);
        if (runId is not { } id) return null;

        var subject = StandupRun.SubjectFor(id);
        var zone = standup.TimeZone;
        var local = TimeZoneInfo.ConvertTime(scheduledAt, zone);
        var occurrence = new Occurrence(DateOnly.FromDateTime(local.DateTime), TimeOnly.FromDateTime(local.DateTime), scheduledAt);
        var prompt = StandupTexts.Prompt(standup, occurrence, standup.Window, closesAt, late);
        var threadName = $"Stand-up: {standup.Name}, {local:ddd d MMM}";
        if (standup.Mode == AnswerMode.Thread)
        {
            await outbox.EnqueueAsync(standup.WorkspaceId, new PostNote(standup.WorkspaceId, NoteTarget.ToChannel(standup.Channel), prompt, [], subject, threadName, subject), now, ct);
        }
        else
        {
            var note = $"🗓️ Stand-up: {standup.Name}. I asked {asked.Count} {(asked.Count == 1 ? "person" : "people")} by direct message; the summary follows in this thread at {TimeZoneInfo.ConvertTime(closesAt, zone):HH:mm}.";
            await outbox.EnqueueAsync(standup.WorkspaceId, new PostNote(standup.WorkspaceId, NoteTarget.ToChannel(standup.Channel), note, [], subject, threadName, subject), now, ct);
            foreach (var person in asked)
            {
                await outbox.EnqueueAsync(standup.WorkspaceId, new PostNote(standup.WorkspaceId, NoteTarget.ToPerson(person), prompt, [], Sequence: subject), now, ct);
            }
        }
        return id;
    }

    private async Task AfterStartAsync(long runId, CancellationToken cancellationToken)
    {
        unitOfWork.AfterCommit(signal.Notify);
        if (await standups.GetRunAsync(runId, cancellationToken) is { } run) await scheduler.ScheduleRunAsync(runId, NextStep(run), cancellationToken);
    }

    private async Task RemindAsync(Standup standup, StandupRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var answers = await standups.ListAnswersAsync(run.Id, cancellationToken);
        var waiting = run.Asked.Where(id => answers.All(a => a.PersonId != id)).ToList();
        var left = Durations.Spoken(run.ClosesAt!.Value - now);
        var where = standup.Mode == AnswerMode.Thread ? "in the stand-up's thread" : "in this direct message";
        await unitOfWork.InTransactionAsync(async ct =>
        {
            if (!await standups.TryMarkRemindedAsync(run.Id, ct)) return false;
            if (waiting.Count == 0) return true;
            if (standup.TagPublicly)
            {
                await outbox.EnqueueAsync(run.WorkspaceId, new PostNote(run.WorkspaceId, NoteTarget.InThreadOf(run.Subject),
                    $"⏰ Stand-up {standup.Name} closes in {left}; still waiting for:", waiting, Sequence: run.Subject), now, ct);
            }
            else
            {
                foreach (var person in waiting)
                {
                    await outbox.EnqueueAsync(run.WorkspaceId, new PostNote(run.WorkspaceId, NoteTarget.ToPerson(person),
                        $"⏰ A reminder: the stand-up {standup.Name} closes in {left}. Please answer {where}.", [], Sequence: run.Subject), now, ct);
                }
            }
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
    }

    private async Task CloseAsync(StandupRun run, Standup? standup, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (standup is null)
        {
            await standups.TryCloseAsync(run.Id, "", cancellationToken);
            return;
        }
        var answers = await standups.ListAnswersAsync(run.Id, cancellationToken);
        var misses = await standups.ListUnreportedMissesAsync(standup.Id, cancellationToken);
        var summary = StandupTexts.Summary(standup, run, answers, await NamesAsync(run.WorkspaceId, cancellationToken), misses);
        var limit = TextParts.LimitFor((await workspaces.FindAsync(run.WorkspaceId, cancellationToken))?.Platform ?? "");
        var closed = await unitOfWork.InTransactionAsync(async ct =>
        {
            if (!await standups.TryCloseAsync(run.Id, summary, ct)) return false;
            await standups.MarkMissesReportedAsync(misses.Select(m => m.Id).ToList(), ct);
            // A long summary goes out in parts, in order, so that no answer, blocker or missed prompt is cut off.
            foreach (var part in TextParts.Split(summary, limit))
            {
                await outbox.EnqueueAsync(run.WorkspaceId, new PostNote(run.WorkspaceId, NoteTarget.InThreadOf(run.Subject), part, [], Sequence: run.Subject), now, ct);
            }
            return true;
        }, cancellationToken);
        if (!closed) return;
        var answered = answers.Select(a => a.PersonId).Distinct().Count();
        LogClosed(logger, run.Id, answered, run.Asked.Count);
        unitOfWork.AfterCommit(signal.Notify);
    }

    /// <summary>Records an answer message (new or edited). After the summary, rewrites it and posts a short follow-up.</summary>
    public async Task<ChatReply?> RecordAnswerAsync(StandupRun run, Person person, string messageId, string text, bool edited, CancellationToken cancellationToken)
    {
        var standup = await standups.GetAsync(run.StandupId, cancellationToken);
        if (standup is null) return null;
        var now = clock.GetUtcNow();
        var existing = await standups.FindAnswerAsync(run.WorkspaceId, person.Id, messageId, cancellationToken);
        var late = existing?.Late ?? (run.State != RunState.Open || now > run.ClosesAt);
        var answer = new StandupAnswer(run.Id, person.Id, messageId, text.Trim(), existing?.At ?? now, existing is null && !edited ? null : now, late);
        if (run.State != RunState.Closed)
        {
            await standups.SaveAnswerAsync(answer, cancellationToken);
            return late ? ChatReply.Private($"Thanks, {person.DisplayName}: noted as a late answer to {standup.Name}.") : null;
        }

        var answers = (await standups.ListAnswersAsync(run.Id, cancellationToken)).Where(a => a.MessageId != messageId || a.PersonId != person.Id).Append(answer).ToList();
        var summary = StandupTexts.Summary(standup, run, answers, await NamesAsync(run.WorkspaceId, cancellationToken), []);
        var mine = StandupTexts.Parse(person.Id, answers.Where(a => a.PersonId == person.Id).ToList(), standup.Questions.Count, standup.BlockersQuestion);
        var blocker = mine.Blocker(standup.BlockersQuestion);
        var followUp = (existing is null ? $"📝 Late answer from {person.DisplayName}" : $"✏️ {person.DisplayName} changed their answer")
                       + $": {mine.Highlight(standup.BlockersQuestion)}" + (blocker is null ? "" : $" 🚧 Blocker: {StandupTexts.Shorten(blocker, 200)}");
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await standups.SaveAnswerAsync(answer, ct);
            await standups.SetSummaryAsync(run.Id, summary, ct);
            await outbox.EnqueueAsync(run.WorkspaceId, new PostNote(run.WorkspaceId, NoteTarget.InThreadOf(run.Subject), followUp, [], Sequence: run.Subject), now, ct);
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
        return ChatReply.Private($"Thanks, {person.DisplayName}: the summary of {standup.Name} now includes your answer.");
    }

    private async Task<IReadOnlyDictionary<long, string>> NamesAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await people.ListAsync(workspaceId, cancellationToken)).ToDictionary(p => p.Id, p => p.DisplayName);

    private static StandupRun NewRun(Standup standup, string key, RunState state, DateTimeOffset scheduledAt, DateTimeOffset? postedAt, DateTimeOffset? closesAt,
        IReadOnlyList<long> asked, IReadOnlyList<ExcludedPerson> excluded) =>
        new(0, standup.Id, standup.WorkspaceId, key, state, scheduledAt, postedAt, closesAt, null, false, standup.Mode, asked, excluded);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stand-up {StandupId} occurrence {Occurrence}: {State}")]
    private static partial void LogFired(ILogger logger, long standupId, string occurrence, RunState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stand-up run {RunId} closed: {Answered} of {Asked} answered")]
    private static partial void LogClosed(ILogger logger, long runId, int answered, int asked);
}

/// <summary>Takes stand-up answers: replies in a prompt's thread, and direct messages to TeamBot while a DM stand-up asks.</summary>
public sealed class StandupAnswers(IStandupStore standups, StandupService service, StandupSettings settings, TimeProvider clock) : IConversationHandler
{
    public async Task<ConversationHandled?> HandleAsync(ConversationMessage message, CancellationToken cancellationToken)
    {
        StandupRun? run;
        if (message.Note is { } note)
        {
            if (!StandupRun.TryParseSubject(note.Subject, out var runId)) return null;
            run = await standups.GetRunAsync(runId, cancellationToken);
            if (run is null || run.Mode != AnswerMode.Thread) return null;
            if (!run.Asked.Contains(message.Person.Id) && run.Excluded.All(e => e.PersonId != message.Person.Id))
            {
                return new ConversationHandled(ChatReply.Private("This stand-up did not ask you, so your message is not counted as an answer."));
            }
        }
        else if (message.Edited && await standups.FindAnswerAsync(message.Workspace.Id, message.Person.Id, message.MessageId, cancellationToken) is { } answered)
        {
            run = await standups.GetRunAsync(answered.RunId, cancellationToken);
        }
        else
        {
            run = await standups.FindDirectRunAsync(message.Workspace.Id, message.Person.Id, clock.GetUtcNow() - settings.LateAnswersFor, cancellationToken);
        }
        if (run is null || run.State is not (RunState.Open or RunState.Closed)) return null;
        if (string.IsNullOrWhiteSpace(message.Text)) return new ConversationHandled(null);
        return new ConversationHandled(await service.RecordAnswerAsync(run, message.Person, message.MessageId, message.Text, message.Edited, cancellationToken));
    }
}
