using System.Globalization;
using System.Text.RegularExpressions;
using TeamBot.Core.Chat;
using TeamBot.Core.Commands;
using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Goals;

/// <summary>
/// /goal: add and archive (admins), update a manual goal (admins and the goal's owners), list and show (everyone).
/// Bad input gets a reply that names the option, and nothing is saved.
/// </summary>
public sealed partial class GoalCommands(IGoalStore goals, GoalService service, IPeopleStore people, TimeProvider clock)
{
    public const int MaxOwners = 20;

    private const string NothingSaved = " Nothing was saved.";

    public async Task<ChatReply> HandleAsync(CommandContext context, CancellationToken cancellationToken) => context.Command.Subcommand switch
    {
        "add" => await AddAsync(context, cancellationToken),
        "update" => await UpdateAsync(context, cancellationToken),
        "show" => await ShowAsync(context, cancellationToken),
        "archive" => await ArchiveAsync(context, cancellationToken),
        "list" => await ListAsync(context, cancellationToken),
        _ => ChatReply.Private($"There is no {context.Command.FullName} command. Try /help."),
    };

    private async Task<ChatReply> AddAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        var workspaceId = context.Workspace.Id;
        var name = command.Option("name")!.Trim();
        var nameProblem = name.Length == 0 ? "is empty" : LeadDraft.CheckText(name, 100, multiline: false)?.TrimEnd('.');
        if (nameProblem is not null)
        {
            return Refuse($"name: a goal's name must be 1 to 100 characters of plain text on one line; it {nameProblem}.");
        }
        var metricText = command.Option("metric")!;
        if (!GoalMetrics.TryParse(metricText, out var metric))
        {
            return Refuse($"metric:{metricText.Trim()} is not a metric. Use one of {string.Join(", ", GoalMetrics.Codes)}.");
        }
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), context.Workspace.TimeZone).DateTime);
        if (!GoalPeriod.TryParse(command.Option("period"), today, out var period, out var periodError))
        {
            return Refuse($"period: {periodError}");
        }
        if (!TryParseValue(metric, command.Option("target")!, out var target, out var targetProblem) || target <= 0)
        {
            return Refuse($"target:{command.Option("target")!.Trim()} {(targetProblem.Length > 0 ? targetProblem : "must be more than 0")} for metric {GoalMetrics.Code(metric)}.");
        }

        decimal? start = null;
        if (command.Option("start") is { } startText)
        {
            if (metric != GoalMetric.Manual)
            {
                return Refuse($"start: only manual goals take a starting value; {GoalMetrics.Code(metric)} is counted from TeamBot's data.");
            }
            if (!TryParseValue(metric, startText, out var parsed, out var startProblem))
            {
                return Refuse($"start:{startText.Trim()} {startProblem}.");
            }
            if (parsed >= target)
            {
                return Refuse($"start:{startText.Trim()} must be below the target ({GoalReports.Value(metric, target)}).");
            }
            start = parsed;
        }

        var everyone = await people.ListAsync(workspaceId, cancellationToken);
        var owners = new List<Person>();
        var typedOwners = (command.Option("owners") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (typedOwners.Length > MaxOwners) return Refuse($"owners: a goal has at most {MaxOwners} owners (got {typedOwners.Length}).");
        foreach (var typed in typedOwners)
        {
            var (owner, problem) = PersonLookup.Find(everyone, typed);
            if (owner is null) return Refuse($"owners: {problem}");
            if (!owners.Contains(owner)) owners.Add(owner);
        }

        var active = await goals.ListAsync(workspaceId, GoalStatusFilter.Active, cancellationToken);
        if (active.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase)) is { } same)
        {
            return Refuse($"name: there is already an active goal called \"{same.Name}\" (#{same.Id}). Pick another name, or archive that one first.");
        }

        var goal = await goals.AddAsync(new NewGoal(workspaceId, name, metric, target, start, period.First, period.Last,
            owners.Select(o => o.Id).ToList(), context.Person.Id, clock.GetUtcNow()), cancellationToken);
        var progress = (await service.ProgressAsync(workspaceId, [goal], cancellationToken))[0];
        var ownerText = owners.Count == 0 ? "no owners yet" : "owners " + string.Join(", ", owners.Select(o => o.DisplayName));
        var days = progress.CalendarDays ? "day" : "working day";
        var text = $"{context.Person.DisplayName} added goal #{goal.Id} \"{goal.Name}\": {GoalMetrics.Label(metric)} {GoalReports.Value(metric, target)}" +
                   $"{(GoalMetrics.LowerIsBetter(metric) ? " or less" : "")} in {period.Label} ({period.Day(period.First)} to {period.Day(period.Last)}, " +
                   $"{progress.WorkingDaysTotal} {days}s); {ownerText}.\n{GoalReports.Line(progress)}";
        if (OwnerWarning(owners) is { } warning) text += "\n⚠️ " + warning;
        return ChatReply.Public(text);
    }

    /// <summary>Goals are shared: a goal whose owners are all on one side gets a warning, not a refusal.</summary>
    public static string? OwnerWarning(IReadOnlyList<Person> owners)
    {
        if (owners.Count == 0) return "This goal has no owners yet. Shared goals work best with an owner from marketing and one from sales.";
        var sales = owners.Any(o => o.Is(TeamRoles.Sales));
        var marketing = owners.Any(o => o.Is(TeamRoles.Marketing));
        if (sales && marketing) return null;
        if (sales) return "All owners are in sales. Shared goals work best with an owner from marketing too.";
        if (marketing) return "All owners are in marketing. Shared goals work best with an owner from sales too.";
        return "None of the owners is in marketing or sales. Shared goals work best with an owner from each team.";
    }

    private async Task<ChatReply> UpdateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (goal, problem) = await FindAsync(context, cancellationToken);
        if (goal is null) return Refuse(problem!);
        var person = context.Person;
        if (!person.Is(TeamRoles.Admin) && !goal.OwnerIds.Contains(person.Id))
        {
            return ChatReply.Private($"Only admins and the goal's owners can update goal #{goal.Id}; {await OwnerNamesTextAsync(goal, cancellationToken)}. Nothing was changed.");
        }
        if (goal.Metric != GoalMetric.Manual)
        {
            return Refuse($"goal:{goal.Id} counts {GoalMetrics.Code(goal.Metric)} from TeamBot's own data, so it needs no updates; only manual goals take a value.");
        }
        if (goal.IsArchived) return Refuse($"goal:{goal.Id} is archived; it takes no more updates.");
        var valueText = context.Command.Option("value")!;
        if (!TryParseValue(goal.Metric, valueText, out var value, out var valueProblem)) return Refuse($"value:{valueText.Trim()} {valueProblem}.");
        var note = context.Command.Option("note")?.Trim();
        if (note is { Length: > 0 } && LeadDraft.CheckText(note, 200, multiline: false) is { } noteProblem) return Refuse($"note: {noteProblem}");

        await goals.AddUpdateAsync(new GoalUpdate(goal.Id, value, person.Id, note is { Length: > 0 } ? note : null, clock.GetUtcNow()), cancellationToken);
        var progress = (await service.ProgressAsync(context.Workspace.Id, [goal], cancellationToken))[0];
        return ChatReply.Public($"{person.DisplayName} updated goal #{goal.Id} \"{goal.Name}\" to {GoalReports.Value(goal.Metric, value)}.\n" +
                                $"{GoalReports.Line(progress)}\n{GoalReports.Explain(progress)}");
    }

    private async Task<ChatReply> ShowAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (goal, problem) = await FindAsync(context, cancellationToken);
        if (goal is null) return ChatReply.Private(problem!);
        var progress = (await service.ProgressAsync(context.Workspace.Id, [goal], cancellationToken))[0];
        var updates = goal.Metric == GoalMetric.Manual ? await goals.GetUpdatesAsync(goal.Id, cancellationToken) : [];
        var owners = await OwnerNamesAsync(goal, cancellationToken);
        var card = GoalReports.Card(progress, owners, updates, service.SqlRating, context.Workspace.TimeZoneId);
        return ChatReply.PublicCard(card);
    }

    private async Task<ChatReply> ArchiveAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (goal, problem) = await FindAsync(context, cancellationToken);
        if (goal is null) return ChatReply.Private(problem!);
        if (!await goals.ArchiveAsync(goal.Id, context.Person.Id, clock.GetUtcNow(), cancellationToken))
        {
            return ChatReply.Private($"Goal #{goal.Id} \"{goal.Name}\" is already archived.");
        }
        return ChatReply.Public($"{context.Person.DisplayName} archived goal #{goal.Id} \"{goal.Name}\". It stays in /goal list status:archived.");
    }

    private async Task<ChatReply> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (!TryParseStatus(context.Command.Option("status"), out var status))
        {
            return ChatReply.Private($"status:{context.Command.Option("status")} is not a status: use active, archived or all.");
        }
        var list = await goals.ListAsync(context.Workspace.Id, status, cancellationToken);
        var progress = await service.ProgressAsync(context.Workspace.Id, list, cancellationToken);
        return ChatReply.PublicCard(GoalReports.ListCard(progress, status, MessageLimits.Local.Fields));
    }

    public static bool TryParseStatus(string? text, out GoalStatusFilter status)
    {
        status = GoalStatusFilter.Active;
        if (string.IsNullOrWhiteSpace(text)) return true;
        return Enum.TryParse(text.Trim(), ignoreCase: true, out status) && Enum.IsDefined(status) && !char.IsDigit(text.Trim()[0]);
    }

    /// <summary>
    /// A target, start or value in the metric's unit: a whole number of leads, an amount (50k, 1.5m), a percentage
    /// (25 or 25%), or a duration (30m, 2h, 1h30m; a bare number is minutes).
    /// </summary>
    public static bool TryParseValue(GoalMetric metric, string text, out decimal value, out string problem)
    {
        var t = text.Trim();
        problem = "";
        value = 0;
        switch (GoalMetrics.Unit(metric))
        {
            case GoalUnit.Count:
                if (int.TryParse(t, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var count) && count is >= 0 and <= 10_000_000)
                {
                    value = count;
                    return true;
                }
                problem = "must be a whole number of leads, e.g. 120";
                return false;
            case GoalUnit.Ratio:
                if (decimal.TryParse(t.TrimEnd('%').Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) && percent <= 100)
                {
                    value = percent / 100;
                    return true;
                }
                problem = "must be a percentage from 0 to 100, e.g. 25%";
                return false;
            case GoalUnit.Seconds:
                if (TryParseDuration(t, out var duration))
                {
                    value = (decimal)duration.TotalSeconds;
                    return true;
                }
                problem = "must be a duration of at most 30 days, such as 30m, 2h or 1h30m (a bare number is minutes)";
                return false;
            default:
                if (FeedbackService.TryParseAmount(t, out value)) return true;
                problem = "must be a number such as 50000, 50k or 1.5m";
                return false;
        }
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var t = text.ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal);
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)) duration = TimeSpan.FromMinutes(minutes);
        else if (DurationPattern().Match(t) is { Success: true, Length: > 0 } m)
        {
            int Part(int group) => m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            duration = new TimeSpan(Part(1), Part(2), Part(3), Part(4));
        }
        else return false;
        return duration <= TimeSpan.FromDays(30);
    }

    private async Task<(Goal? Goal, string? Problem)> FindAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var text = context.Command.Option("goal")!.Trim().TrimStart('#');
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return (null, $"goal:{text} is not a goal number; /goal list shows them, e.g. goal:3.");
        }
        var goal = await goals.GetAsync(context.Workspace.Id, id, cancellationToken);
        return goal is null ? (null, $"There is no goal #{id} in this workspace; /goal list shows them.") : (goal, null);
    }

    private async Task<IReadOnlyList<string>> OwnerNamesAsync(Goal goal, CancellationToken cancellationToken)
    {
        var everyone = await people.ListAsync(goal.WorkspaceId, cancellationToken);
        return goal.OwnerIds.Select(id => everyone.FirstOrDefault(p => p.Id == id)?.DisplayName ?? $"person {id}").ToList();
    }

    private async Task<string> OwnerNamesTextAsync(Goal goal, CancellationToken cancellationToken)
    {
        var names = await OwnerNamesAsync(goal, cancellationToken);
        return names.Count == 0 ? "it has no owners" : "its owners are " + string.Join(", ", names);
    }

    private static ChatReply Refuse(string problem) => ChatReply.Private(problem + NothingSaved);

    [GeneratedRegex(@"^(?:(\d{1,2})d)?(?:(\d{1,3})h)?(?:(\d{1,5})m(?:in)?)?(?:(\d{1,6})s)?$")]
    private static partial Regex DurationPattern();
}
