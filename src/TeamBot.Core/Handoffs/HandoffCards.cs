using System.Globalization;
using Humanizer;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Leads;

namespace TeamBot.Core.Handoffs;

/// <summary>Renders the lead card and the reason prompt as neutral cards.</summary>
public sealed class HandoffCards(ReactionMap reactions)
{
    public const string ClaimAction = "claim";
    public const string RateAction = "rate";
    public const string OutcomeAction = "outcome";
    public const string ReasonAction = "reason";

    public ChatCard Render(LeadSnapshot snapshot)
    {
        var lead = snapshot.Lead;
        if (lead.IsErased) return Redacted(snapshot);
        var data = lead.Data;
        var fields = new List<CardField>();
        void Add(string name, string? value, bool inline = true)
        {
            if (!string.IsNullOrWhiteSpace(value)) fields.Add(new CardField(name, value, inline));
        }

        Add("Email", data.Email);
        Add("Phone", data.Phone);
        Add("Source", data.Source);
        Add("Campaign", data.Campaign);
        Add("Segment", data.Segment);
        Add("Country", data.Country);
        Add("Company size", data.CompanySize);
        Add("Score", data.Score?.ToString("0.##", CultureInfo.InvariantCulture));
        if (data.Fields.Count > 0)
        {
            Add("Details", string.Join("\n", data.Fields.Take(8).Select(f => $"{f.Key}: {f.Value}"))
                           + (data.Fields.Count > 8 ? $"\n…and {data.Fields.Count - 8} more" : ""), inline: false);
        }
        Add("Status", Status(snapshot), inline: false);
        Add("Ratings", RatingsLine(snapshot), inline: false);
        Add("Outcome", OutcomeLine(snapshot), inline: false);

        var actions = new List<CardAction>();
        if (!lead.IsClaimed) actions.Add(new CardAction(ClaimAction, Emoji(reactions.ClaimEmoji) + "Claim", ActionStyle.Primary));
        foreach (var rating in new[] { Rating.Great, Rating.Good, Rating.Meh, Rating.Poor, Rating.Reject })
        {
            var label = rating == Rating.Reject ? "Reject" : Ratings.Label(rating).Transform(To.TitleCase);
            actions.Add(new CardAction(RateAction, Emoji(reactions.EmojiFor(rating)) + label,
                rating == Rating.Reject ? ActionStyle.Danger : ActionStyle.Secondary, ((int)rating).ToString(CultureInfo.InvariantCulture)));
        }

        var choices = new List<CardChoice>();
        if (lead.IsClaimed)
        {
            choices.Add(new CardChoice(OutcomeAction, "Record an outcome…",
            [
                new ChoiceOption("Contacted", "contacted"),
                new ChoiceOption("Meeting booked", "meeting"),
                new ChoiceOption("Opportunity", "opportunity", "With the expected amount", new CardInput("Opportunity amount (e.g. 12000)", Required: true)),
                new ChoiceOption("Won", "won", "With the amount won", new CardInput("Amount won (e.g. 12000)", Required: true)),
                new ChoiceOption("Lost", "lost", "With a reason", new CardInput("Why was it lost?", Required: false)),
            ]));
        }

        var name = data.DisplayName;
        return new ChatCard
        {
            Title = data.Company is null ? name : $"{name} · {data.Company}",
            Subtitle = data.Title,
            Text = data.Reason is null ? null : "Why qualified: " + data.Reason,
            Url = data.Url,
            UrlLabel = data.Url is null ? null : "Open in source",
            Color = ColorOf(snapshot),
            Fields = fields,
            Actions = actions,
            Choices = choices,
            Footer = $"Lead #{lead.Id} · via {lead.Via.ToString().ToLowerInvariant()} · received {LocalTime(lead.ReceivedAt, snapshot)}",
        };
    }

    /// <summary>
    /// The card of a lead whose personal data was erased: no person, no actions; what happened to it stays for the team.
    /// </summary>
    private static ChatCard Redacted(LeadSnapshot snapshot) => new()
    {
        Title = $"Lead #{snapshot.Lead.Id} (personal data erased)",
        Text = $"This lead's personal data was erased on {LocalTime(snapshot.Lead.ErasedAt!.Value, snapshot)}. It still counts in reports, without the person.",
        Color = CardColor.Neutral,
        Fields = new[] { new CardField("Source", snapshot.Lead.Data.Source ?? ""), new CardField("Campaign", snapshot.Lead.Data.Campaign ?? "") }
            .Where(f => f.Value.Length > 0)
            .Append(new CardField("Status", Status(snapshot), Inline: false))
            .ToList(),
        Footer = $"Lead #{snapshot.Lead.Id} · via {snapshot.Lead.Via.ToString().ToLowerInvariant()}",
    };

