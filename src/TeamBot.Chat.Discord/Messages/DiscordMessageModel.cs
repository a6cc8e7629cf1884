namespace TeamBot.Chat.Discord.Messages;

/// <summary>
/// Who a message may notify. <c>{"parse": []}</c> (the default here) notifies nobody; explicit user ids notify
/// only those users. Every body TeamBot sends carries one, so text from data never pings @everyone.
/// </summary>
public sealed record AllowedMentions
{
    public static AllowedMentions None { get; } = new();

    public IReadOnlyList<string> Parse { get; init; } = [];

    public IReadOnlyList<string>? Users { get; init; }

    public bool? RepliedUser { get; init; }

    public static AllowedMentions OnlyUsers(IEnumerable<ulong> userIds)
    {
        var ids = userIds.Distinct().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return ids.Count == 0 ? None : new AllowedMentions { Users = ids };
    }
}

/// <summary>A message body for create, edit, interaction responses and followups.</summary>
public sealed record DiscordMessageBody
{
    public string? Content { get; init; }

    public IReadOnlyList<Embed>? Embeds { get; init; }

    public IReadOnlyList<Component>? Components { get; init; }

    public AllowedMentions? AllowedMentions { get; init; } = Messages.AllowedMentions.None;

    /// <summary>At most 25 characters. With <see cref="EnforceNonce"/>, a retry within minutes returns the first message instead of a duplicate.</summary>
    public string? Nonce { get; init; }

    public bool? EnforceNonce { get; init; }

    /// <summary>64 makes an interaction reply ephemeral.</summary>
    public int? Flags { get; init; }
}

public sealed record Embed
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }
    public int? Color { get; init; }
    public IReadOnlyList<EmbedField>? Fields { get; init; }
    public EmbedFooter? Footer { get; init; }
    public EmbedAuthor? Author { get; init; }
}

public sealed record EmbedField(string Name, string Value, bool Inline = false);

public sealed record EmbedFooter(string Text);

public sealed record EmbedAuthor(string Name, string? Url = null);

public enum ComponentType { ActionRow = 1, Button = 2, StringSelect = 3 }

public enum ButtonStyle { Primary = 1, Secondary = 2, Success = 3, Danger = 4, Link = 5 }

/// <summary>A legacy message component: an action row, a button or a string select.</summary>
public sealed record Component
{
    public ComponentType Type { get; init; }
    public ButtonStyle? Style { get; init; }
    public string? Label { get; init; }
    public string? CustomId { get; init; }
    public string? Url { get; init; }
    public string? Placeholder { get; init; }
    public int? MinValues { get; init; }
    public int? MaxValues { get; init; }
    public bool? Disabled { get; init; }
    public IReadOnlyList<SelectOption>? Options { get; init; }
    public IReadOnlyList<Component>? Components { get; init; }

    public static Component Row(params Component[] components) => new() { Type = ComponentType.ActionRow, Components = components };

    public static Component Button(ButtonStyle style, string label, string customId) =>
        new() { Type = ComponentType.Button, Style = style, Label = label, CustomId = customId };

    public static Component LinkButton(string label, string url) =>
        new() { Type = ComponentType.Button, Style = ButtonStyle.Link, Label = label, Url = url };

    public static Component Select(string customId, string? placeholder, params SelectOption[] options) =>
        new() { Type = ComponentType.StringSelect, CustomId = customId, Placeholder = placeholder, Options = options };
}

public sealed record SelectOption(string Label, string Value, string? Description = null);

/// <summary>A modal (interaction callback 9): a title of at most 45 characters and up to 5 rows of one text input each.</summary>
public sealed record ModalData(string CustomId, string Title, IReadOnlyList<ModalRow> Components);

public sealed record ModalRow(IReadOnlyList<TextInput> Components)
{
    public int Type { get; init; } = (int)ComponentType.ActionRow;
}

/// <summary>A text input (component type 4); style 1 is one line, 2 a paragraph. The label is at most 45 characters.</summary>
public sealed record TextInput(string CustomId, string Label, int Style)
{
    public const int OneLine = 1;
    public const int Paragraph = 2;

    public int Type { get; init; } = 4;
    public bool? Required { get; init; }
    public int? MaxLength { get; init; }
    public string? Placeholder { get; init; }
}
