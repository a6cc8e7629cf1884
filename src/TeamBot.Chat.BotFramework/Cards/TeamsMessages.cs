using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TeamBot.Chat.BotFramework.Connector;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.BotFramework.Cards;

/// <summary>
/// The activities Teams gets for one neutral <see cref="OutgoingMessage"/>, and the bodies of <c>adaptiveCard/action</c>
/// invoke responses (PROTOCOLS B3).
/// </summary>
/// <remarks>
/// <para><b>Cards.</b> A message with a card is exactly one activity whose only attachment is the Adaptive Card (see
/// <see cref="AdaptiveCards"/>), with the message's text inside the card above it: Teams splits a message that has both
/// text and an attachment and then returns no activity id, and a card must keep its id to be updated (PROTOCOLS B8).</para>
/// <para><b>Text.</b> Teams renders a markdown subset and an HTML subset in <c>text</c> ("Format your bot messages").
/// <c>textFormat: plain</c> is documented as "no formatting", but mentions are written as the <c>&lt;at&gt;</c> tag, which
/// is markup, so text goes out as <c>textFormat: xml</c> with data escaped so that it is literal whether a client reads it
/// as HTML or as markdown: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> become <c>&amp;amp;</c>, <c>&amp;lt;</c>,
/// <c>&amp;gt;</c>; the markdown characters <c>\ ` * _ ~ # [ ] | - +</c>, and <c>.</c> or <c>)</c> right after a digit
/// (the ordered-list marker), become numeric character references such as <c>&amp;#42;</c>, which HTML shows as the
/// character and which CommonMark never reads as structure (spec §2.5, "Entity and numeric character references"); a line
/// break becomes <c>&lt;br&gt;</c>. Mentions are <c>&lt;at&gt;Name&lt;/at&gt;</c> (the name escaped the same way) with a
/// mention entity whose <c>text</c> is exactly that fragment.</para>
/// <para><b>Length.</b> The escaped text of one activity is at most <see cref="TextBudget"/> characters. Longer text is
/// split into several activities at line breaks (a line longer than the budget at its last space that fits, else anywhere
/// between two escaped characters), never inside an escape, a surrogate pair or a mention; the mentions open the first
/// activity. An update (<see cref="Update"/>) is a single activity, so its text is cut with an ellipsis instead.</para>
/// </remarks>
public static class TeamsMessages
{
    public const string XmlFormat = "xml";

    /// <summary>
    /// The longest escaped <c>text</c> of one activity: 7,000 characters, 14 KB in UTF-16, half of the oldest documented
    /// 28 KB message limit, which leaves room for entities and the envelope however the limit is counted.
    /// </summary>
    public const int TextBudget = 7000;

    private const int MaxInvokeMessage = 1000;

    /// <summary>The activities for <paramref name="message"/>, in order; none for a message without text, card or mentions.</summary>
    public static IReadOnlyList<OutgoingActivity> Build(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Card is not null) return [CardActivity(message)];

