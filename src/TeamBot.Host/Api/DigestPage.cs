using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using TeamBot.Core.Digests;
using TeamBot.Core.Reports;

namespace TeamBot.Host.Api;

/// <summary>
/// The weekly digest as a web page with inline SVG bar charts. Every value from data is HTML-encoded; there is no
/// script and no inline style (the stylesheet is <c>/digest/digest.css</c>, so the site's content security policy holds).
/// </summary>
internal static class DigestPage
{
    private const int ChartWidth = 800;
    private const int LabelWidth = 200;
    private const int BarArea = 290;
    private const int RowHeight = 26;

    public const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:52rem;padding:0 1rem;color:#1f2328;background:#fff}
        h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
        .sub{color:#59636e;margin-top:0}table{border-collapse:collapse;margin:.5rem 0}th,td{text-align:left;padding:.25rem .75rem .25rem 0}
        td.n{text-align:right;font-variant-numeric:tabular-nums}ol li{margin:.35rem 0}svg text{font-size:13px;fill:#1f2328}
        svg .bar{fill:#0969da}svg .prev{fill:#d0d7de}svg .good{fill:#1a7f37}svg .warn{fill:#bf8700}svg .bad{fill:#cf222e}.muted{color:#59636e}
        svg{display:block;width:100%;max-width:50rem;min-width:34rem;height:auto}.wide{overflow-x:auto;max-width:100%}li{overflow-wrap:anywhere}
        """;

    public static string Render(WeeklyDigest d, string apiPath)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(E($"Weekly digest: {d.Week.Label}")).Append("</title><link rel=\"stylesheet\" href=\"/digest/digest.css\"></head><body>");
        html.Append("<h1>").Append(E($"Weekly digest for {d.WorkspaceName}")).Append("</h1>");
        html.Append("<p class=\"sub\">").Append(E($"{d.Week.Label} (Monday to Sunday; compared with the week before). The same numbers as JSON: ")).Append("<a href=\"").Append(E(apiPath)).Append("\">").Append(E(apiPath)).Append("</a></p>");

        var t = d.Total;
        var b = d.Before;
        html.Append("<h2>Key numbers</h2><div class=\"wide\"><table><tr><th></th><th>This week</th><th>Week before</th></tr>");
        Row(html, "Leads", t.Leads, b.Leads);
        Row(html, "Claimed", t.Claimed, b.Claimed);
        Row(html, "Average rating", Rating(t.AverageRating), Rating(b.AverageRating));
        Row(html, "Rejected", t.Rejected, b.Rejected);
        Row(html, "Meetings", t.Meetings, b.Meetings);
        Row(html, "Opportunities", t.Opportunities, b.Opportunities);
        Row(html, "Won", t.Won, b.Won);
        Row(html, "Won amount", DigestText.Amount(t.WonAmount), DigestText.Amount(b.WonAmount));
        html.Append("</table></div>");

        if (d.TalkingPoints.Count > 0)
        {
            html.Append("<h2>Top things to talk about</h2><ol>");
            foreach (var point in d.TalkingPoints) html.Append("<li>").Append(E(point.Text)).Append("</li>");
            html.Append("</ol>");
        }

        Groups(html, "Leads by source", d.BySource);
        Groups(html, "Leads by campaign", d.ByCampaign);

        var s = d.Speed;
        html.Append("<h2>Speed to lead</h2><table>");
        Row(html, "Median", s.MedianSeconds is { } m ? LeadQualityCard.Duration(m) : "none claimed");
        Row(html, "95th percentile", s.P95Seconds is { } p ? LeadQualityCard.Duration(p) : "none claimed");
        Row(html, "Median the week before", s.PreviousMedianSeconds is { } pm ? LeadQualityCard.Duration(pm) : "none claimed");
        Row(html, "SLA", s.SlaMinutes is { } sla ? DigestText.Minutes(sla) : "off");
        Row(html, "Still unclaimed", s.Unclaimed.ToString(CultureInfo.InvariantCulture));
        html.Append("</table>");
        if (s.SlaMinutes is not null && s.Claimed > 0)
        {
            Chart(html, "Claims by SLA band",
            [
                new ChartRow("Within SLA", s.WithinSla, s.Claimed, $"{s.WithinSla} of {s.Claimed}", "good"),
                new ChartRow("Up to 2× SLA", s.UpToTwiceSla, s.Claimed, $"{s.UpToTwiceSla} of {s.Claimed}", "warn"),
                new ChartRow("Beyond 2× SLA", s.BeyondTwiceSla, s.Claimed, $"{s.BeyondTwiceSla} of {s.Claimed}", "bad"),
            ]);
        }

        html.Append("<h2>Rejections, back to marketing</h2><p>")
            .Append(E($"{t.Rejected} of {t.Leads} rejected ({LeadQualityCard.Percent(t.RejectionRate)}); " + (b.Leads == 0 ? "no leads the week before." : $"the week before {b.Rejected} of {b.Leads}."))).Append("</p>");
        if (d.RejectionReasons.Count > 0)
        {
            var max = d.RejectionReasons.Max(r => r.Count);
            Chart(html, "Reasons", d.RejectionReasons.Select(r => new ChartRow(r.Label, r.Count, max, r.Count.ToString(CultureInfo.InvariantCulture), "bad")).ToList());
        }

        foreach (var section in d.Sections)
        {
            html.Append("<h2>").Append(E(section.Title)).Append("</h2>");
            if (section.Lines.Count > 0)
            {
                html.Append("<ul>");
                // The list gives each line its bullet; a line that brings its own ("• …") would show two.
                foreach (var line in section.Lines) html.Append("<li>").Append(E(line.StartsWith("• ", StringComparison.Ordinal) ? line[2..] : line)).Append("</li>");
                html.Append("</ul>");
            }
            if (section.Bars.Count > 0)
            {
                Chart(html, section.Title, section.Bars.Select(bar => new ChartRow(bar.Label, bar.Value, bar.Max,
                    Number(bar.Value) + " of " + Number(bar.Max) + (bar.Note is { Length: > 0 } note ? " · " + note : ""), "bar")).ToList());
            }
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    private sealed record ChartRow(string Label, double Value, double Max, string Text, string Class, double? Previous = null);

    private static void Groups(StringBuilder html, string title, IReadOnlyList<DigestGroup> groups)
    {
        html.Append("<h2>").Append(E(title)).Append("</h2>");
        if (groups.Count == 0)
        {
            html.Append("<p class=\"muted\">No leads this week or the week before.</p>");
            return;
        }
        var max = groups.Max(g => Math.Max(g.Week.Leads, g.Before.Leads));
        Chart(html, title + " (grey: the week before)", groups.Select(g => new ChartRow(g.Key, g.Week.Leads, max,
            $"{g.Week.Leads} (was {g.Before.Leads})", "bar", g.Before.Leads)).ToList());
        html.Append("<div class=\"wide\"><table><tr><th>").Append(E(title == "Leads by source" ? "Source" : "Campaign")).Append("</th><th>Leads</th><th>Week before</th><th>Claimed</th><th>Average rating</th><th>Rejected</th><th>Top reasons</th><th>Meetings</th><th>Won</th></tr>");
        foreach (var g in groups)
        {
            var w = g.Week;
            html.Append("<tr><td>").Append(E(g.Key)).Append("</td>");
            Cell(html, w.Leads.ToString(CultureInfo.InvariantCulture));
            Cell(html, g.Before.Leads.ToString(CultureInfo.InvariantCulture));
            Cell(html, w.Claimed.ToString(CultureInfo.InvariantCulture));
            Cell(html, Rating(w.AverageRating));
            Cell(html, w.Rejected == 0 ? "0" : $"{w.Rejected} ({LeadQualityCard.Percent(w.RejectionRate)})");
            html.Append("<td>").Append(E(string.Join(", ", w.TopReasons.Select(r => $"{r.Label} ({r.Count})")))).Append("</td>");
            Cell(html, w.Meetings.ToString(CultureInfo.InvariantCulture));
            Cell(html, w.Won == 0 ? "0" : $"{w.Won} ({DigestText.Amount(w.WonAmount)})");
            html.Append("</tr>");
        }
        html.Append("</table></div>");
    }

    private static void Chart(StringBuilder html, string title, IReadOnlyList<ChartRow> rows)
    {
        var height = rows.Count * RowHeight + 8;
        html.Append("<div class=\"wide\">");
        html.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" width=\"{ChartWidth}\" height=\"{height}\" viewBox=\"0 0 {ChartWidth} {height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        html.Append("<title>").Append(E(title)).Append("</title>");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = i * RowHeight + 4;
            var label = row.Label.Length > 28 ? row.Label[..27] + "…" : row.Label;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 16}\">").Append(E(label)).Append("</text>");
            if (row.Previous is { } previous)
            {
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"prev\" x=\"{LabelWidth}\" y=\"{y + 14}\" width=\"{Width(previous, row.Max)}\" height=\"6\"/>");
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"{row.Class}\" x=\"{LabelWidth}\" y=\"{y + 2}\" width=\"{Width(row.Value, row.Max)}\" height=\"11\"/>");
            }
            else
            {
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"{row.Class}\" x=\"{LabelWidth}\" y=\"{y + 4}\" width=\"{Width(row.Value, row.Max)}\" height=\"14\"/>");
            }
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + BarArea + 8}\" y=\"{y + 16}\">").Append(E(row.Text)).Append("</text>");
        }
        html.Append("</svg></div>");
    }

    private static int Width(double value, double max) =>
        max <= 0 || value <= 0 ? 0 : Math.Max(2, (int)Math.Round(Math.Min(1, value / max) * BarArea));

    private static void Row(StringBuilder html, string name, int now, int before) =>
        Row(html, name, now.ToString(CultureInfo.InvariantCulture), before.ToString(CultureInfo.InvariantCulture));

    private static void Row(StringBuilder html, string name, string now, string? before = null)
    {
        html.Append("<tr><th>").Append(E(name)).Append("</th>");
        Cell(html, now);
        if (before is not null) Cell(html, before);
        html.Append("</tr>");
    }

    private static void Cell(StringBuilder html, string value) => html.Append("<td class=\"n\">").Append(E(value)).Append("</td>");

    private static string Rating(double? rating) => rating is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    /// <summary>A bar's value as people read it: thousands grouped (250,000), at most two decimals.</summary>
    private static string Number(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
