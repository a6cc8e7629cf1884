namespace TeamBot.Core.Chat;

/// <summary>
/// How much a platform takes in one message. Every platform passes what it posts through <see cref="Fit(OutgoingMessage)"/> with
/// its own limits, so that data (a 2,000-character reason, fifty custom fields) never makes a post fail.
/// </summary>
public sealed record MessageLimits(
    int Text, int Title, int Subtitle, int FieldName, int FieldValue, int Fields, int Footer, int Actions, int Label, int Choices, int Options)
{
    /// <summary>Limits that fit the built-in chat and any platform that is at least as generous as Discord's embeds.</summary>
    public static MessageLimits Local { get; } = new(Text: 4000, Title: 256, Subtitle: 256, FieldName: 256, FieldValue: 1024, Fields: 25, Footer: 2048,
        Actions: 25, Label: 80, Choices: 5, Options: 25);

    public OutgoingMessage Fit(OutgoingMessage message) => message with
    {
        Text = Cut(message.Text, Text),
        Card = message.Card is { } card ? Fit(card) : null,
    };

    public ChatCard Fit(ChatCard card) => card with
    {
        Title = Cut(card.Title, Title)!,
        Subtitle = Cut(card.Subtitle, Subtitle),
        Text = Cut(card.Text, Text),
        Footer = Cut(card.Footer, Footer),
        UrlLabel = Cut(card.UrlLabel, Label),
        Fields = card.Fields.Take(Fields).Select(f => f with { Name = Cut(f.Name, FieldName)!, Value = Cut(f.Value, FieldValue)! }).ToList(),
        Actions = card.Actions.Take(Actions).Select(a => a with { Label = Cut(a.Label, Label)! }).ToList(),
        Choices = card.Choices.Take(Choices)
            .Select(c => c with { Placeholder = Cut(c.Placeholder, Label)!, Options = c.Options.Take(Options).Select(o => o with { Label = Cut(o.Label, Label)! }).ToList() })
            .ToList(),
    };

    /// <summary>Shortens text to <paramref name="max"/> characters, ending with "…", never splitting a surrogate pair.</summary>
    public static string? Cut(string? text, int max)
    {
        if (text is null || text.Length <= max) return text;
        var end = max - 1;
        if (end > 0 && char.IsHighSurrogate(text[end - 1])) end--;
        return text[..end] + "…";
    }
}
