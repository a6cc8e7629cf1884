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
        Assert.Equal(LeadIdentity.KeyLength, key.Length);
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

    [Theory]
    [InlineData(" Jane@Acme.COM ", "Acme, Inc.", "8A9859EA82E58F144ED1BC97283E4CEF38ED683E833D862B2E7880C20588BCC8")]
    [InlineData("jörg@müller.de", "Müller & Söhne GmbH & Co. KG", "2DAD49A51385913573A22731D7FAE916DB250E3DFE3F033BA07C0491640CD855")]
    [InlineData("a@b.co", "Co Co", "DD434123B9B46EA144A5BB68CF1E1DE45B6695CD95306F4D6AB222891442F7D2")]
    [InlineData("a@b.co", null, "9F74E13289AF2735C251EB2ECA0E9DC03A4F3DBF2DE9DD4F19EB9220091C0034")]
    [InlineData("x@y.z", "Bad \ud800 surrogate Ltd", "17E890206608F0BC5D2104BCA48F6988A9B3D99141A3B0ABF50E9092F6A35CD3")]
    public void DedupeKey_ForStoredLeads_StaysTheSameAcrossVersions(string email, string? company, string expected)
    {
        // Keys are stored with every lead: a different hash for the same lead would miss its duplicates. Leads stored before
        // the key was shortened hold the whole hash, which intake still looks for; new leads store its first 16 characters.
        Assert.Equal(expected, LeadIdentity.FullDedupeKey(email, company));
        Assert.Equal(expected[..16], LeadIdentity.DedupeKey(email, company));
    }
}
