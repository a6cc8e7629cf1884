using TeamBot.Core.Digests;
using TeamBot.Core.Reports;

namespace TeamBot.Host.Api;

/// <summary>The weekly digest as JSON, from the same <see cref="WeeklyDigest"/> the chat post and the page show. Field names are public API.</summary>
internal static class DigestJson
{
    public sealed record Week(string Start, string End, string Label, DateTimeOffset From, DateTimeOffset To, DateTimeOffset PreviousFrom);

    public sealed record Reason(string Code, string Label, int Count);

    public sealed record Figures(
        int Leads, int Claimed, double ClaimRate, int Rated, double? AverageRating, int Rejected, double RejectionRate,
        IReadOnlyList<Reason> TopReasons, int Meetings, int Opportunities, int Won, decimal WonAmount);

    public sealed record Group(string Key, Figures Week, Figures Previous, int Change);

    public sealed record Speed(
        double? MedianSeconds, double? P95Seconds, double? PreviousMedianSeconds, double? SlaMinutes,
        int Claimed, int WithinSla, int UpToTwiceSla, int BeyondTwiceSla, int Unclaimed);

    public sealed record Rejections(int Count, double Rate, int PreviousCount, IReadOnlyList<Reason> Reasons);

    public sealed record Bar(string Label, double Value, double Max, string? Note);

    public sealed record Section(string Key, string Title, IReadOnlyList<string> Lines, IReadOnlyList<Bar> Bars);

    public sealed record Point(string Text, double Weight);

    public sealed record Digest(
        string Workspace, Week Week, Figures Total, Figures Previous, IReadOnlyList<Group> BySource, IReadOnlyList<Group> ByCampaign,
        Speed SpeedToLead, Rejections Rejections, IReadOnlyList<Section> Sections, IReadOnlyList<Point> TalkingPoints, string? PageUrl);

    public static Digest From(WeeklyDigest d, string? pageUrl) => new(
        d.WorkspaceId,
        new Week(d.Week.Key, d.Week.End.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), d.Week.Label, d.Week.From, d.Week.To, d.Week.PreviousFrom),
        Map(d.Total),
        Map(d.Before),
        d.BySource.Select(Map).ToList(),
        d.ByCampaign.Select(Map).ToList(),
        new Speed(d.Speed.MedianSeconds, d.Speed.P95Seconds, d.Speed.PreviousMedianSeconds, d.Speed.SlaMinutes,
            d.Speed.Claimed, d.Speed.WithinSla, d.Speed.UpToTwiceSla, d.Speed.BeyondTwiceSla, d.Speed.Unclaimed),
        new Rejections(d.Total.Rejected, d.Total.RejectionRate, d.Before.Rejected, d.RejectionReasons.Select(Map).ToList()),
        d.Sections.Select(s => new Section(s.Key, s.Title, s.Lines, s.Bars.Select(b => new Bar(b.Label, b.Value, b.Max, b.Note)).ToList())).ToList(),
        d.TalkingPoints.Select(p => new Point(p.Text, Math.Round(p.Weight, 3))).ToList(),
        pageUrl);

    private static Group Map(DigestGroup g) => new(g.Key, Map(g.Week), Map(g.Before), g.Week.Leads - g.Before.Leads);

    private static Figures Map(QualityFigures f) => new(
        f.Leads, f.Claimed, f.ClaimRate, f.Rated, f.AverageRating, f.Rejected, f.RejectionRate, f.TopReasons.Select(Map).ToList(),
        f.Meetings, f.Opportunities, f.Won, f.WonAmount);

    private static Reason Map(ReasonCount r) => new(r.Code, r.Label, r.Count);
}