        var (prefix, entities) = Mentions(message.Notify);
        var parts = Split(prefix, message.Text ?? "", TextBudget);
        return parts.Select((text, i) => TextActivity(text, i == 0 ? entities : [])).ToList();
    }

    /// <summary>The one activity that replaces a posted message (PUT): text longer than <see cref="TextBudget"/> is cut with "…".</summary>
    public static OutgoingActivity Update(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Card is not null) return CardActivity(message);
        var (prefix, entities) = Mentions(message.Notify);
        var tokens = Tokens(message.Text ?? "");
        var text = new StringBuilder(prefix);
        var ellipsis = "…";
        var total = prefix.Length + tokens.Sum(t => t.Length);
        foreach (var token in tokens)
        {
            if (total > TextBudget && text.Length + token.Length > TextBudget - ellipsis.Length)
            {
                text.Append(ellipsis);
                break;
            }
            text.Append(token);
        }
        return TextActivity(text.ToString().TrimEnd(), entities);
    }

    /// <summary><c>{statusCode: 200, type: application/vnd.microsoft.card.adaptive, value: card}</c>: the card replaces the clicked one.</summary>
    public static JsonObject InvokeCardResponse(JsonObject card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new JsonObject
        {
            ["statusCode"] = 200,
            ["type"] = AdaptiveCards.ContentType,
            ["value"] = card.Parent is null ? card : card.DeepClone(),
        };
    }

    /// <summary><c>{statusCode: 200, type: application/vnd.microsoft.activity.message, value: text}</c>: Teams shows the text briefly.</summary>
    public static JsonObject InvokeMessageResponse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new JsonObject
        {
            ["statusCode"] = 200,
            ["type"] = "application/vnd.microsoft.activity.message",
            ["value"] = MessageLimits.Cut(text, MaxInvokeMessage),
        };
    }

    /// <summary><c>{statusCode, type: application/vnd.microsoft.error, value: {code, message}}</c>, e.g. 400 for an unknown verb.</summary>
    public static JsonObject InvokeErrorResponse(int statusCode, string code, string message)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(message);
        return new JsonObject
        {
            ["statusCode"] = statusCode,
            ["type"] = "application/vnd.microsoft.error",
            ["value"] = new JsonObject { ["code"] = code, ["message"] = MessageLimits.Cut(message, MaxInvokeMessage) },
        };
    }

    /// <summary>Data as literal Teams <c>text</c> (see the remarks for what is escaped and why).</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Concat(Tokens(text));
    }

    private static OutgoingActivity CardActivity(OutgoingMessage message) => new()
    {
        Attachments = [new ConnectorAttachment(AdaptiveCards.ContentType, AdaptiveCards.Render(message))],
    };

    private static OutgoingActivity TextActivity(string text, List<JsonObject> entities) => new()
    {
        Text = text,
        TextFormat = XmlFormat,
        Entities = entities.Count == 0 ? null : entities,
    };

    /// <summary>"&lt;at&gt;A&lt;/at&gt; &lt;at&gt;B&lt;/at&gt; " and one entity per fragment.</summary>
    private static (string Prefix, List<JsonObject> Entities) Mentions(IReadOnlyList<Mention>? notify)
    {
        var prefix = new StringBuilder();
        var entities = new List<JsonObject>();
        foreach (var mention in AdaptiveCards.MentionsOf(notify))
        {
            var fragment = $"<at>{Escape(AdaptiveCards.MentionName(mention.DisplayName))}</at>";
            prefix.Append(fragment).Append(' ');
            entities.Add(AdaptiveCards.MentionEntity(fragment, mention));
        }
        return (prefix.ToString(), entities);
    }

    /// <summary>The escaped text as tokens that are never split: one per character (a surrogate pair is one) or line break.</summary>
    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                tokens.Add(text.Substring(i++, 2));
                continue;
            }
            tokens.Add(c switch
            {
                '\n' or '\r' => LineBreak,
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\\' or '`' or '*' or '_' or '~' or '#' or '[' or ']' or '|' or '-' or '+' => Reference(c),
                '.' or ')' when i > 0 && char.IsAsciiDigit(text[i - 1]) => Reference(c),
                _ => c.ToString(),
            });
        }
        return tokens;
    }

    private const string LineBreak = "<br>";

    private static string Reference(char c) => string.Create(CultureInfo.InvariantCulture, $"&#{(int)c};");

    /// <summary>Parts of at most <paramref name="budget"/> characters: the prefix opens the first; breaks fall between lines where possible.</summary>
    internal static List<string> Split(string prefix, string text, int budget)
    {
        var parts = new List<string>();
        var current = new StringBuilder(prefix);
        var lines = new List<List<string>> { new() };
        foreach (var token in Tokens(text))
        {
            if (token == LineBreak) lines.Add([]);
            else lines[^1].Add(token);
        }

        void Flush()
        {
            var part = current.ToString().TrimEnd();
            if (part.Length > 0) parts.Add(part);
            current.Clear();
        }

        var lineOpen = false; // whether the current part holds a line already (the mentions are not one)
        foreach (var line in lines)
        {
            var length = line.Sum(t => t.Length);
            var separator = lineOpen ? LineBreak : "";
            if (current.Length + separator.Length + length <= budget)
            {
                current.Append(separator);
                foreach (var token in line) current.Append(token);
                lineOpen = true;
                continue;
            }
            Flush();
            lineOpen = false;
            var start = 0;
            while (start < line.Count)
            {
                var end = start;
                var used = 0;
                while (end < line.Count && used + line[end].Length <= budget) used += line[end++].Length;
                if (end < line.Count)
                {
                    // Prefer the last space in the second half of the part, so words stay whole.
                    var space = line.FindLastIndex(end - 1, end - start, t => t == " ");
                    if (space - start >= (end - start) / 2) end = space + 1;
                    for (var i = start; i < end; i++) current.Append(line[i]);
                    Flush();
                }
                else
                {
                    for (var i = start; i < end; i++) current.Append(line[i]);
                    lineOpen = true;
                }
                start = end;
            }
        }
        Flush();
        return parts;
    }
}
