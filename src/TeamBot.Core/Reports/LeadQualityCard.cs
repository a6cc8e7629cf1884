using System.Globalization;
using Humanizer;
using TeamBot.Core.Chat;

namespace TeamBot.Core.Reports;

/// <summary>Words the lead-quality report the way a person would: "41 of 48 claimed (85%)", "median 14 minutes".</summary>
public static class LeadQualityCard
{
    public const int MaxGroups = 10;

    public static ChatCard Render(LeadQualityReport report)
    {
        var by = report.By.ToString().ToLowerInvariant();
        var total = report.Total;
        var groups = report.Groups.Where(g => g.Current.Leads > 0).ToList();
        var fields = new List<CardField>();
        if (total.Current.Leads > 0)
        {
            // The whole first; then each group, unless one group is the whole.
            fields.Add(new CardField("All " + by.Pluralize(), Describe(total, report.Period.PreviousLabel), Inline: false));
            if (groups.Count > 1)
            {
                fields.AddRange(groups.Take(MaxGroups).Select(g => new CardField(g.Key, Describe(g, report.Period.PreviousLabel), Inline: false)));
            }
        }
        if (groups.Count > MaxGroups)
        {
            var rest = groups.Skip(MaxGroups).ToList();
            fields.Add(new CardField("…and " + $"more {by}".ToQuantity(rest.Count),
                $"{"lead".ToQuantity(rest.Sum(g => g.Current.Leads))} between them", Inline: false));
        }

        var text = total.Current.Leads == 0
            ? $"No leads arrived ({report.Period.Label})." + (total.Previous.Leads > 0 ? $" There were {"lead".ToQuantity(total.Previous.Leads)} in {report.Period.PreviousLabel}." : "")
            : groups.Count == 1 ? $"All from one {by}: {groups[0].Key}." : null;

        return new ChatCard
        {
            Title = $"Lead quality by {by}: {report.Period.Label}",
            Text = text,
            Color = CardColor.Accent,
            Fields = fields,
            Footer = $"Changes compare with {report.Period.PreviousLabel}. Speed to claim runs from a lead's arrival to its claim.",
        };
    }

    public static string Describe(QualityGroup group, string previousLabel)
    {
        var now = group.Current;
        var before = group.Previous;
        var lines = new List<string>
        {
            "lead".ToQuantity(now.Leads) + Change(now.Leads, before.Leads, before.Leads.ToString(CultureInfo.InvariantCulture), previousLabel) +
            $"; {now.Claimed} of {now.Leads} claimed ({Percent(now.ClaimRate)})",
        };

        lines.Add(now.AverageRating is { } rating
            ? string.Create(CultureInfo.InvariantCulture, $"Average rating {rating:0.0} of 5 from {"rated lead".ToQuantity(now.Rated)}") + RatingChange(rating, before.AverageRating)
            : "No ratings yet");

        if (now.Rejected > 0)
        {
            var reasons = now.TopReasons.Count == 0 ? "" : "; top reasons: " + string.Join(", ", now.TopReasons.Select(r => $"{r.Label.ToLowerInvariant()} ({r.Count})"));
            lines.Add($"{now.Rejected} of {now.Leads} rejected ({Percent(now.RejectionRate)}){reasons}");
        }
        else if (now.TopReasons.Count > 0)
        {
            lines.Add("None rejected; reasons given: " + string.Join(", ", now.TopReasons.Select(r => $"{r.Label.ToLowerInvariant()} ({r.Count})")));
        }

        if (now.SpeedToClaim.MedianSeconds is { } median)
        {
            lines.Add($"Speed to claim: median {Duration(median)}, 95th percentile {Duration(now.SpeedToClaim.P95Seconds ?? median)}" +
                      (before.SpeedToClaim.MedianSeconds is { } previousMedian ? $" (median was {Duration(previousMedian)})" : ""));
        }

        var funnel = $"{"meeting".ToQuantity(now.Meetings)} ({Percent(now.MeetingRate)}), {"opportunity".ToQuantity(now.Opportunities)}, {now.Won} won";
        if (now.WonAmount > 0) funnel += $" ({now.WonAmount.ToString(now.WonAmount == decimal.Truncate(now.WonAmount) ? "N0" : "N2", CultureInfo.InvariantCulture)})";
        lines.Add("Conversion: " + funnel + (before.Won > 0 ? Change(now.Won, before.Won, $"{before.Won} won", previousLabel) : ""));
        return string.Join("\n", lines);
    }

    private static string Change(int now, int before, string beforeText, string previousLabel)
    {
        if (now == before) return before == 0 ? "" : $" (the same as in {previousLabel})";
        if (before == 0) return $" (none in {previousLabel})";
        return now > before ? $" (up {now - before} from {beforeText})" : $" (down {before - now} from {beforeText})";
    }

    private static string RatingChange(double now, double? before) => before switch
    {
        null => "",
        var b when Math.Abs(now - b.Value) < 0.05 => " (same as before)",
        var b => (now > b ? " (up from " : " (down from ") + b.Value.ToString("0.0", CultureInfo.InvariantCulture) + ")",
    };

    public static string Percent(double rate) => rate.ToString("0%", CultureInfo.InvariantCulture);

    public static string Duration(double seconds) => Durations.Spoken(TimeSpan.FromSeconds(seconds), precision: 2);
}
