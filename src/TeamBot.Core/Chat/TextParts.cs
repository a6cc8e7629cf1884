using System.Text;

namespace TeamBot.Core.Chat;

/// <summary>Long texts (a digest, a stand-up summary) as several messages, each within the platform's limit.</summary>
public static class TextParts
{
    /// <summary>The longest text one message may carry on a platform.</summary>
    public static int LimitFor(string platform) => platform switch
    {
        "discord" => 2000,
        _ => MessageLimits.Local.Text,
    };

    /// <summary>
    /// Splits text into parts of at most <paramref name="limit"/> characters: between blocks (blank lines) where it can,
    /// else between lines, else within a line (never inside a surrogate pair). The parts, in order, hold all of the text.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        var parts = new List<string>();
        var current = new StringBuilder();

        void Flush()
        {
            if (current.Length > 0) parts.Add(current.ToString());
            current.Clear();
        }

        void Add(string piece, string separator)
        {
            if (current.Length > 0 && current.Length + separator.Length + piece.Length <= limit)
            {
                current.Append(separator).Append(piece);
                return;
            }
            Flush();
            if (piece.Length <= limit)
            {
                current.Append(piece);
                return;
            }
            foreach (var line in piece.Split('\n'))
            {
                if (current.Length > 0 && current.Length + 1 + line.Length <= limit)
                {
                    current.Append('\n').Append(line);
                    continue;
                }
                Flush();
                var rest = line;
                while (rest.Length > limit)
                {
                    var cut = char.IsHighSurrogate(rest[limit - 1]) ? limit - 1 : limit;
                    parts.Add(rest[..cut]);
                    rest = rest[cut..];
                }
                current.Append(rest);
            }
        }

        foreach (var block in text.Split("\n\n")) Add(block, "\n\n");
        Flush();
        return parts;
    }
}
