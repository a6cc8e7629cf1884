using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;

namespace TeamBot.Host.Composition;

public enum StorageProvider
{
    Sqlite = 0,
    Postgres = 1,
}

/// <summary>Where TeamBot keeps its data. Bound from <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>For PostgreSQL, required. For SQLite, optional: the default is a file in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where the SQLite database and the local chat's messages live.</summary>
    public string DataDirectory { get; set; } = "data";
}

/// <summary>Per-workspace settings. Bound from <c>Workspaces:&lt;id&gt;</c>.</summary>
public sealed class WorkspaceOptions
{
    /// <summary>The webhook key; for the local workspace <c>TEAMBOT_LOCAL_API_KEY</c> takes precedence.</summary>
    public string? ApiKey { get; set; }

    /// <summary>When set, webhook requests must carry a valid <c>X-TeamBot-Signature</c>.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Overrides of the <c>Routing</c> defaults for this workspace.</summary>
    public RoutingSettings? Routing { get; set; }

    /// <summary>Overrides of the <c>Calendar</c> defaults for this workspace (work week, hours, holidays).</summary>
    public CalendarSettings? Calendar { get; set; }
}

/// <summary>All <c>Workspaces:&lt;id&gt;</c> sections.</summary>
public sealed class WorkspacesOptions
{
    public Dictionary<string, WorkspaceOptions> Items { get; } = new(StringComparer.Ordinal);
}

/// <summary>The timed-work scheduler. Bound from <c>Scheduler</c>.</summary>
public sealed class SchedulerOptions
{
    /// <summary>The scheduler's name in its tables; instances that share a database and this name share the schedule.</summary>
    public string Name { get; set; } = "TeamBot";
}

/// <summary>The report totals kept per day. Bound from <c>Reports</c>.</summary>
public sealed class ReportOptions
{
    /// <summary>How often the days that changed get their totals rebuilt; reports are exact meanwhile, only slower.</summary>
    public TimeSpan TotalsRefreshEvery { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>How fast one caller may use the workspace API. Bound from <c>RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests per second for one API key (or, without a key, one remote address); 0 turns the limit off.</summary>
    public int PerKeyPerSecond { get; set; } = 10_000;

    /// <summary>How many requests one key may send at once before the per-second rate applies.</summary>
    public int Burst { get; set; } = 20_000;
}
