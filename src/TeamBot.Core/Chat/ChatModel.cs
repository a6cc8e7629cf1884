namespace TeamBot.Core.Chat;

/// <summary>
/// A person (or bot) as a chat platform knows them: the platform's user id, and the TeamBot roles the adapter
/// resolved from its own role mapping (null when it cannot tell; the stored roles then apply).
/// </summary>
public sealed record ChatUser(string Id, string DisplayName, TeamRoles? Roles = null, bool IsBot = false, string? Email = null);

/// <summary>A place messages go: a channel, a thread or a direct-message conversation.</summary>
public sealed record PlaceRef(string Platform, string Workspace, string Id);

/// <summary>A message posted on a platform, remembered so that reactions and actions on it find their lead.</summary>
public sealed record MessageRef(string Platform, string Workspace, string PlaceId, string MessageId)
{
    public PlaceRef Place => new(Platform, Workspace, PlaceId);
}

/// <summary>Someone to mention in a message. Platforms render it as their own mention of that user only.</summary>
public sealed record Mention(string UserId, string DisplayName);

/// <summary>
/// A message TeamBot sends. All text is literal: platforms render it without markup and never let data
/// mention anyone. Only <see cref="Notify"/> produces real mentions.
/// </summary>
public sealed record OutgoingMessage(string? Text = null, ChatCard? Card = null, IReadOnlyList<Mention>? Notify = null)
{
    public IReadOnlyList<Mention> Mentions => Notify ?? [];
}

public enum CardColor { Neutral, Accent, Good, Warning, Danger }

public enum ActionStyle { Primary, Secondary, Success, Danger }

/// <summary>A card described as data; each platform renders it (HTML, Discord embed and components, Adaptive Card).</summary>
public sealed record ChatCard
{
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    public string? Text { get; init; }
    public string? Url { get; init; }
    public string? UrlLabel { get; init; }
    public string? Footer { get; init; }
    public CardColor Color { get; init; } = CardColor.Neutral;
    public IReadOnlyList<CardField> Fields { get; init; } = [];
    public IReadOnlyList<CardAction> Actions { get; init; } = [];
    public IReadOnlyList<CardChoice> Choices { get; init; } = [];
}

public sealed record CardField(string Name, string Value, bool Inline = true);

/// <summary>Text the user is asked for before an action is sent; the value then becomes "value:text".</summary>
public sealed record CardInput(string Prompt, bool Required);

public sealed record CardAction(string Id, string Label, ActionStyle Style = ActionStyle.Secondary, string? Value = null, CardInput? Input = null);

public sealed record CardChoice(string Id, string Placeholder, IReadOnlyList<ChoiceOption> Options);

public sealed record ChoiceOption(string Label, string Value, string? Description = null, CardInput? Input = null);

public enum ReplyVisibility { Public, Private }

/// <summary>The answer to an inbound event: shown to everyone in the place, or only to the person who acted.</summary>
public sealed record ChatReply(OutgoingMessage Message, ReplyVisibility Visibility)
{
    /// <summary>
    /// The action was refused (a role, someone else's lead). Platforms that cannot answer a reaction privately still tell
    /// the person about a refusal (Discord by DM), while confirmations of reactions go unsaid there.
    /// </summary>
    public bool Refusal { get; init; }

    public static ChatReply Private(string text) => new(new OutgoingMessage(text), ReplyVisibility.Private);

    public static ChatReply Refused(string text) => Private(text) with { Refusal = true };
    public static ChatReply Public(string text) => new(new OutgoingMessage(text), ReplyVisibility.Public);
    public static ChatReply PublicCard(ChatCard card) => new(new OutgoingMessage(Card: card), ReplyVisibility.Public);
}
