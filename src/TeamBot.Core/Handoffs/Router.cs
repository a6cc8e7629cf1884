using System.Globalization;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Handoffs;

public interface IRoutingStore
{
    Task<long?> GetCursorAsync(string workspaceId, string rotation, CancellationToken cancellationToken);

    Task SetCursorAsync(string workspaceId, string rotation, long personId, CancellationToken cancellationToken);

    /// <summary>
    /// Open leads (claimed, or assigned and not claimed; not won or lost) of each of <paramref name="people"/>, counted up to
    /// <paramref name="atMost"/>: routing only asks whether a rep is at the cap, and a rep's leads past it cost reads for nothing.
    /// </summary>
    Task<IReadOnlyDictionary<long, int>> CountOpenLeadsAsync(string workspaceId, IReadOnlyCollection<long> people, int atMost, CancellationToken cancellationToken);
}

/// <summary>Decides where a lead goes and writes down why.</summary>
public sealed class Router(IPeopleStore people, IRoutingStore store, IWorkCalendars calendars, TimeProvider clock)
{
    public async Task<LeadRoute> RouteAsync(
        Workspace workspace, Lead lead, RoutingSettings settings, IReadOnlySet<long> exclude, CancellationToken cancellationToken) =>
        await RouteAsync(workspace, lead, settings, exclude, await people.ListAsync(workspace.Id, cancellationToken), cancellationToken);

    /// <summary>Routes among <paramref name="everyone"/>, the workspace's people as the caller just read them.</summary>
    public async Task<LeadRoute> RouteAsync(
        Workspace workspace, Lead lead, RoutingSettings settings, IReadOnlySet<long> exclude, IReadOnlyList<Person> everyone, CancellationToken cancellationToken)
    {
        var reps = everyone.Where(p => p.Is(TeamRoles.Sales)).OrderBy(p => p.Id).ToList();
        var now = clock.GetUtcNow();

        if (settings.Mode == RoutingMode.Rules)
        {
            foreach (var rule in settings.Rules)
            {
                var matched = Describe(rule, lead.Data);
                if (matched is null) continue;
                var label = $"Rule '{rule.Name}' matched ({matched})";
                return await RouteByRuleAsync(workspace, rule, label, reps, settings, exclude, now, cancellationToken);
            }
            return await RouteByModeAsync(workspace, settings.RulesFallback, "No routing rule matched", reps, settings, exclude, now, cancellationToken);
        }
        return await RouteByModeAsync(workspace, settings.Mode, null, reps, settings, exclude, now, cancellationToken);
    }

