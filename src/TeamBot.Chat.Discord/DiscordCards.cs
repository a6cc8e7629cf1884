using System.Globalization;
using System.Text;
using TeamBot.Chat.Discord.Messages;
using TeamBot.Core.Chat;
using Limits = TeamBot.Chat.Discord.Messages.MessageLimits;

namespace TeamBot.Chat.Discord;

/// <summary>A control on a posted card, read back from a component's custom_id (and, for a select, the option picked).</summary>
/// <param name="ActionId">The <see cref="CardAction.Id"/> or <see cref="CardChoice.Id"/>.</param>
/// <param name="Value">The action's value, or the picked option's value; null for an action without one.</param>
/// <param name="AsksForInput">The control wants text first (a <see cref="CardInput"/>); the value then becomes "value:text".</param>
/// <param name="Input">What the text box asks and whether it must be filled, when <paramref name="AsksForInput"/>.</param>
public sealed record DiscordControl(string ActionId, string? Value, bool AsksForInput, CardInput? Input = null);

/// <summary>
/// Renders a neutral <see cref="OutgoingMessage"/> as a Discord message body: the text as content, a card as one embed
/// with buttons and string selects. All data is literal (markdown escaped) and mentions nobody: <c>allowed_mentions</c>
/// is always <c>{"parse": []}</c>, plus the ids of <see cref="OutgoingMessage.Notify"/> and nobody else. Everything is
/// cut to Discord's limits, so <see cref="Limits.Check"/> accepts every body this returns.
/// </summary>
/// <remarks>
/// <para>How a control is named (the interaction side reads it back with <see cref="ParseCustomId"/>):</para>
/// <code>
/// button custom_id  = enc(action id) [ "|" enc(value) ] [ input ] [ "~" n ]
/// select custom_id  = enc(choice id) [ "~" n ]
/// option value      = enc(option value) [ input ]
/// input             = ( "+" | "!" ) enc(prompt)
/// </code>
/// <para><c>enc</c> percent-encodes <c>%</c>, <c>|</c>, <c>+</c>, <c>!</c>, <c>^</c> and <c>~</c>, so any id or value
/// survives the round trip. No <c>|</c> means the action has no value (null, not ""). An input part means the control
/// asks for text first (<see cref="CardInput"/>): <c>!</c> when the text is required, <c>+</c> when it is optional,
/// followed by the prompt (cut to fit, since Discord shows at most 45 characters of it). <c>~n</c> (n = the control's
/// position in the message) is added only when the same id would otherwise appear twice, since Discord wants
/// custom_ids unique per message. A control whose name would pass 100 characters (custom_id or option value) is left
/// out rather than cut, because a cut name could not be read back.</para>
/// </remarks>
public static class DiscordCards
{
    /// <summary>Discord's blurple, green, yellow and red; a neutral card has no color bar.</summary>
    public static int? ColorOf(CardColor color) => color switch
    {
        CardColor.Accent => 0x5865F2,
        CardColor.Good => 0x57F287,
        CardColor.Warning => 0xFEE75C,
        CardColor.Danger => 0xED4245,
        _ => null,
    };

