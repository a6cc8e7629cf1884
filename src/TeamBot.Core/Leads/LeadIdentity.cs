using System.Security.Cryptography;
using System.Text;

namespace TeamBot.Core.Leads;

/// <summary>Recognises the same lead sent twice: same email at the same company.</summary>
public static class LeadIdentity
{
    private static readonly string[] CompanySuffixes = ["inc", "llc", "ltd", "gmbh", "ag", "sa", "sas", "bv", "plc", "corp", "co", "limited", "corporation"];

    /// <summary>A hash of the normalised email and company, or null when there is no email.</summary>
    public static string? DedupeKey(string? email, string? company)
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        var key = email.Trim().ToLowerInvariant() + "|" + NormalizeCompany(company);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    public static string NormalizeCompany(string? company)
    {
        if (string.IsNullOrWhiteSpace(company)) return "";
        var words = new string(company.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .ToList();
        while (words.Count > 1 && CompanySuffixes.Contains(words[^1])) words.RemoveAt(words.Count - 1);
        return string.Join(' ', words);
    }
}
