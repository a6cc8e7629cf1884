using TeamBot.Core.Reports;

namespace TeamBot.Host.Api;

/// <summary>The lead-quality report as JSON: a <c>total</c> and <c>groups</c>, each with the previous period's figures. Field names are public API.</summary>
internal static class LeadQualityJson
{
    public sealed record Period(string Text, string Label, DateTimeOffset From, DateTimeOffset To, DateTimeOffset PreviousFrom, DateTimeOffset PreviousTo);

    public sealed record Speed(double? MedianSeconds, double? P95Seconds);

    public sealed record Reason(string Code, string Label, int Count);

    public sealed record Figures(
        int Leads, int Claimed, double ClaimRate, int Rated, double? AverageRating, int Rejected, double RejectionRate,
        IReadOnlyList<Reason> TopReasons, Speed SpeedToClaim, int Meetings, double MeetingRate, int Opportunities, double OpportunityRate,
        int Won, double WinRate, decimal WonAmount);

    public sealed record Group(
        string Key, int Leads, int Claimed, double ClaimRate, int Rated, double? AverageRating, int Rejected, double RejectionRate,
        IReadOnlyList<Reason> TopReasons, Speed SpeedToClaim, int Meetings, double MeetingRate, int Opportunities, double OpportunityRate,
        int Won, double WinRate, decimal WonAmount, Figures Previous);

    public sealed record Report(string Workspace, string By, Period Period, Group Total, IReadOnlyList<Group> Groups);

    public static Report From(LeadQualityReport report) => new(
        report.WorkspaceId,
        report.By.ToString().ToLowerInvariant(),
        new Period(report.Period.Text, report.Period.Label, report.Period.From, report.Period.To, report.Period.PreviousFrom, report.Period.PreviousEnd),
        Map(report.Total),
        report.Groups.Select(Map).ToList());

    private static Group Map(QualityGroup g)
    {
        var c = g.Current;
        return new Group(g.Key, c.Leads, c.Claimed, c.ClaimRate, c.Rated, c.AverageRating, c.Rejected, c.RejectionRate,
            Reasons(c), new Speed(c.SpeedToClaim.MedianSeconds, c.SpeedToClaim.P95Seconds), c.Meetings, c.MeetingRate,
            c.Opportunities, c.OpportunityRate, c.Won, c.WinRate, c.WonAmount, PreviousFigures(g.Previous));
    }

    private static Figures PreviousFigures(QualityFigures f) => new(
        f.Leads, f.Claimed, f.ClaimRate, f.Rated, f.AverageRating, f.Rejected, f.RejectionRate, Reasons(f),
        new Speed(f.SpeedToClaim.MedianSeconds, f.SpeedToClaim.P95Seconds), f.Meetings, f.MeetingRate, f.Opportunities,
        f.OpportunityRate, f.Won, f.WinRate, f.WonAmount);

    private static List<Reason> Reasons(QualityFigures f) => f.TopReasons.Select(r => new Reason(r.Code, r.Label, r.Count)).ToList();
}