    /// <summary>
    /// The body for <paramref name="message"/>. Notified users come first in the content as <c>&lt;@id&gt;</c> (ids that are
    /// not Discord user ids are skipped; at most 100, and no more than the content can name). A message with neither text
    /// nor card gets a zero-width space, since Discord refuses an empty one.
    /// </summary>
    public static DiscordMessageBody ToBody(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var userIds = Fitting(message.Mentions.Select(m => ulong.TryParse(m.UserId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (ulong?)null)
            .OfType<ulong>().Distinct());
        var body = new DiscordMessageBody
        {
            Content = Content(userIds, message.Text),
            Embeds = message.Card is { } card ? [Embed(card)] : null,
            Components = message.Card is { } withControls ? NullIfEmpty(Components(withControls)) : null,
            AllowedMentions = AllowedMentions.OnlyUsers(userIds),
        };
        if (body.Content is null && body.Embeds is null) body = body with { Content = "\u200b" };
        var problems = Limits.Check(body);
        if (problems.Count > 0) throw new DiscordMessageInvalidException(problems);
        return body;
    }

    /// <summary>The action a component's custom_id names; for a select, pass the option value Discord sent.</summary>
    public static DiscordControl? ParseCustomId(string customId, string? selectedValue = null)
    {
        if (string.IsNullOrEmpty(customId)) return null;
        var name = customId;
        var tilde = name.LastIndexOf('~');
        if (tilde >= 0) name = name[..tilde];
        var (named, input) = SplitInput(name);
        var bar = named.IndexOf('|', StringComparison.Ordinal);
        var id = Decode(bar < 0 ? named : named[..bar]);
        var value = bar < 0 ? null : Decode(named[(bar + 1)..]);
        if (id.Length == 0) return null;
        if (selectedValue is null) return new DiscordControl(id, value, input is not null, input);
        var (option, optionInput) = SplitInput(selectedValue);
        return new DiscordControl(id, Decode(option), optionInput is not null, optionInput);
    }

    /// <summary>The longest prompt Discord shows on a text box (a modal's text input label).</summary>
    public const int MaxPrompt = 45;

    private static (string Name, CardInput? Input) SplitInput(string name)
    {
        var marker = name.IndexOfAny(['+', '!']);
        if (marker < 0) return (name, null);
        var prompt = Decode(name[(marker + 1)..]);
        return (name[..marker], new CardInput(prompt, Required: name[marker] == '!'));
    }

    /// <summary>The input part of a control's name, with as much of the prompt as fits in <paramref name="room"/> characters.</summary>
    private static string InputPart(CardInput? input, int room)
    {
        if (input is null) return "";
        var marker = input.Required ? "!" : "+";
        var prompt = Encode(Cut(input.Prompt.Trim(), MaxPrompt));
        // Cutting an encoded prompt must not split an escape such as %7C.
        while (prompt.Length > room - 1 && prompt.Length > 0)
        {
            prompt = prompt[..^1];
            var percent = prompt.LastIndexOf('%');
            if (percent >= 0 && percent > prompt.Length - 3) prompt = prompt[..percent];
        }
        return marker + prompt;
    }

    /// <summary>
    /// Escapes Discord markdown, so data shows as typed: no bold, links, headings, or mention-looking text.
    /// Discord drops a backslash before any punctuation, so escaping too much is harmless.
    /// </summary>
    public static string Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '~' or '`' or '|' or '>' or '<' or '#' or '-' or '[' or ']' or '(' or ')' or '@' or ':') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>At most 100 users, and only as many as the content can name while keeping a character for the text.</summary>
    private static List<ulong> Fitting(IEnumerable<ulong> userIds)
    {
        var kept = new List<ulong>();
        var length = -1;
        foreach (var id in userIds.Take(100))
        {
            length += MentionOf(id).Length + 1;
            if (length > Limits.Content - 2) break;
            kept.Add(id);
        }
        return kept;
    }

    private static string MentionOf(ulong userId) => string.Create(CultureInfo.InvariantCulture, $"<@{userId}>");

    private static string? Content(List<ulong> userIds, string? text)
    {
        var mentions = string.Join(' ', userIds.Select(MentionOf));
        if (string.IsNullOrEmpty(text)) return mentions.Length == 0 ? null : mentions;
        var prefix = mentions.Length == 0 ? "" : mentions + " ";
        return prefix + Cut(Literal(text), Limits.Content - prefix.Length);
    }

    private static Embed Embed(ChatCard card)
    {
        var fields = card.Fields.Take(Limits.Fields)
            .Select(f => new EmbedField(Text(f.Name, Limits.FieldName), Text(f.Value, Limits.FieldValue), f.Inline))
            .ToList();
        var embed = new Embed
        {
            Title = Text(card.Title, Limits.Title),
            Author = string.IsNullOrWhiteSpace(card.Subtitle) ? null : new EmbedAuthor(Cut(Literal(card.Subtitle), Limits.Author)),
            Description = string.IsNullOrEmpty(card.Text) ? null : Cut(Literal(card.Text), Limits.Description),
            Url = WebUrl(card.Url),
            Color = ColorOf(card.Color),
            Footer = string.IsNullOrEmpty(card.Footer) ? null : new EmbedFooter(Cut(Literal(card.Footer), Limits.Footer)),
        };

        // All text in the embeds together may not pass 6000 characters: drop fields from the end, then shorten the description.
        var fixedLength = embed.Title!.Length + (embed.Author?.Name.Length ?? 0) + (embed.Footer?.Text.Length ?? 0);
        int Total() => fixedLength + (embed.Description?.Length ?? 0) + fields.Sum(f => f.Name.Length + f.Value.Length);
        while (Total() > Limits.TotalEmbedText && fields.Count > 0) fields.RemoveAt(fields.Count - 1);
        if (Total() > Limits.TotalEmbedText && embed.Description is { } description)
        {
            embed = embed with { Description = Cut(description, Math.Max(1, description.Length - (Total() - Limits.TotalEmbedText))) };
        }
        return embed with { Fields = fields.Count == 0 ? null : fields };
    }

