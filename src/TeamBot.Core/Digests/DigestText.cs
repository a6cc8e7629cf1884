using System.Globalization;
using System.Text;
using Humanizer;
using TeamBot.Core.Reports;

namespace TeamBot.Core.Digests;

/// <summary>The digest as chat text, with text bars, and split into parts that fit a platform's message limit.</summary>
public static class DigestText
{
    public const int MaxGroups = 8;
    public const int BarWidth = 10;

    public static string Render(WeeklyDigest digest, string? pageUrl)
    {
        var blocks = new List<string>();
        var total = digest.Total;
        var before = digest.Before;
        var head = new StringBuilder($"📊 Weekly digest for {digest.WorkspaceName}: {digest.Week.Label}");
        head.Append(CultureInfo.InvariantCulture, $"\nLeads: {total.Leads}{Change(total.Leads, before.Leads)}");
        if (total.Leads > 0)
        {
            head.Append(CultureInfo.InvariantCulture, $" · claimed: {total.Claimed} of {total.Leads} ({LeadQualityCard.Percent(total.ClaimRate)})");
            head.Append(total.AverageRating is { } rating ? string.Create(CultureInfo.InvariantCulture, $" · average rating: {rating:0.0} of 5") : " · no ratings yet");
        }
        if (pageUrl is not null) head.Append("\nCharts and every number: ").Append(pageUrl);
        blocks.Add(head.ToString());

        if (digest.TalkingPoints.Count > 0)
        {
            blocks.Add("Top things to talk about\n" + string.Join("\n", digest.TalkingPoints.Select((p, i) => $"{i + 1}. {p.Text}")));
        }

        if (digest.BySource.Count > 0) blocks.Add(Groups("By source", "source", digest.BySource));
        if (digest.ByCampaign.Count > 0) blocks.Add(Groups("By campaign", "campaign", digest.ByCampaign));
        blocks.Add(Speed(digest.Speed));
        blocks.Add(Outcomes(total, before));
        blocks.Add(Rejections(digest));

        // A contributed section's lines say it all in chat (a goal's line has its own text bar, a stand-up's line its
        // answer rate); its bars are drawn as charts on the page. Repeating them here would list every goal twice,
        // in raw units (seconds, unformatted amounts).
        foreach (var section in digest.Sections)
        {
            var text = new StringBuilder(section.Title);
            foreach (var line in section.Lines) text.Append('\n').Append(line);
            if (section.Lines.Count == 0)
            {
                foreach (var bar in section.Bars)
                {
                    text.Append(CultureInfo.InvariantCulture, $"\n{bar.Label} {Bar(bar.Value, bar.Max)} {Number(bar.Value)} of {Number(bar.Max)}");
                    if (bar.Note is { Length: > 0 } note) text.Append(" · ").Append(note);
                }
            }
            blocks.Add(text.ToString());
        }
        return string.Join("\n\n", blocks);
    }

    private static string Groups(string title, string what, IReadOnlyList<DigestGroup> groups)
    {
        var text = new StringBuilder(title);
        var max = groups.Max(g => Math.Max(g.Week.Leads, g.Before.Leads));
        foreach (var group in groups.Take(MaxGroups))
        {
            var week = group.Week;
            text.Append(CultureInfo.InvariantCulture, $"\n{group.Key} {Bar(week.Leads, max)} {week.Leads}{Change(week.Leads, group.Before.Leads)}");
            if (week.Leads == 0) continue;
            text.Append(week.Rejected > 0 ? $" · {week.Rejected} rejected ({LeadQualityCard.Percent(week.RejectionRate)})" : " · none rejected");
            if (week.AverageRating is { } rating) text.Append(CultureInfo.InvariantCulture, $" · rated {rating:0.0}");
            if (week.Won > 0) text.Append(CultureInfo.InvariantCulture, $" · {week.Won} won");
        }
        if (groups.Count > MaxGroups)
        {
            var rest = groups.Skip(MaxGroups).ToList();
            text.Append(CultureInfo.InvariantCulture, $"\n…and {$"more {what}".ToQuantity(rest.Count)} with {"lead".ToQuantity(rest.Sum(g => g.Week.Leads))} between them (all on the page)");
        }
        return text.ToString();
    }

