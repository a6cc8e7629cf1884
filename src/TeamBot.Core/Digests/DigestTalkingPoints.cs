using System.Globalization;
using Humanizer;
using TeamBot.Core.Reports;

namespace TeamBot.Core.Digests;

/// <summary>
/// What is worth raising when the teams meet. Weights run from 0 to 1: 0.9 and up is "act on it" (rejections above the
/// alert threshold, nothing arriving at all), around 0.7 is "a problem" (unclaimed leads, missed SLAs), around 0.5 is
/// "good to know" (wins, big swings in volume). Contributed sections' points are pooled with these.
/// </summary>
public static class DigestTalkingPoints
{
    public static IReadOnlyList<TalkingPoint> Top(IEnumerable<TalkingPoint> points, int count) =>
        points.Where(p => !string.IsNullOrWhiteSpace(p.Text))
            .GroupBy(p => p.Text, StringComparer.Ordinal)
            .Select(g => g.MaxBy(p => p.Weight)!)
            .OrderByDescending(p => p.Weight)
            .ThenBy(p => p.Text, StringComparer.Ordinal)
            .Take(count)
            .ToList();

    public static IEnumerable<TalkingPoint> Mine(WeeklyDigest digest, AlertSettings alerts)
    {
        var total = digest.Total;
        if (total.Leads == 0)
        {
            yield return new TalkingPoint(digest.Before.Leads > 0
                ? $"No leads arrived this week, after {"lead".ToQuantity(digest.Before.Leads)} the week before. Is a campaign paused or a form broken?"
                : "No leads arrived this week.", 0.95);
            yield break;
        }

        foreach (var (what, group) in digest.BySource.Select(g => ("source", g)).Concat(digest.ByCampaign.Select(g => ("campaign", g))))
        {
            var week = group.Week;
            if (week.Leads < Math.Max(1, alerts.MinLeads) || week.Rejected == 0 || week.RejectionRate <= alerts.RejectionRate) continue;
            var reasons = week.TopReasons.Count == 0 ? "" : ", mostly " + week.TopReasons[0].Label.ToLowerInvariant();
            yield return new TalkingPoint(
                $"The {what} {group.Key}: {week.Rejected} of {week.Leads} leads rejected ({LeadQualityCard.Percent(week.RejectionRate)}){reasons}. What should marketing change?",
                0.8 + 0.2 * week.RejectionRate);
        }

        if (digest.Speed.Unclaimed > 0)
        {
            yield return new TalkingPoint(
                $"{"lead".ToQuantity(digest.Speed.Unclaimed)} of this week {(digest.Speed.Unclaimed == 1 ? "is" : "are")} still unclaimed. Who takes {(digest.Speed.Unclaimed == 1 ? "it" : "them")}?",
                0.7 + 0.2 * digest.Speed.Unclaimed / total.Leads);
        }

        var late = digest.Speed.UpToTwiceSla + digest.Speed.BeyondTwiceSla;
        if (digest.Speed.SlaMinutes is { } sla && late > 0 && late * 4 >= digest.Speed.Claimed)
        {
            yield return new TalkingPoint(
                $"{late} of {digest.Speed.Claimed} claims took longer than the {DigestText.Minutes(sla)} SLA (95th percentile {LeadQualityCard.Duration(digest.Speed.P95Seconds ?? 0)}).",
                0.6 + 0.3 * late / digest.Speed.Claimed);
        }

        var change = total.Leads - digest.Before.Leads;
        if (digest.Before.Leads > 0 && Math.Abs(change) >= 3 && Math.Abs(change) * 10 >= digest.Before.Leads * 3)
        {
            var share = (double)Math.Abs(change) / digest.Before.Leads;
            yield return new TalkingPoint(
                $"Lead volume {(change > 0 ? "up" : "down")} {LeadQualityCard.Percent(share)}: {"lead".ToQuantity(total.Leads)}, {digest.Before.Leads} the week before.",
                0.5 + Math.Min(0.3, share * 0.3));
        }

        if (total.Won > 0)
        {
            var best = digest.BySource.Where(g => g.Week.Won > 0).OrderByDescending(g => g.Week.WonAmount).ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase).First();
            yield return new TalkingPoint(
                $"{"deal".ToQuantity(total.Won)} won{(total.WonAmount > 0 ? " worth " + DigestText.Amount(total.WonAmount) : "")}; the most from {best.Key}. Celebrate, and tell marketing what worked.",
                0.55);
        }

        var top = digest.BySource.Where(g => g.Week.Rated >= 3 && g.Week.AverageRating >= 4).OrderByDescending(g => g.Week.AverageRating).FirstOrDefault();
        if (top is not null)
        {
            yield return new TalkingPoint(
                string.Create(CultureInfo.InvariantCulture, $"Leads from {top.Key} were rated best: {top.Week.AverageRating:0.0} of 5 from {top.Week.Rated} rated. More of those?"),
                0.4);
        }
    }
}
