using System.Text;

namespace TeamBot.Core.Feedback;

/// <summary>Which reaction means what on a handoff message. Configurable; the default is 🙋 claim, 🔥 great, 👍 good, 🤷 meh, 👎 poor, 🚫 reject.</summary>
public sealed class ReactionMap
{
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        ["🙋"] = "claim",
        ["🔥"] = "great",
        ["👍"] = "good",
        ["🤷"] = "meh",
        ["👎"] = "poor",
        ["🚫"] = "reject",
    };

    private readonly Dictionary<string, ReactionMeaning> _byEmoji = new(StringComparer.Ordinal);

    public ReactionMap(IReadOnlyDictionary<string, string> mapping)
    {
        foreach (var (emoji, text) in mapping.Count > 0 ? mapping : Defaults)
        {
            if (!ReactionMeaning.TryParse(text, out var meaning))
            {
                throw new ArgumentException($"The reaction '{emoji}' maps to '{text}', which is not one of claim, great, good, meh, poor, reject.", nameof(mapping));
            }
            _byEmoji[Normalize(emoji)] = meaning;
            Entries.Add((emoji, meaning));
        }
    }

    public List<(string Emoji, ReactionMeaning Meaning)> Entries { get; } = [];

    public ReactionMeaning? Lookup(string emoji) => _byEmoji.GetValueOrDefault(Normalize(emoji));

    public string? EmojiFor(Rating rating) =>
        Entries.FirstOrDefault(e => e.Meaning is ReactionMeaning.Rate r && r.Rating == rating).Emoji;

    public string? ClaimEmoji => Entries.FirstOrDefault(e => e.Meaning is ReactionMeaning.Claim).Emoji;

    public static string Label(ReactionMeaning meaning) => meaning switch
    {
        ReactionMeaning.Rate r => r.Rating == Rating.Reject ? "reject" : Ratings.Label(r.Rating),
        _ => "claim",
    };

    /// <summary>
    /// The emoji in each of the five skin tones (the tone follows its first character), for platforms that list toned
    /// reactions apart. None for a custom emoji; an emoji that takes no tone gives spellings the platform does not know.
    /// </summary>
    public static IReadOnlyList<string> SkinToneVariants(string emoji)
    {
        var normalized = Normalize(emoji);
        if (normalized.Length == 0) return [];
        var first = Rune.GetRuneAt(normalized, 0);
        if (first.Value < FirstSymbol) return [];
        var rest = normalized[first.Utf16SequenceLength..];
        return [.. Enumerable.Range(LightSkinTone, 5).Select(tone => first.ToString() + new Rune(tone).ToString() + rest)];
    }

    private const int LightSkinTone = 0x1F3FB;

    /// <summary>Below this are letters and punctuation: a custom emoji's name, not an emoji that could take a tone.</summary>
    private const int FirstSymbol = 0x2000;

    /// <summary>Skin tones and the emoji presentation selector do not change what a reaction means.</summary>
    public static string Normalize(string emoji)
    {
        var builder = new StringBuilder(emoji.Length);
        foreach (var rune in emoji.EnumerateRunes())
        {
            if (rune.Value == 0xFE0F || rune.Value is >= LightSkinTone and < LightSkinTone + 5) continue;
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }
}
