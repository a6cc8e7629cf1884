using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace TeamBot.Core.Leads;

/// <summary>Recognises the same lead sent twice: same email at the same company.</summary>
public static class LeadIdentity
{
    private static readonly string[] CompanySuffixes = ["inc", "llc", "ltd", "gmbh", "ag", "sa", "sas", "bv", "plc", "corp", "co", "limited", "corporation"];

    /// <summary>How many hex characters of the hash a lead stores: 64 bits (see <see cref="DedupeKey"/>).</summary>
    public const int KeyLength = 16;

    /// <summary>A hash of the normalised email and company, as a lead stores it, or null when there is no email.</summary>
    /// <remarks>
    /// The first <see cref="KeyLength"/> characters of <see cref="FullDedupeKey"/>: 64 bits keep two different people at the
    /// same company apart with certainty for any store TeamBot holds. On PostgreSQL every new lead's key goes into the dedupe
    /// index at a random place, so the key's size is most of what a batch of new leads writes there; SQLite keeps the recent
    /// keys in memory instead (TeamBot.Data's RecentLeadKeys).
    /// </remarks>
    public static string? DedupeKey(string? email, string? company) => FullDedupeKey(email, company)?[..KeyLength];

    /// <summary>The whole hash, as leads stored before the key was shortened hold it: duplicate lookups try both.</summary>
    /// <remarks>
    /// Must never change for the same input: it is the SHA-256 of <c>trimmed lower-case email + "|" + <see cref="NormalizeCompany"/></c>
    /// in UTF-8, as upper-case hex. Built in one buffer, since intake computes one per lead.
    /// </remarks>
    public static string? FullDedupeKey(string? email, string? company)
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        var trimmed = email.AsSpan().Trim();
        var companyLength = company?.Length ?? 0;
        var length = trimmed.Length + 1 + companyLength;
        char[]? rented = null;
        var chars = length <= 512 ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var at = trimmed.ToLowerInvariant(chars);
            chars[at++] = '|';
            at += Normalize(company, chars[at..]);
            return Hash(chars[..at]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    public static string NormalizeCompany(string? company)
    {
        if (string.IsNullOrWhiteSpace(company)) return "";
        var buffer = new char[company.Length];
        return new string(buffer, 0, Normalize(company, buffer));
    }

    /// <summary>
    /// Writes the company's words in lower case, one space apart, without a trailing legal form ("Acme Co., LLC" → "acme"),
    /// into <paramref name="into"/> (at least as long as the company); returns the length written.
    /// </summary>
    private static int Normalize(string? company, Span<char> into)
    {
        if (string.IsNullOrWhiteSpace(company)) return 0;
        // Lower-cased as a whole string (as the invariant culture does it), then every character that is not a letter or a
        // digit separates words.
        var lower = company.ToLowerInvariant();
        var length = 0;
        var words = 0;
        var lastWordStart = 0;
        var previousWordEnd = 0;
        var inWord = false;
        foreach (var c in lower)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord)
                {
                    previousWordEnd = length;
                    if (words > 0) into[length++] = ' ';
                    lastWordStart = length;
                    words++;
                    inWord = true;
                }
                into[length++] = c;
            }
            else
            {
                inWord = false;
            }
        }
        // Legal forms come off the end while more than one word is left.
        while (words > 1 && IsSuffix(into[lastWordStart..length]))
        {
            length = previousWordEnd;
            words--;
            previousWordEnd = FindWordBounds(into[..length], out lastWordStart);
        }
        return length;
    }

    /// <summary>Where the last word of <paramref name="words"/> starts, and where the word before it ends (before its space).</summary>
    private static int FindWordBounds(ReadOnlySpan<char> words, out int lastWordStart)
    {
        var space = words.LastIndexOf(' ');
        lastWordStart = space + 1;
        return Math.Max(space, 0);
    }

    private static bool IsSuffix(ReadOnlySpan<char> word)
    {
        foreach (var suffix in CompanySuffixes)
        {
            if (word.SequenceEqual(suffix)) return true;
        }
        return false;
    }

    private static string Hash(ReadOnlySpan<char> key)
    {
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        var bytes = length <= 1024 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(key, bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..written], hash);
            return Convert.ToHexString(hash);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