    public static ChatCard ReasonPrompt(LeadSnapshot snapshot, long personId, Rating rating, IReadOnlyList<ReasonOption> options)
    {
        var who = snapshot.NameOf(personId);
        return new ChatCard
        {
            Title = $"Why was this lead {(rating == Rating.Reject ? "rejected" : "poor")}, {who}?",
            Text = "Your reason goes back to marketing so the next leads are better.",
            Color = CardColor.Warning,
            Choices =
            [
                new CardChoice(ReasonAction, "Pick a reason…", options
                    .Select(o => new ChoiceOption(o.Label, o.Code, null,
                        o.Code == FeedbackSettings.OtherCode ? new CardInput("What was wrong with it?", Required: true) : null))
                    .ToList()),
            ],
            Footer = $"Lead #{snapshot.Lead.Id} · {snapshot.Lead.Data.DisplayName}",
        };
    }

    public static string Status(LeadSnapshot snapshot)
    {
        var lead = snapshot.Lead;
        if (lead.ClaimedById is { } claimer)
        {
            var after = lead.ClaimedAt - (lead.PostedAt ?? lead.ReceivedAt);
            return after is { } wait && wait >= TimeSpan.Zero
                ? $"Claimed by {snapshot.NameOf(claimer)}, {Durations.Spoken(wait)} after handoff"
                : $"Claimed by {snapshot.NameOf(claimer)}";
        }
        if (lead.Route?.AssigneeId is { } assignee) return $"Assigned to {snapshot.NameOf(assignee)}: waiting for them to claim it";
        return "Open: the first sales rep to claim it gets it";
    }

    private string? RatingsLine(LeadSnapshot snapshot)
    {
        if (snapshot.Ratings.Count == 0) return null;
        return string.Join(" · ", snapshot.Ratings.OrderBy(r => r.At).Select(r =>
        {
            var reason = snapshot.Reasons.Where(x => x.PersonId == r.PersonId).MaxBy(x => x.At);
            var why = Ratings.NeedsReason(r.Rating) && reason is not null
                ? $" ({snapshot.ReasonLabel(reason.Code)}{(reason.Note is null ? "" : ": " + reason.Note)})"
                : "";
            return $"{Emoji(reactions.EmojiFor(r.Rating))}{snapshot.NameOf(r.PersonId)}: {Ratings.Label(r.Rating)}{why}";
        }));
    }

    private static string? OutcomeLine(LeadSnapshot snapshot)
    {
        var latest = snapshot.Outcomes.MaxBy(o => o.At);
        if (latest is null) return null;
        return latest.Stage switch
        {
            LeadStage.Contacted => "Contacted",
            LeadStage.Meeting => "Meeting booked",
            LeadStage.Opportunity => "Opportunity" + Amount(latest.Amount),
            LeadStage.Won => "Won" + Amount(latest.Amount),
            LeadStage.Lost => "Lost" + (latest.Note is null ? "" : ": " + latest.Note),
            _ => null,
        } + $" (by {snapshot.NameOf(latest.PersonId)})";
    }

    private static CardColor ColorOf(LeadSnapshot snapshot)
    {
        if (snapshot.Lead.Stage == LeadStage.Won) return CardColor.Good;
        if (snapshot.Lead.Stage == LeadStage.Lost || snapshot.Ratings.Any(r => r.Rating == Rating.Reject)) return CardColor.Danger;
        return snapshot.Lead.IsClaimed ? CardColor.Good : CardColor.Accent;
    }

    public static string Amount(decimal? amount) =>
        amount is { } a ? ": " + a.ToString(a == decimal.Truncate(a) ? "N0" : "N2", CultureInfo.InvariantCulture) : "";

    private static string Emoji(string? emoji) => emoji is null ? "" : emoji + " ";

    private static string LocalTime(DateTimeOffset at, LeadSnapshot snapshot)
    {
        var local = TimeZoneInfo.ConvertTime(at, snapshot.Workspace.TimeZone);
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + snapshot.Workspace.TimeZoneId;
    }
}
