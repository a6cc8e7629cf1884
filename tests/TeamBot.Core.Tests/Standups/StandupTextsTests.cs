using TeamBot.Core.Standups;

namespace TeamBot.Core.Tests.Standups;

public sealed class StandupTextsTests
{
    private static readonly DateTimeOffset Posted = new(2026, 11, 20, 8, 30, 0, TimeSpan.Zero);

    private static Standup Daily()
    {
        Assert.True(StandupSchedule.TryDaysAndTime("Mon-Fri", "09:30", out var schedule, out var error), error);
        return new Standup(1, "local", "Daily sync", "general", ["sam", "ana", "maria"], schedule, "Europe/Berlin", StandupTexts.DefaultQuestions,
            TimeSpan.FromHours(4), AnswerMode.Thread, null, false, false, null, null, 1, Posted);
    }

    private static StandupRun Run(IReadOnlyList<long> asked, IReadOnlyList<ExcludedPerson> excluded) =>
        new(7, 1, "local", "manual:1", RunState.Closed, Posted, Posted, Posted.AddHours(4), null, false, AnswerMode.Thread, asked, excluded);

    private static StandupAnswer Answer(long person, string text) => new(7, person, "m" + person, text, Posted.AddMinutes(person), null, false);

    private static readonly Dictionary<long, string> Names = new() { [1] = "Sam Carter", [2] = "Ana Silva", [3] = "Maria Lopez" };

    [Fact]
    public void Summary_ANumberedBlockersLine_IsCalledOutWithoutItsLabel()
    {
        var summary = StandupTexts.Summary(Daily(), Run([1], []), [Answer(1, "1. Webinar on Friday\n5. Blockers: legal still has the DPA")], Names, []);

        Assert.Contains("🚧 Blockers:\n• Sam Carter: legal still has the DPA", summary);
        Assert.DoesNotContain("Blockers: legal", summary);
    }

    [Fact]
    public void Summary_SomeoneLeftOutWhoAnswersAnyway_CountsAsAnswered_AndIsNotListedAsAway()
    {
        var run = Run([2], [new ExcludedPerson(1, "not a work day"), new ExcludedPerson(3, "away until 2026-12-02")]);

        var summary = StandupTexts.Summary(Daily(), run, [Answer(1, "2. Prospects ask about SSO"), Answer(2, "2. Budget freezes")], Names, []);

        Assert.Contains("Answered: 2 of 2: Sam Carter, Ana Silva", summary);
        Assert.Contains("Away: Maria Lopez (away until 2026-12-02)", summary);
        Assert.DoesNotContain("Sam Carter (not a work day)", summary);
        Assert.DoesNotContain("No answer", summary);
    }
}