    private async Task<LeadRoute> RouteByRuleAsync(
        Workspace workspace, RoutingRule rule, string label, List<Person> reps, RoutingSettings settings,
        IReadOnlySet<long> exclude, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rule.Channel is { Length: > 0 } channel)
        {
            return new LeadRoute(null, [], channel, $"{label}: posted in #{channel} for an open claim.", now);
        }
        if (rule.Rep is { Length: > 0 } repId)
        {
            var rep = reps.FirstOrDefault(p => p.PlatformUserId == repId);
            if (rep is not null && !exclude.Contains(rep.Id) && !rep.Availability.IsAway(now))
            {
                return new LeadRoute(rep.Id, [], workspace.Places.Handoffs, $"{label}: assigned to {rep.DisplayName}.", now);
            }
            var why = rep is null ? $"{repId} is not a sales rep here"
                : exclude.Contains(rep.Id) ? $"{rep.DisplayName} already had it"
                : $"{rep.DisplayName} is away until {rep.Availability.AwayUntil:yyyy-MM-dd}";
            return await RouteByModeAsync(workspace, settings.RulesFallback, $"{label}, but {why}", reps, settings, exclude, now, cancellationToken);
        }
        var pool = reps.Where(p => rule.Pool.Contains(p.PlatformUserId)).ToList();
        var (route, skipped) = await RoundRobinAsync(workspace, "rule:" + rule.Name, pool, settings, exclude, now, $"{label}: round robin in its pool", cancellationToken);
        return route ?? await RouteByModeAsync(workspace, RoutingMode.OpenClaim,
            $"{label}, but nobody in its pool is available{Skipped(skipped)}", reps, settings, exclude, now, cancellationToken);
    }

    private async Task<LeadRoute> RouteByModeAsync(
        Workspace workspace, RoutingMode mode, string? because, List<Person> reps, RoutingSettings settings,
        IReadOnlySet<long> exclude, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var prefix = because is null ? "" : because + "; ";
        if (mode == RoutingMode.RoundRobin)
        {
            var (route, skipped) = await RoundRobinAsync(workspace, "all", reps, settings, exclude, now, prefix + "round robin", cancellationToken);
            if (route is not null) return route;
            prefix += $"round robin found no available sales rep{Skipped(skipped)}; ";
        }
        return new LeadRoute(null, [], workspace.Places.Handoffs, Capitalize(prefix + "open claim: the first sales rep to claim it gets it."), now);
    }

    private static string Skipped(IReadOnlyList<string> skipped) => skipped.Count == 0 ? "" : " (skipped " + string.Join(", ", skipped) + ")";

    private async Task<(LeadRoute? Route, IReadOnlyList<string> Skipped)> RoundRobinAsync(
        Workspace workspace, string rotation, List<Person> candidates, RoutingSettings settings,
        IReadOnlySet<long> exclude, DateTimeOffset now, string label, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0) return (null, []);
        var calendar = await calendars.ForWorkspaceAsync(workspace.Id, cancellationToken);
        var cursor = await store.GetCursorAsync(workspace.Id, rotation, cancellationToken);
        var open = await store.CountOpenLeadsAsync(workspace.Id, [.. candidates.Select(p => p.Id)], settings.MaxOpenLeadsPerRep, cancellationToken);
        var start = cursor is null ? 0 : candidates.FindIndex(p => p.Id > cursor.Value);
        if (start < 0) start = 0;

        var skipped = new List<string>();
        Person? offHours = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            var person = candidates[(start + i) % candidates.Count];
            if (exclude.Contains(person.Id))
            {
                skipped.Add($"{person.DisplayName} (already had it)");
            }
            else if (person.Availability.IsAway(now))
            {
                skipped.Add($"{person.DisplayName} (away until {person.Availability.AwayUntil:yyyy-MM-dd})");
            }
            else if (open.GetValueOrDefault(person.Id) >= settings.MaxOpenLeadsPerRep)
            {
                skipped.Add($"{person.DisplayName} (at the cap of {settings.MaxOpenLeadsPerRep} open leads)");
            }
            else if (person.Availability.IsOnHoliday(now, calendar))
            {
                skipped.Add($"{person.DisplayName} (holiday)");
                offHours ??= person;
            }
            else if (!person.Availability.IsWorking(now))
            {
                skipped.Add($"{person.DisplayName} (outside working hours)");
                offHours ??= person;
            }
            else
            {
                await store.SetCursorAsync(workspace.Id, rotation, person.Id, cancellationToken);
                var reason = $"{Capitalize(label)}: {person.DisplayName} was next in the rotation.";
                if (skipped.Count > 0) reason += " Skipped " + string.Join(", ", skipped) + ".";
                return (new LeadRoute(person.Id, [], workspace.Places.Handoffs, reason, now), skipped);
            }
        }

        if (offHours is null) return (null, skipped);
        var holiday = offHours.Availability.IsOnHoliday(now, calendar);
        await store.SetCursorAsync(workspace.Id, rotation, offHours.Id, cancellationToken);
        return (new LeadRoute(offHours.Id, [], workspace.Places.Handoffs,
            $"{Capitalize(label)}: nobody available is {(holiday ? "working today (a holiday)" : "within working hours now")}, so {offHours.DisplayName}, next in the rotation, gets it.", now), skipped);
    }

    /// <summary>Describes how the lead meets every condition of the rule, or null when one fails.</summary>
    internal static string? Describe(RoutingRule rule, LeadData lead)
    {
        var parts = new List<string>();
        if (!Check(rule.Source, lead.Source, "source", parts)) return null;
        if (!Check(rule.Campaign, lead.Campaign, "campaign", parts)) return null;
        if (!Check(rule.Segment, lead.Segment, "segment", parts)) return null;
        if (!Check(rule.Country, lead.Country, "country", parts)) return null;
        if (rule.CompanySizeMin is { } min)
        {
            if (lead.CompanySizeMin is not { } size || size < min) return null;
            parts.Add($"company size {lead.CompanySize} ≥ {min}");
        }
        if (rule.CompanySizeMax is { } max)
        {
            if (lead.CompanySizeMin is not { } size || size > max) return null;
            parts.Add($"company size {lead.CompanySize} ≤ {max}");
        }
        if (rule.ScoreMin is { } scoreMin)
        {
            if (lead.Score is not { } score || score < scoreMin) return null;
            parts.Add($"score {score.ToString(CultureInfo.InvariantCulture)} ≥ {scoreMin.ToString(CultureInfo.InvariantCulture)}");
        }
        return parts.Count == 0 ? "no conditions" : string.Join(", ", parts);
    }

    private static bool Check(List<string> accepted, string? value, string name, List<string> parts)
    {
        if (accepted.Count == 0) return true;
        if (value is null || !accepted.Any(a => string.Equals(a.Trim(), value, StringComparison.OrdinalIgnoreCase))) return false;
        parts.Add($"{name} {value}");
        return true;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
