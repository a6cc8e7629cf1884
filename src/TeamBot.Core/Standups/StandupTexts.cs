using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TeamBot.Core.Chat;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Standups;

/// <summary>What one person said, split by question.</summary>
public sealed record PersonAnswer(long PersonId, IReadOnlyDictionary<int, string> ByQuestion, bool Late, bool Edited)
{
    public string? Blocker(int blockersQuestion) =>
        blockersQuestion >= 0 && ByQuestion.TryGetValue(blockersQuestion, out var text) && !StandupTexts.IsNone(text) ? text : null;

    /// <summary>One line: the answers to every question but the blockers one.</summary>
    public string Highlight(int blockersQuestion) =>
        StandupTexts.Shorten(string.Join("; ", ByQuestion.Where(q => q.Key != blockersQuestion && !StandupTexts.IsNone(q.Value)).OrderBy(q => q.Key).Select(q => q.Value)), 200);
}

/// <summary>The words of stand-ups: the default questions, the prompt, and the summary.</summary>
public static partial class StandupTexts
{
    public static readonly IReadOnlyList<string> DefaultQuestions =
    [
        "What is marketing launching (campaigns, content, events)?",
        "What are you hearing from prospects?",
        "Any lead-quality issues?",
        "What do you need from the other team?",
        "Any blockers?",
    ];