    private static List<Component> Components(ChatCard card)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        string? Unique(string name)
        {
            var index = position++;
            var id = used.Contains(name) ? string.Create(CultureInfo.InvariantCulture, $"{name}~{index}") : name;
            return id.Length <= Limits.CustomId && used.Add(id) ? id : null;
        }

        var buttons = new List<Component>();
        foreach (var action in card.Actions)
        {
            var named = Encode(action.Id) + (action.Value is null ? "" : "|" + Encode(action.Value));
            var name = named + InputPart(action.Input, Limits.CustomId - named.Length - 4);
            if (action.Id.Length == 0 || Unique(name) is not { } customId) continue;
            buttons.Add(Component.Button(Style(action.Style), Label(action.Label), customId));
        }
        if (WebUrl(card.Url) is { } url && !string.IsNullOrWhiteSpace(card.UrlLabel)) buttons.Add(Component.LinkButton(Label(card.UrlLabel), url));

        var rows = buttons.Chunk(Limits.ButtonsPerRow).Select(chunk => Component.Row(chunk)).ToList();
        foreach (var choice in card.Choices)
        {
            var options = Options(choice.Options);
            if (choice.Id.Length == 0 || options.Length == 0 || Unique(Encode(choice.Id)) is not { } customId) continue;
            var placeholder = string.IsNullOrWhiteSpace(choice.Placeholder) ? null : Cut(choice.Placeholder, 150);
            rows.Add(Component.Row(Component.Select(customId, placeholder, options)));
        }
        return [.. rows.Take(Limits.ActionRows)];
    }

    private static SelectOption[] Options(IReadOnlyList<ChoiceOption> options)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        return options
            .Select(o => (Option: o, Value: Encode(o.Value) + InputPart(o.Input, Limits.SelectOptionText - Encode(o.Value).Length)))
            .Where(o => o.Value.Length is > 0 and <= Limits.SelectOptionText && values.Add(o.Value))
            .Take(Limits.SelectOptions)
            .Select(o => new SelectOption(
                Cut(string.IsNullOrWhiteSpace(o.Option.Label) ? o.Option.Value : o.Option.Label, Limits.SelectOptionText),
                o.Value,
                string.IsNullOrWhiteSpace(o.Option.Description) ? null : Cut(o.Option.Description, Limits.SelectOptionText)))
            .ToArray();
    }

    private static ButtonStyle Style(ActionStyle style) => style switch
    {
        ActionStyle.Primary => ButtonStyle.Primary,
        ActionStyle.Success => ButtonStyle.Success,
        ActionStyle.Danger => ButtonStyle.Danger,
        _ => ButtonStyle.Secondary,
    };

    /// <summary>Button labels are plain text on Discord (no markdown), 1 to 80 characters.</summary>
    private static string Label(string? label) => Cut(string.IsNullOrWhiteSpace(label) ? "…" : label, Limits.ButtonLabel);

    /// <summary>Escaped and cut; never empty, since Discord refuses an empty title, field name or value.</summary>
    private static string Text(string? text, int max) => string.IsNullOrWhiteSpace(text) ? "\u200b" : Cut(Literal(text), max);

    private static string? WebUrl(string? url) =>
        url is { Length: <= Limits.Url } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? url
            : null;

    /// <summary>Core's cut (an ellipsis when shortened) for text that is never null.</summary>
    internal static string Cut(string text, int max) => Core.Chat.MessageLimits.Cut(text, max)!;

    private static List<Component>? NullIfEmpty(List<Component> rows) => rows.Count == 0 ? null : rows;

    internal static string Encode(string text) =>
        text.Replace("%", "%25", StringComparison.Ordinal).Replace("|", "%7C", StringComparison.Ordinal)
            .Replace("+", "%2B", StringComparison.Ordinal).Replace("~", "%7E", StringComparison.Ordinal)
            .Replace("!", "%21", StringComparison.Ordinal).Replace("^", "%5E", StringComparison.Ordinal);

    internal static string Decode(string text) =>
        text.Replace("%5E", "^", StringComparison.Ordinal).Replace("%21", "!", StringComparison.Ordinal)
            .Replace("%7E", "~", StringComparison.Ordinal).Replace("%2B", "+", StringComparison.Ordinal)
            .Replace("%7C", "|", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);
}
