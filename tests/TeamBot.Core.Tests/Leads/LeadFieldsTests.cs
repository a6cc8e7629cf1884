using System.Diagnostics;
using TeamBot.Core.Leads;

namespace TeamBot.Core.Tests.Leads;

public class LeadFieldsTests
{
    [Theory]
    [InlineData("emial", "email")]
    [InlineData("compnay", "company")]
    [InlineData("First_Name", "firstName")]
    [InlineData("sorce", "source")]
    public void Suggest_ATypoOrLooseSpelling_NamesTheField(string name, string expected) =>
        Assert.Equal(expected, LeadFields.Suggest(name)?.Name);

    [Theory]
    [InlineData("favouriteColour")]
    [InlineData("xy")]
    public void Suggest_ANameNothingLike_NamesNoField(string name) => Assert.Null(LeadFields.Suggest(name));

    [Fact]
    public void Suggest_AMegabyteLongName_AnswersAtOnce()
    {
        var clock = Stopwatch.StartNew();
        Assert.Null(LeadFields.Suggest(new string('q', 1_000_000)));
        Assert.Null(LeadFields.Suggest("email" + new string('q', 1_000_000)));
        // Comparing it with every field name letter by letter took seconds (tens of millions of steps per field).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed.TotalMilliseconds:0} ms");
    }
}