    private static string Speed(SpeedToLead speed)
    {
        var text = new StringBuilder("Speed to lead");
        if (speed.SlaMinutes is { } sla) text.Append(CultureInfo.InvariantCulture, $" (SLA {Minutes(sla)})");
        if (speed.MedianSeconds is not { } median)
        {
            text.Append("\nNo lead was claimed this week.");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"\nMedian {LeadQualityCard.Duration(median)}, 95th percentile {LeadQualityCard.Duration(speed.P95Seconds ?? median)}");
            if (speed.PreviousMedianSeconds is { } previous) text.Append(CultureInfo.InvariantCulture, $" (median was {LeadQualityCard.Duration(previous)})");
            if (speed.SlaMinutes is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"\nWithin SLA {Bar(speed.WithinSla, speed.Claimed)} {speed.WithinSla} of {speed.Claimed}");
                text.Append(CultureInfo.InvariantCulture, $"\nUp to 2× SLA {Bar(speed.UpToTwiceSla, speed.Claimed)} {speed.UpToTwiceSla} of {speed.Claimed}");
                text.Append(CultureInfo.InvariantCulture, $"\nBeyond 2× SLA {Bar(speed.BeyondTwiceSla, speed.Claimed)} {speed.BeyondTwiceSla} of {speed.Claimed}");
            }
        }
        if (speed.Unclaimed > 0) text.Append(CultureInfo.InvariantCulture, $"\nStill unclaimed: {speed.Unclaimed}");
        return text.ToString();
    }

    private static string Outcomes(QualityFigures week, QualityFigures before) =>
        "Outcomes and wins\n" +
        $"Meetings: {week.Meetings}{Change(week.Meetings, before.Meetings)} · opportunities: {week.Opportunities}{Change(week.Opportunities, before.Opportunities)}" +
        $" · won: {week.Won}{Change(week.Won, before.Won)}" + (week.WonAmount > 0 ? $" worth {Amount(week.WonAmount)}" : "");

    private static string Rejections(WeeklyDigest digest)
    {
        var week = digest.Total;
        var text = new StringBuilder("Rejections, back to marketing");
        text.Append(CultureInfo.InvariantCulture, $"\nRejected: {week.Rejected} of {week.Leads}");
        if (week.Leads > 0) text.Append(CultureInfo.InvariantCulture, $" ({LeadQualityCard.Percent(week.RejectionRate)})");
        text.Append(digest.Before.Leads == 0 ? "; no leads the week before" : $"; the week before {digest.Before.Rejected} of {digest.Before.Leads}");
        if (digest.RejectionReasons.Count > 0)
        {
            var max = digest.RejectionReasons.Max(r => r.Count);
            foreach (var reason in digest.RejectionReasons) text.Append(CultureInfo.InvariantCulture, $"\n{reason.Label} {Bar(reason.Count, max)} {reason.Count}");
        }
        var sources = digest.BySource.Where(g => g.Week.Rejected > 0).Select(g => $"{g.Key} {g.Week.Rejected}").ToList();
        if (sources.Count > 0) text.Append("\nBy source: ").Append(string.Join(", ", sources));
        return text.ToString();
    }

    /// <summary>A text bar: <c>██████░░░░</c> for 6 of 10; never empty for a value above zero.</summary>
    public static string Bar(double value, double max, int width = BarWidth)
    {
        if (max <= 0 || value <= 0) return new string('░', width);
        var filled = (int)Math.Round(Math.Min(1, value / max) * width, MidpointRounding.AwayFromZero);
        filled = Math.Clamp(filled, 1, width);
        return new string('█', filled) + new string('░', width - filled);
    }

    public static string Change(int now, int before) =>
        now == before ? (before == 0 ? "" : " (same as the week before)")
        : before == 0 ? " (none the week before)"
        : now > before ? $" (up {now - before} from {before})"
        : $" (down {before - now} from {before})";

    public static string Minutes(double minutes) => LeadQualityCard.Duration(minutes * 60);

    public static string Amount(decimal amount) =>
        amount.ToString(amount == decimal.Truncate(amount) ? "N0" : "N2", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

}
