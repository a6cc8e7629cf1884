namespace TeamBot.Core.Handoffs;

public enum RoutingMode
{
    /// <summary>Everyone sees the lead; the first sales rep to claim it wins.</summary>
    OpenClaim = 0,

    /// <summary>The next available sales rep in rotation gets it.</summary>
    RoundRobin = 1,

    /// <summary>The first matching rule decides; otherwise the fallback mode does.</summary>
    Rules = 2,
}

public enum SlaEscalation
{
    /// <summary>Re-route an assigned lead to the next rep; escalate an open one to the admins.</summary>
    Auto = 0,
    Reroute = 1,
    Admins = 2,
}

/// <summary>How a workspace routes leads and how long a lead may wait for a claim. Bound from <c>Routing</c> (defaults) and <c>Workspaces:&lt;id&gt;:Routing</c>.</summary>
public sealed class RoutingSettings
{
    public RoutingMode Mode { get; set; } = RoutingMode.OpenClaim;

    /// <summary>What rules mode does with a lead no rule matches: <c>OpenClaim</c> or <c>RoundRobin</c>.</summary>
    public RoutingMode RulesFallback { get; set; } = RoutingMode.OpenClaim;

    public List<RoutingRule> Rules { get; set; } = [];

    /// <summary>Minutes a lead may wait for a claim before the reminder, and again before escalation. 0 turns the SLA off.</summary>
    public double SlaMinutes { get; set; } = 15;

    public SlaEscalation Escalation { get; set; } = SlaEscalation.Auto;

    /// <summary>Round robin skips reps holding this many open leads.</summary>
    public int MaxOpenLeadsPerRep { get; set; } = 25;

    /// <summary>What the SLA counts: <c>WorkingHours</c> (the workspace calendar's hours on working days; nights, weekends and holidays do not count) or <c>Always</c>.</summary>
    public SlaClock SlaClock { get; set; } = SlaClock.WorkingHours;

    public TimeSpan? Sla => SlaMinutes > 0 ? TimeSpan.FromMinutes(SlaMinutes) : null;
}

public enum SlaClock
{
    /// <summary>Only working time counts: a lead posted on Friday evening is due on Monday morning.</summary>
    WorkingHours = 0,

    /// <summary>Every minute counts, day and night.</summary>
    Always = 1,
}

/// <summary>A routing rule: when every given condition holds, send the lead to a rep, a pool or a channel.</summary>
public sealed class RoutingRule
{
    public string Name { get; set; } = "";

    public List<string> Source { get; set; } = [];
    public List<string> Campaign { get; set; } = [];
    public List<string> Segment { get; set; } = [];
    public List<string> Country { get; set; } = [];
    public int? CompanySizeMin { get; set; }
    public int? CompanySizeMax { get; set; }
    public decimal? ScoreMin { get; set; }

    /// <summary>A person id (the platform user id) who gets the lead.</summary>
    public string? Rep { get; set; }

    /// <summary>Person ids who share the lead by round robin.</summary>
    public List<string> Pool { get; set; } = [];

    /// <summary>A channel (place id) where the lead is posted for an open claim.</summary>
    public string? Channel { get; set; }
}

/// <summary>Routing settings per workspace.</summary>
public interface IWorkspaceSettings
{
    RoutingSettings Routing(string workspaceId);

    /// <summary>The workspace's work week, hours and configured holidays.</summary>
    Workspaces.CalendarSettings Calendar(string workspaceId);
}
