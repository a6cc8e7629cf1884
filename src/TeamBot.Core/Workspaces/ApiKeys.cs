using System.Security.Cryptography;
using System.Text;

namespace TeamBot.Core.Workspaces;

/// <summary>Workspace API keys: random, shown once, stored only as a SHA-256 hash, compared in constant time.</summary>
public static class ApiKeys
{
    public const string Prefix = "tb_";

    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool Matches(string presented, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);

    /// <summary>Makes <paramref name="key"/> the workspace's webhook key, writing only when the stored hash differs.</summary>
    public static async Task ApplyApiKeyAsync(this IWorkspaceStore workspaces, string workspaceId, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspaces);
        var stored = await workspaces.GetApiKeyHashAsync(workspaceId, cancellationToken);
        if (stored is null || !Matches(key, stored)) await workspaces.SetApiKeyHashAsync(workspaceId, Hash(key), cancellationToken);
    }
}
