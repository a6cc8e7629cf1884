using TeamBot.Core.Leads;

namespace TeamBot.Core.Tests.Leads;

public class LeadIdentityTests
{
    [Theory]
    [InlineData("ACME Inc.", "acme")]
    [InlineData("Acme, Inc", "Acme")]
    [InlineData("Acme GmbH", "acme")]
    [InlineData("Acme Corp. Ltd", "Acme")]
    [InlineData("  acme  ", "ACME")]
    [InlineData("Acme Co., LLC", "acme")]
    public void DedupeKey_WhenSameEmailAndCompanyWrittenDifferently_IsTheSame(string company, string other)
    {
        Assert.Equal(LeadIdentity.DedupeKey("jane@acme.com", company), LeadIdentity.DedupeKey("jane@acme.com", other));
    }

    [Fact]
    public void DedupeKey_WhenEmailDiffersOnlyInCaseAndSpaces_IsTheSame()
    {
        Assert.Equal(LeadIdentity.DedupeKey(" Jane@Acme.COM ", "Acme"), LeadIdentity.DedupeKey("jane@acme.com", "Acme"));
    }

    [Theory]
    [InlineData("jane@acme.com", "Acme", "jane@acme.com", "Acme Labs")]
    [InlineData("jane@acme.com", "Acme", "sam@acme.com", "Acme")]
    [InlineData("jane@acme.com", "Acme", "jane@acme.com", null)]
    public void DedupeKey_WhenEmailOrCompanyReallyDiffers_Differs(string email, string company, string otherEmail, string? otherCompany)
    {
        Assert.NotEqual(LeadIdentity.DedupeKey(email, company), LeadIdentity.DedupeKey(otherEmail, otherCompany));
    }

    [Fact]
    public void DedupeKey_WhenNoCompany_StillIdentifiesByEmail()
    {
        Assert.Equal(LeadIdentity.DedupeKey("jane@acme.com", null), LeadIdentity.DedupeKey("jane@acme.com", "  "));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void DedupeKey_WhenNoEmail_ReturnsNull(string? email)
    {
        Assert.Null(LeadIdentity.DedupeKey(email, "Acme"));
    }

    [Fact]
    public void DedupeKey_WhenComputed_IsAHashNotTheEmail()
    {
        var key = LeadIdentity.DedupeKey("jane@acme.com", "Acme");

        Assert.NotNull(key);
        Assert.Equal(64, key.Length);
        Assert.DoesNotContain("jane", key, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Inc", "inc")]
    [InlineData("The Co Co", "the")]
    [InlineData("Müller & Söhne AG", "müller söhne")]
    [InlineData(null, "")]
    public void NormalizeCompany_WhenSuffixesAndPunctuation_KeepsTheName(string? company, string expected)
    {
        Assert.Equal(expected, LeadIdentity.NormalizeCompany(company));
    }
}