    private static readonly HashSet<string> NoneWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "none", "no", "-", "--", "n/a", "na", "nothing", "nope", "no blockers", "none so far", "all good", "keine", "nein",
    };

    public static bool IsNone(string text) => NoneWords.Contains(text.Trim().TrimEnd('.', '!').Trim());

    /// <summary>The text on one line, cut to <paramref name="max"/> characters.</summary>
    public static string Shorten(string text, int max) =>
        MessageLimits.Cut(string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), max)!;

    public static string Prompt(Standup standup, Occurrence local, TimeSpan window, DateTimeOffset closesAt, bool late)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"🗓️ Stand-up: {standup.Name} ({local.Date:ddd d MMM}");
        text.Append(')');
        if (late) text.Append(" (posted late: TeamBot was not running at the scheduled time)");
        text.Append('\n');
        for (var i = 0; i < standup.Questions.Count; i++) text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {standup.Questions[i]}\n");
        text.Append(standup.Mode == AnswerMode.Thread ? "Answer in this thread" : "Answer here, in this direct message");
        text.Append(CultureInfo.InvariantCulture, $", one line per question numbered like the questions (\"1. …\"), within {Durations.Spoken(window)}");
        text.Append(CultureInfo.InvariantCulture, $" (until {TimeZoneInfo.ConvertTime(closesAt, standup.TimeZone):HH:mm} {standup.TimeZoneId}). You can edit your answer until then, and later answers still count (marked late).");
        return text.ToString();
    }

    /// <summary>
    /// Splits a person's messages by question: a line starting with a question's number ("2." "2)" "2:") or with
    /// "blockers:" starts that question's answer; other lines continue the current one (the first question to begin with).
    /// </summary>
    public static PersonAnswer Parse(long personId, IReadOnlyList<StandupAnswer> messages, int questionCount, int blockersQuestion)
    {
        var byQuestion = new SortedDictionary<int, string>();
        foreach (var message in messages.OrderBy(m => m.At).ThenBy(m => m.MessageId, StringComparer.Ordinal))
        {
            var current = 0;
            foreach (var raw in message.Text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var line = raw;
                var numbered = Numbered().Match(line);
                if (numbered.Success && int.Parse(numbered.Groups[1].Value, CultureInfo.InvariantCulture) is var n && n >= 1 && n <= questionCount)
                {
                    current = n - 1;
                    line = line[numbered.Length..].Trim();
                    // "5. Blockers: legal has the DPA" answers the blockers question; the label is not part of the answer.
                    if (current == blockersQuestion && BlockersLabel().Match(line) is { Success: true } named) line = line[named.Length..].Trim();
                }
                else if (blockersQuestion >= 0 && BlockersLabel().Match(line) is { Success: true } label)
                {
                    current = blockersQuestion;
                    line = line[label.Length..].Trim();
                }
                if (line.Length == 0) continue;
                byQuestion[current] = byQuestion.TryGetValue(current, out var before) ? before + " " + line : line;
            }
        }
        return new PersonAnswer(personId, byQuestion, messages.Count > 0 && messages.All(m => m.Late), messages.Any(m => m.EditedAt is not null));
    }

    /// <summary>The summary posted at the close of the window (and rewritten when late answers or edits come in).</summary>
    public static string Summary(Standup standup, StandupRun run, IReadOnlyList<StandupAnswer> answers, IReadOnlyDictionary<long, string> names,
        IReadOnlyList<StandupRun> misses)
    {
        string Name(long id) => names.GetValueOrDefault(id, "someone");
        var people = Answers(standup, run, answers);
        var text = new StringBuilder();
        var date = TimeZoneInfo.ConvertTime(run.PostedAt ?? run.ScheduledAt, standup.TimeZone);
        text.Append(CultureInfo.InvariantCulture, $"📋 Stand-up summary: {standup.Name} ({date:ddd d MMM})\n");
        // Someone left out (away, or not a work day of theirs) who answers anyway counts as asked and answered.
        var expected = Expected(run, people).Count;
        text.Append(CultureInfo.InvariantCulture, $"Answered: {people.Count(p => Counts(run, p.PersonId))} of {expected}");
        if (people.Count > 0) text.Append(": ").Append(string.Join(", ", people.Select(p => Name(p.PersonId) + Marks(p))));
        text.Append('\n');

        var blockersQuestion = standup.BlockersQuestion;
        var highlights = people.Select(p => (p, line: p.Highlight(blockersQuestion))).Where(x => x.line.Length > 0).ToList();
        if (highlights.Count > 0)
        {
            text.Append("Highlights:\n");
            foreach (var (p, line) in highlights) text.Append(CultureInfo.InvariantCulture, $"• {Name(p.PersonId)}{Marks(p)}: {line}\n");
        }
        var blockers = people.Select(p => (p, blocker: p.Blocker(blockersQuestion))).Where(x => x.blocker is not null).ToList();
        text.Append(blockers.Count == 0 ? "Blockers: none called out.\n" : "🚧 Blockers:\n");
        foreach (var (p, blocker) in blockers) text.Append(CultureInfo.InvariantCulture, $"• {Name(p.PersonId)}: {Shorten(blocker!, 300)}\n");

        var away = run.Excluded.Where(e => people.All(p => p.PersonId != e.PersonId)).ToList();
        if (away.Count > 0)
        {
            text.Append("Away: ").Append(string.Join(", ", away.Select(e => $"{Name(e.PersonId)} ({e.Why})"))).Append('\n');
        }
        var silent = run.Asked.Where(id => people.All(p => p.PersonId != id)).ToList();
        if (silent.Count > 0) text.Append("No answer: ").Append(string.Join(", ", silent.Select(Name))).Append('\n');
        foreach (var miss in misses.OrderBy(m => m.ScheduledAt))
        {
            var at = TimeZoneInfo.ConvertTime(miss.ScheduledAt, standup.TimeZone);
            text.Append(CultureInfo.InvariantCulture, $"⚠️ The stand-up of {at:ddd d MMM HH:mm} was skipped: TeamBot was not running then, and it was too late to ask.\n");
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>Each person's parsed answer, in the order they first answered.</summary>
    public static IReadOnlyList<PersonAnswer> Answers(Standup standup, StandupRun run, IReadOnlyList<StandupAnswer> answers) =>
        answers.GroupBy(a => a.PersonId)
            .OrderBy(g => g.Min(a => a.At))
            .Select(g => Parse(g.Key, g.ToList(), standup.Questions.Count, standup.BlockersQuestion))
            .Where(p => p.ByQuestion.Count > 0)
            .ToList();

    /// <summary>Whether a person's answer counts toward the run's answer rate: they were asked, or left out and answered anyway.</summary>
    public static bool Counts(StandupRun run, long personId) =>
        run.Asked.Contains(personId) || run.Excluded.Any(e => e.PersonId == personId);

    /// <summary>Who the run expected an answer from: everyone asked, and anyone left out who answered anyway.</summary>
    public static IReadOnlyList<long> Expected(StandupRun run, IReadOnlyList<PersonAnswer> people) =>
        run.Asked.Concat(run.Excluded.Select(e => e.PersonId).Where(id => people.Any(p => p.PersonId == id))).Distinct().ToList();

    private static string Marks(PersonAnswer p) => (p.Late ? " (late)" : "") + (p.Edited ? " (edited)" : "");

    /// <summary>Why someone is not asked today, or null when they are: away, or not one of their work days.</summary>
    /// <summary>Why a person is not asked, or null. A run started by hand asks everyone who is not away, whatever the day.</summary>
    public static string? Excluded(Person person, DateTimeOffset at, bool byHand = false)
    {
        var availability = person.Availability;
        if (availability.IsAway(at)) return $"away until {availability.AwayUntil:yyyy-MM-dd}";
        if (byHand) return null;
        return availability.WorkDays.Contains(availability.LocalDate(at).DayOfWeek) ? null : "not a work day";
    }

    [GeneratedRegex(@"^(\d{1,2})\s*[.):]\s*")]
    private static partial Regex Numbered();

    [GeneratedRegex(@"^blockers?\s*[:\-–]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex BlockersLabel();
}
