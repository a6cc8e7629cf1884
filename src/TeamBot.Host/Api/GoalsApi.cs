using TeamBot.Core.Goals;
using TeamBot.Core.Workspaces;

namespace TeamBot.Host.Api;

/// <summary>The shared goals with their progress, as exact numbers. Authenticated with the workspace's key, like the lead-quality report.</summary>
internal static class GoalsApi
{
    public static IEndpointRouteBuilder MapGoalsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/workspaces/{workspace}/goals", ListAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(
        string workspace, string? status, HttpContext context, WorkspaceKeys keys, IWorkspaceStore workspaces, IPeopleStore people,
        IGoalStore goals, GoalService service, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await LeadsApi.AuthenticateAsync(workspace, context, keys, cancellationToken) is { } denied) return denied;
        if (await workspaces.FindAsync(workspace, cancellationToken) is null)
        {
            return LeadsApi.Problem(StatusCodes.Status404NotFound, "Unknown workspace", $"There is no workspace '{workspace}'.");
        }
        if (!GoalCommands.TryParseStatus(status, out var filter))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"'{status}' is not a status: use active, archived or all."] },
                title: "The goal list parameters are not valid");
        }

        var list = await goals.ListAsync(workspace, filter, cancellationToken);
        var asOf = clock.GetUtcNow();
        var progress = await service.ProgressAsync(workspace, list, asOf, cancellationToken);
        var everyone = (await people.ListAsync(workspace, cancellationToken)).ToDictionary(p => p.Id);
        return TypedResults.Ok(GoalsJson.From(workspace, filter, asOf, progress, everyone));
    }
}

/// <summary>The goals as JSON. Field names are public API; numbers are in the metric's unit (see <c>unit</c>).</summary>
internal static class GoalsJson
{
    public sealed record Period(string Label, DateOnly From, DateOnly To);

    public sealed record Owner(long Id, string Name, string UserId);

    public sealed record Goal(
        long Id, string Name, string Metric, string Unit, bool LowerIsBetter, string Status, Period Period, string State,
        int WorkingDaysElapsed, int WorkingDaysTotal, bool CalendarDays, decimal Target, decimal? Start, decimal? Actual, int? Sample,
        decimal? Expected, decimal? Projected, double? Share, string Verdict, string Explanation, IReadOnlyList<Owner> Owners,
        DateTimeOffset CreatedAt, DateTimeOffset? ArchivedAt);

    public sealed record Response(string Workspace, string Status, DateTimeOffset AsOf, IReadOnlyList<Goal> Goals);

    public static Response From(string workspace, GoalStatusFilter status, DateTimeOffset asOf, IReadOnlyList<GoalProgress> progress, IReadOnlyDictionary<long, Person> people) => new(
        workspace,
        status.ToString().ToLowerInvariant(),
        asOf,
        progress.Select(p => Map(p, people)).ToList());

    private static Goal Map(GoalProgress p, IReadOnlyDictionary<long, Person> people)
    {
        var goal = p.Goal;
        var period = goal.Period;
        return new Goal(
            goal.Id, goal.Name, GoalMetrics.Code(goal.Metric), GoalMetrics.Unit(goal.Metric).ToString().ToLowerInvariant(),
            GoalMetrics.LowerIsBetter(goal.Metric), goal.IsArchived ? "archived" : "active",
            new Period(period.Label, period.First, period.Last), p.State.ToString().ToLowerInvariant().Replace("notstarted", "not-started", StringComparison.Ordinal),
            p.WorkingDaysElapsed, p.WorkingDaysTotal, p.CalendarDays, Exact(goal.Target)!.Value, Exact(goal.StartValue), Exact(p.Actual), p.Sample,
            Exact(p.Expected), Exact(p.Projected), p.Share is { } share ? Math.Round(share, 4) : null, GoalReports.Code(p.Verdict), GoalReports.Explain(p),
            goal.OwnerIds.Select(id => people.TryGetValue(id, out var person)
                ? new Owner(id, person.DisplayName, person.PlatformUserId)
                : new Owner(id, $"person {id}", "")).ToList(),
            goal.CreatedAt, goal.ArchivedAt);
    }

    /// <summary>The value without trailing zeros a database may add (10.0000 is 10).</summary>
    private static decimal? Exact(decimal? value) => value / 1.000000000000000000000000000000000m;
}
