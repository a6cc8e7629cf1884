using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Workspaces;

public class ApiKeysTests
{
    [Fact]
    public void Generate_WhenCalled_ReturnsALongUrlSafeKeyWithThePrefix()
    {
        var key = ApiKeys.Generate();

        Assert.StartsWith("tb_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 40, $"'{key}' is too short.");
        Assert.All(key[3..], c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe."));
    }

    [Fact]
    public void Generate_WhenCalledOften_NeverRepeats()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeys.Generate()).ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Matches_WhenTheSameKey_ReturnsTrue()
    {
        var key = ApiKeys.Generate();

        Assert.True(ApiKeys.Matches(key, ApiKeys.Hash(key)));
    }

    [Fact]
    public void Matches_WhenAnotherOrAlteredKey_ReturnsFalse()
    {
        var key = ApiKeys.Generate();
        var stored = ApiKeys.Hash(key);

        Assert.False(ApiKeys.Matches(ApiKeys.Generate(), stored));
        Assert.False(ApiKeys.Matches(key.ToUpperInvariant(), stored));
        Assert.False(ApiKeys.Matches(key + " ", stored));
        Assert.False(ApiKeys.Matches("", stored));
    }

    [Fact]
    public void Hash_WhenKeyGiven_IsNotTheKeyItself()
    {
        var key = ApiKeys.Generate();

        var hash = ApiKeys.Hash(key);

        Assert.Equal(32, hash.Length);
        Assert.DoesNotContain(key, System.Text.Encoding.UTF8.GetString(hash), StringComparison.Ordinal);
    }
}
