using System.Globalization;
using TeamBot.Core.Digests;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Standups;

/// <summary>The digest's stand-up section: answer rates, blockers and highlights of the runs posted in the window.</summary>
public sealed class StandupDigest(IStandupStore standups, IPeopleStore people) : IDigestContributor
{
    public int Order => 20;

    public async Task<DigestSection?> ContributeAsync(DigestWindow window, CancellationToken cancellationToken)
    {
        var runs = (await standups.ListRunsPostedAsync(window.WorkspaceId, window.From, window.To, cancellationToken))
            .Where(r => r.Run.State is RunState.Open or RunState.Closed).ToList();
        if (runs.Count == 0) return null;
        var names = (await people.ListAsync(window.WorkspaceId, cancellationToken)).ToDictionary(p => p.Id, p => p.DisplayName);
        string Name(long id) => names.GetValueOrDefault(id, "someone");

        var lines = new List<string>();
        var points = new List<TalkingPoint>();
        var bars = new List<DigestBar>();
        foreach (var group in runs.GroupBy(r => r.Standup.Id))
        {
            var standup = group.First().Standup;
            var asked = group.Sum(r => StandupTexts.Expected(r.Run, StandupTexts.Answers(standup, r.Run, r.Answers)).Count);
            var answered = group.Sum(r => StandupTexts.Answers(standup, r.Run, r.Answers).Count(a => StandupTexts.Counts(r.Run, a.PersonId)));
            var count = group.Count();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{standup.Name}: {count} {(count == 1 ? "stand-up" : "stand-ups")}, {answered} of {asked} answers{(asked == 0 ? "" : $" ({answered * 100 / asked}%)")}."));
            bars.Add(new DigestBar(standup.Name, answered, Math.Max(asked, 1), "answers"));
            if (asked >= 3 && answered * 2 < asked)
            {
                points.Add(new TalkingPoint($"Only {answered} of {asked} answered the {standup.Name} stand-ups: is the time or the window right?", 0.5));
            }

            foreach (var (run, answers) in group.Select(r => (r.Run, r.Answers)))
            {
                foreach (var answer in StandupTexts.Answers(standup, run, answers))
                {
                    if (answer.Blocker(standup.BlockersQuestion) is { } blocker)
                    {
                        var text = $"🚧 {Name(answer.PersonId)} ({standup.Name}): {StandupTexts.Shorten(blocker, 160)}";
                        lines.Add(text);
                        points.Add(new TalkingPoint($"Blocker from {Name(answer.PersonId)}: {StandupTexts.Shorten(blocker, 120)}", 0.9));
                    }
                }
            }
            var highlights = group.OrderByDescending(r => r.Run.PostedAt)
                .SelectMany(r => StandupTexts.Answers(standup, r.Run, r.Answers).Select(a => (a.PersonId, Line: a.Highlight(standup.BlockersQuestion))))
                .Where(h => h.Line.Length > 0).Take(5);
            foreach (var (personId, line) in highlights) lines.Add($"• {Name(personId)}: {StandupTexts.Shorten(line, 160)}");
        }
        return new DigestSection("standups", "Stand-ups", lines, points, bars);
    }
}
