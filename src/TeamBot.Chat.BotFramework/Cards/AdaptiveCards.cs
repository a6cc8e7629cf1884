using System.Text;
using System.Text.Json.Nodes;
using TeamBot.Chat.BotFramework.Connector;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.BotFramework.Cards;

/// <summary>
/// Renders a neutral <see cref="ChatCard"/> as an Adaptive Card 1.5 for Teams (PROTOCOLS B8: Teams is limited to 1.5,
/// Action.Execute with an Action.Submit fallback).
/// </summary>
/// <remarks>
/// <para><b>Literal data.</b> TextBlock, Fact.Title and Fact.Value render a markdown subset in Teams (bold, italic, lists,
/// links), and backslash escapes are rendered differently by the desktop and mobile clients (microsoft/AdaptiveCards #4677,
/// #5590; MicrosoftDocs/msteams-docs #5793). So every piece of data (title, subtitle, text, fields, footer, note, the
/// message text, choice labels) goes into a <c>RichTextBlock</c> of <c>TextRun</c>s, which the Adaptive Cards text-features
/// page says does not support markdown, and which Teams does not scan for mentions (Teams mentions work in TextBlock and
/// FactSet only, "Format cards in Teams"). Fields are therefore not a FactSet but name/value RichTextBlocks (two per row for
/// inline fields). As a second guard, <c>&lt;at</c> and <c>&lt;/at</c> in data get a zero-width space after the <c>&lt;</c>,
/// so no data can ever equal a mention entity's <c>&lt;at&gt;…&lt;/at&gt;</c> fragment. Button titles, input labels and
/// tooltips are plain text in Adaptive Cards.</para>
/// <para><b>Mentions.</b> Only <see cref="OutgoingMessage.Notify"/> mentions: a TextBlock with one <c>&lt;at&gt;Name&lt;/at&gt;</c>
/// per person (name without <c>&lt;</c>, <c>&gt;</c> or line breaks, at most 64 characters) and, in <c>msteams.entities</c>,
/// a mention entity whose <c>text</c> is exactly that fragment.</para>
/// <para><b>Actions</b> follow the inbound convention of <c>BotFrameworkInbound</c>: Action.Execute with <c>verb</c> = the
/// action or choice id and <c>data</c> = <c>{value}</c> (no <c>value</c> when the action has none), with a fallback
/// Action.Submit whose data is <c>{verb, value}</c>. An action or option that asks for text (<see cref="CardInput"/>) is an
/// Action.ShowCard whose card holds an Input.Text with id <c>input</c> and the Execute button; Teams merges the input into
/// <c>data</c> as <c>input</c>. Inputs are gathered from the action's own card and its parents only (Adaptive Cards'
/// <c>associatedInputs: auto</c>), so every ShowCard's <c>input</c> reaches only its own button, and the main card holds no
/// input at all: a choice never overrides another button's value.</para>
/// <para><b>Choices</b> are rows of option buttons in the body (one Action.Execute per option, verb = the choice id,
/// value = the option's value), under the choice's placeholder, at most <see cref="ButtonsPerRow"/> per ActionSet. This was
/// preferred over an Input.ChoiceSet with id <c>value</c> because such an input would be merged into every other button of
/// the card, and because an option that needs text could not make the text box required only for itself.</para>
/// <para><b>Limits.</b> Texts are cut with an ellipsis to <see cref="Limits"/>; button titles to <see cref="MaxLabel"/>. At
/// most <see cref="MaxTopLevelActions"/> actions are shown at the bottom: beyond that, the first five stay and the rest go into
/// an Action.ShowCard "More…" (Adaptive Cards 1.5 has no overflow menu). The serialized card is kept within
/// <see cref="SizeBudget"/> characters by shortening texts and then dropping fields, options, choices and actions from the
/// end.</para>
/// </remarks>
public static class AdaptiveCards
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    public const string Version = "1.5";

    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";

    /// <summary>The id of the text box whose text arrives in <c>data.input</c>.</summary>
    public const string InputId = "input";

    /// <summary>
    /// The longest serialized card (JSON as the Connector client writes it, non-ASCII escaped, so never shorter than what
    /// Teams counts): 11,000 characters, 22 KB in UTF-16. Teams measures the whole activity in UTF-16 and its limit was
    /// 28 KB in the oldest documentation (40 KB and about 100 KB later), so the envelope and entities keep 6 KB of room.
    /// </summary>
    public const int SizeBudget = 11_000;

    /// <summary>Teams shows about six actions in a row before they crowd; more go into "More…".</summary>
    public const int MaxTopLevelActions = 6;

    /// <summary>Buttons per ActionSet in the body (choices) and in "More…".</summary>
    public const int ButtonsPerRow = 5;

    /// <summary>Button titles: Teams shows one line and cuts the rest, so longer labels are cut here with an ellipsis.</summary>
    public const int MaxLabel = 40;

    /// <summary>At most this many people are mentioned in one card or message.</summary>
    public const int MaxMentions = 20;

    /// <summary>The per-text limits applied before the size budget.</summary>
    public static MessageLimits Limits { get; } = new(Text: 3000, Title: 200, Subtitle: 200, FieldName: 100, FieldValue: 1000, Fields: 20,
        Footer: 300, Actions: 12, Label: MaxLabel, Choices: 3, Options: 20);

    private const int MaxDescription = 120;
    private const int MaxPrompt = 120;
    private const int MaxInputLength = 1000;
    private const int MaxMentionName = 64;
    private const int MaxUrl = 2048;

    /// <summary>The card for <paramref name="card"/>, mentioning <paramref name="notify"/>, with <paramref name="note"/> on top.</summary>
    /// <param name="card">The card; its text is literal data.</param>
    /// <param name="notify">The people to mention (and notify); nobody else is mentioned.</param>
    /// <param name="note">A line shown first, e.g. "You claimed this lead" in the card that answers the person who clicked.</param>
    public static JsonObject Render(ChatCard card, IReadOnlyList<Mention>? notify = null, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        return Render(card, notify, note, text: null);
    }

    /// <summary>The card of <paramref name="message"/>, with the message's text shown above the card's own content.</summary>
    public static JsonObject Render(OutgoingMessage message, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var card = message.Card ?? throw new ArgumentException("The message has no card.", nameof(message));
        return Render(card, message.Notify, note, message.Text);
    }

    /// <summary>The serialized length that <see cref="SizeBudget"/> limits.</summary>
    public static int SerializedLength(JsonNode card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card.ToJsonString(ConnectorJson.Options).Length;
    }

    /// <summary>
    /// Data as shown in a TextRun: unchanged except that <c>&lt;at</c> and <c>&lt;/at</c> (any case) get a zero-width space
    /// after the <c>&lt;</c>, so data never forms a mention fragment. Line breaks stay (TextRun shows them).
    /// </summary>
    public static string Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('<', StringComparison.Ordinal)) return text;
        var sb = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            sb.Append(text[i]);
            if (text[i] != '<') continue;
            var rest = text.AsSpan(i + 1);
            if (rest.StartsWith("at", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("/at", StringComparison.OrdinalIgnoreCase)) sb.Append('\u200B');
        }
        return sb.ToString();
    }

    /// <summary>A display name as it may stand inside <c>&lt;at&gt;…&lt;/at&gt;</c>: no angle brackets or line breaks, cut.</summary>
    public static string MentionName(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        var cleaned = new string(displayName.Where(c => c is not ('<' or '>') && !char.IsControl(c)).ToArray()).Trim();
        return MessageLimits.Cut(cleaned.Length == 0 ? "someone" : cleaned, MaxMentionName)!;
    }

    /// <summary>The people to mention: distinct by user id, without empty ids, at most <see cref="MaxMentions"/>.</summary>
    internal static List<Mention> MentionsOf(IReadOnlyList<Mention>? notify) =>
        (notify ?? []).Where(m => !string.IsNullOrWhiteSpace(m.UserId)).DistinctBy(m => m.UserId, StringComparer.Ordinal).Take(MaxMentions).ToList();

    /// <summary>A Teams mention entity: <c>{type: mention, text, mentioned: {id, name}}</c>, the name cut like the fragment's.</summary>
    public static JsonObject MentionEntity(string fragment, Mention mention)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        ArgumentNullException.ThrowIfNull(mention);
        return new JsonObject
        {
            ["type"] = "mention",
            ["text"] = fragment,
            ["mentioned"] = new JsonObject { ["id"] = mention.UserId, ["name"] = MessageLimits.Cut(mention.DisplayName, MaxMentionName) },
        };
    }

    private static JsonObject Render(ChatCard card, IReadOnlyList<Mention>? notify, string? note, string? text)
    {
        var mentions = MentionsOf(notify);
        var draft = new Draft(Limits.Fit(card), Cut(note, Limits.Text), Cut(text, Limits.Text));
        var rendered = Build(draft, mentions);
        int length;
        while ((length = SerializedLength(rendered)) > SizeBudget && Smaller(draft, far: length > 2 * SizeBudget) is { } smaller)
        {
            draft = smaller;
            rendered = Build(draft, mentions);
        }
        return rendered;
    }

    private sealed record Draft(ChatCard Card, string? Note, string? Text);

    /// <summary>
    /// One step smaller: long texts first, then fields, options, choices and actions from the end; null when nothing is left
    /// to take. When the card is <paramref name="far"/> over the budget, half of a list goes at once instead of one item.
    /// </summary>
    private static Draft? Smaller(Draft draft, bool far)
    {
        var card = draft.Card;
        int Keep(int count) => far ? count / 2 : count - 1;
        if (Longer(draft.Text, 300)) return draft with { Text = Half(draft.Text!) };
        if (Longer(card.Text, 300)) return draft with { Card = card with { Text = Half(card.Text!) } };
        if (card.Fields.Any(f => f.Value.Length > 200))
        {
            var longest = card.Fields.Max(f => f.Value.Length);
            return draft with { Card = card with { Fields = card.Fields.Select(f => f.Value.Length == longest || (far && f.Value.Length > 200) ? f with { Value = Half(f.Value) } : f).ToList() } };
        }
        if (card.Fields.Count > 0) return draft with { Card = card with { Fields = card.Fields.Take(Keep(card.Fields.Count)).ToList() } };
        if (card.Choices.Count > 0 && card.Choices.MaxBy(c => c.Options.Count) is { Options.Count: > 1 } widest)
        {
            var keep = Math.Max(1, Keep(widest.Options.Count));
            return draft with
            {
                Card = card with { Choices = card.Choices.Select(c => ReferenceEquals(c, widest) ? c with { Options = c.Options.Take(keep).ToList() } : c).ToList() },
            };
        }
        if (card.Choices.Count > 0) return draft with { Card = card with { Choices = card.Choices.Take(Keep(card.Choices.Count)).ToList() } };
        if (card.Actions.Count > 0) return draft with { Card = card with { Actions = card.Actions.Take(Keep(card.Actions.Count)).ToList() } };
        if (Longer(draft.Note, 100)) return draft with { Note = Half(draft.Note!) };
        if (Longer(draft.Text, 50) || Longer(card.Text, 50)) return draft with { Text = Cut(draft.Text, 50), Card = card with { Text = Cut(card.Text, 50) } };
        if (Longer(card.Footer, 50) || Longer(card.Subtitle, 50) || Longer(card.Title, 50) || card.Url is not null)
        {
            return draft with { Card = card with { Footer = Cut(card.Footer, 50), Subtitle = Cut(card.Subtitle, 50), Title = Cut(card.Title, 50)!, Url = null } };
        }
        return null;
    }

    private static bool Longer(string? text, int length) => text is not null && text.Length > length;

    private static string Half(string text) => MessageLimits.Cut(text, Math.Max(2, text.Length / 2))!;

    private static string? Cut(string? text, int max) => string.IsNullOrWhiteSpace(text) ? null : MessageLimits.Cut(text, max);

    private static JsonObject Build(Draft draft, List<Mention> mentions)
    {
        var card = draft.Card;
        var body = new JsonArray();
        if (draft.Note is { } note) body.Add(Container("emphasis", Rich(Run(note, weight: "Bolder"))));
        var entities = new JsonArray();
        if (mentions.Count > 0)
        {
            var fragments = mentions.Select(m => (Mention: m, Fragment: $"<at>{MentionName(m.DisplayName)}</at>")).ToList();
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = string.Join(' ', fragments.Select(f => f.Fragment)), ["wrap"] = true });
            foreach (var (mention, fragment) in fragments) entities.Add(MentionEntity(fragment, mention));
        }
        if (draft.Text is { } text) body.Add(Rich(Run(text)));

        var url = WebUrl(card.Url);
        var title = Run(string.IsNullOrWhiteSpace(card.Title) ? "…" : card.Title, weight: "Bolder", size: "Medium");
        if (url is not null) title["selectAction"] = new JsonObject { ["type"] = "Action.OpenUrl", ["url"] = url };
        var header = new List<JsonNode> { Rich(title) };
        if (!string.IsNullOrWhiteSpace(card.Subtitle)) header.Add(Rich(Run(card.Subtitle, subtle: true), spacing: "None"));
        body.Add(Container(StyleOf(card.Color), [.. header]));

        if (!string.IsNullOrWhiteSpace(card.Text)) body.Add(Rich(Run(card.Text)));
        foreach (var element in Fields(card.Fields)) body.Add(element);
        foreach (var choice in card.Choices) if (Choice(choice) is { } element) body.Add(element);
        if (!string.IsNullOrWhiteSpace(card.Footer)) body.Add(Rich(Run(card.Footer, subtle: true, size: "Small"), spacing: "Medium"));

        var actions = card.Actions.Where(a => a.Id.Length > 0).Select(Action).ToList();
        if (url is not null) actions.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = Label(card.UrlLabel ?? "Open"), ["url"] = url });

        var result = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = Schema,
            ["version"] = Version,
            ["body"] = body,
        };
        if (actions.Count > 0) result["actions"] = new JsonArray([.. Overflow(actions)]);
        var teams = new JsonObject { ["width"] = "Full" };
        if (entities.Count > 0) teams["entities"] = entities;
        result["msteams"] = teams;
        return result;
    }

    /// <summary>At most <see cref="MaxTopLevelActions"/>: the first five and "More…" holding the rest, in rows.</summary>
    private static List<JsonObject> Overflow(List<JsonObject> actions)
    {
        if (actions.Count <= MaxTopLevelActions) return actions;
        var shown = actions.Take(MaxTopLevelActions - 1).ToList();
        var more = new JsonObject
        {
            ["type"] = "Action.ShowCard",
            ["title"] = "More…",
            ["card"] = new JsonObject { ["type"] = "AdaptiveCard", ["body"] = new JsonArray([.. Rows(actions.Skip(MaxTopLevelActions - 1))]) },
        };
        shown.Add(more);
        return shown;
    }

    private static IEnumerable<JsonNode> Rows(IEnumerable<JsonObject> actions) =>
        actions.Chunk(ButtonsPerRow).Select(row => (JsonNode)new JsonObject { ["type"] = "ActionSet", ["actions"] = new JsonArray([.. row]) });

    private static JsonObject Action(CardAction action) =>
        action.Input is { } input
            ? AskFirst(action.Label, action.Id, action.Value, action.Style, input, tooltip: null)
            : Execute(action.Label, action.Id, action.Value, action.Style, tooltip: null);

    private static JsonObject? Choice(CardChoice choice)
    {
        if (choice.Id.Length == 0) return null;
        var buttons = choice.Options
            .Select(o => o.Input is { } input
                ? AskFirst(o.Label.Length > 0 ? o.Label : o.Value, choice.Id, o.Value, ActionStyle.Secondary, input, o.Description)
                : Execute(o.Label.Length > 0 ? o.Label : o.Value, choice.Id, o.Value, ActionStyle.Secondary, o.Description))
            .ToList();
        if (buttons.Count == 0) return null;
        var items = new JsonArray();
        if (!string.IsNullOrWhiteSpace(choice.Placeholder)) items.Add(Rich(Run(choice.Placeholder, subtle: true)));
        foreach (var row in Rows(buttons)) items.Add(row);
        return new JsonObject { ["type"] = "Container", ["spacing"] = "Medium", ["items"] = items };
    }

    /// <summary>Action.Execute (verb, data.value) with its Action.Submit fallback (data.verb, data.value).</summary>
    private static JsonObject Execute(string label, string verb, string? value, ActionStyle style, string? tooltip)
    {
        var data = new JsonObject();
        var submitData = new JsonObject { ["verb"] = verb };
        if (value is not null)
        {
            data["value"] = value;
            submitData["value"] = value;
        }
        var title = Label(label);
        var fallback = new JsonObject { ["type"] = "Action.Submit", ["title"] = title, ["data"] = submitData };
        var execute = new JsonObject { ["type"] = "Action.Execute", ["title"] = title, ["verb"] = verb, ["data"] = data };
        if (StyleOf(style) is { } s)
        {
            execute["style"] = s;
            fallback["style"] = s;
        }
        if (!string.IsNullOrWhiteSpace(tooltip)) execute["tooltip"] = MessageLimits.Cut(tooltip, MaxDescription);
        execute["fallback"] = fallback;
        return execute;
    }

    /// <summary>Action.ShowCard revealing the text box <c>input</c> and the Execute button that sends it.</summary>
    private static JsonObject AskFirst(string label, string verb, string? value, ActionStyle style, CardInput input, string? tooltip)
    {
        var prompt = MessageLimits.Cut(string.IsNullOrWhiteSpace(input.Prompt) ? "Details" : input.Prompt.Trim(), MaxPrompt)!;
        var box = new JsonObject
        {
            ["type"] = "Input.Text",
            ["id"] = InputId,
            ["label"] = prompt,
            ["isRequired"] = input.Required,
            ["maxLength"] = MaxInputLength,
        };
        if (input.Required) box["errorMessage"] = "Please fill this in.";
        var show = new JsonObject
        {
            ["type"] = "Action.ShowCard",
            ["title"] = Label(label),
            ["card"] = new JsonObject
            {
                ["type"] = "AdaptiveCard",
                ["body"] = new JsonArray(box),
                ["actions"] = new JsonArray(Execute("Send", verb, value, style, tooltip: null)),
            },
        };
        if (!string.IsNullOrWhiteSpace(tooltip)) show["tooltip"] = MessageLimits.Cut(tooltip, MaxDescription);
        return show;
    }

    /// <summary>Fields as name/value RichTextBlocks: consecutive inline fields two to a row, others full width.</summary>
    private static IEnumerable<JsonObject> Fields(IReadOnlyList<CardField> fields)
    {
        var pending = new List<CardField>();
        foreach (var field in fields)
        {
            if (field.Inline)
            {
                pending.Add(field);
                if (pending.Count == 2)
                {
                    yield return Row(pending);
                    pending.Clear();
                }
                continue;
            }
            if (pending.Count > 0)
            {
                yield return Row(pending);
                pending.Clear();
            }
            yield return Field(field);
        }
        if (pending.Count > 0) yield return Row(pending);
    }

    private static JsonObject Row(List<CardField> fields)
    {
        var columns = new JsonArray();
        foreach (var field in fields) columns.Add(new JsonObject { ["type"] = "Column", ["width"] = "stretch", ["items"] = new JsonArray(Field(field)) });
        if (fields.Count == 1) columns.Add(new JsonObject { ["type"] = "Column", ["width"] = "stretch", ["items"] = new JsonArray() });
        return new JsonObject { ["type"] = "ColumnSet", ["columns"] = columns };
    }

    private static JsonObject Field(CardField field) => new()
    {
        ["type"] = "Container",
        ["items"] = new JsonArray(
            Rich(Run(string.IsNullOrWhiteSpace(field.Name) ? "…" : field.Name, weight: "Bolder", subtle: true, size: "Small")),
            Rich(Run(string.IsNullOrWhiteSpace(field.Value) ? "–" : field.Value), spacing: "None")),
    };

    private static JsonObject Container(string? style, params JsonNode[] items)
    {
        var container = new JsonObject { ["type"] = "Container", ["items"] = new JsonArray(items) };
        if (style is not null)
        {
            container["style"] = style;
            container["bleed"] = true;
        }
        return container;
    }

    private static JsonObject Rich(JsonObject run, string? spacing = null)
    {
        var block = new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray(run) };
        if (spacing is not null) block["spacing"] = spacing;
        return block;
    }

    private static JsonObject Run(string text, string? weight = null, bool subtle = false, string? size = null)
    {
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = Literal(text) };
        if (weight is not null) run["weight"] = weight;
        if (subtle) run["isSubtle"] = true;
        if (size is not null) run["size"] = size;
        return run;
    }

    /// <summary>Container styles: good, warning, attention, accent; a neutral card has none.</summary>
    public static string? StyleOf(CardColor color) => color switch
    {
        CardColor.Good => "good",
        CardColor.Warning => "warning",
        CardColor.Danger => "attention",
        CardColor.Accent => "accent",
        _ => null,
    };

    /// <summary>Button styles: positive for <see cref="ActionStyle.Success"/>, destructive for <see cref="ActionStyle.Danger"/>.</summary>
    public static string? StyleOf(ActionStyle style) => style switch
    {
        ActionStyle.Success => "positive",
        ActionStyle.Danger => "destructive",
        _ => null,
    };

    private static string Label(string? label) => MessageLimits.Cut(string.IsNullOrWhiteSpace(label) ? "…" : label.Trim(), MaxLabel)!;

    private static string? WebUrl(string? url) =>
        url is { Length: <= MaxUrl } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? url
            : null;
}
