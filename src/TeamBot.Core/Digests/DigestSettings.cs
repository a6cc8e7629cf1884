namespace TeamBot.Core.Digests;

/// <summary>
/// When and where a workspace's weekly digest is posted. Bound from <c>Digest</c> (defaults for every workspace) and
/// <c>Workspaces:&lt;id&gt;:Digest</c> (one workspace's own).
/// </summary>
public sealed class DigestSettings
{
    /// <summary>Whether the digest is posted on its schedule (<c>/digest now</c> and the page work either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The day of the week it is posted, in the workspace's time zone: <c>Monday</c> or <c>Mon</c>.</summary>
    public string Day { get; set; } = "Monday";

    /// <summary>The local time it is posted, <c>HH:mm</c>.</summary>
    public string Time { get; set; } = "09:00";

    /// <summary>The channel (place id) it goes to; the workspace's general channel when empty.</summary>
    public string? Channel { get; set; }

    /// <summary>The address the chat post links to, e.g. <c>http://127.0.0.1:5080</c>; no link when empty.</summary>
    public string? BaseUrl { get; set; }

    public DayOfWeek ParsedDay => TryParseDay(Day, out var day) ? day : DayOfWeek.Monday;

    public TimeOnly ParsedTime => TryParseTime(Time, out var time) ? time : new TimeOnly(9, 0);

    public static bool TryParseDay(string? text, out DayOfWeek day)
    {
        day = DayOfWeek.Monday;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length < 3) return false;
        foreach (var candidate in Enum.GetValues<DayOfWeek>())
        {
            var name = candidate.ToString();
            if (name.Equals(trimmed, StringComparison.OrdinalIgnoreCase) || (trimmed.Length == 3 && name.StartsWith(trimmed, StringComparison.OrdinalIgnoreCase)))
            {
                day = candidate;
                return true;
            }
        }
        return false;
    }

    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "H:mm"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out time);
}

/// <summary>
/// When a source's or campaign's rejections are worth an alert to marketing. Bound from <c>Alerts</c> and
/// <c>Workspaces:&lt;id&gt;:Alerts</c>.
/// </summary>
public sealed class AlertSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>The share of a source's (or campaign's) leads of the last 7 days that are rejected above which marketing is alerted.</summary>
    public double RejectionRate { get; set; } = 0.3;

    /// <summary>The fewest leads of the last 7 days a source or campaign needs before its rate counts.</summary>
    public int MinLeads { get; set; } = 5;

    /// <summary>The channel (place id) alerts go to; the workspace's marketing channel when empty.</summary>
    public string? Channel { get; set; }
}

/// <summary>Digest and alert settings per workspace.</summary>
public interface IDigestSettings
{
    DigestSettings Digest(string workspaceId);

    AlertSettings Alerts(string workspaceId);
}

/// <summary>The built-in defaults, for hosts (and tests) that configure nothing.</summary>
public sealed class DefaultDigestSettings : IDigestSettings
{
    public DigestSettings Digest(string workspaceId) => new();

    public AlertSettings Alerts(string workspaceId) => new();
}
