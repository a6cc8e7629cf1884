using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;

namespace TeamBot.Core.Tests.Handoffs;

public class RouterDescribeTests
{
    private static LeadData Lead(string? source = "webinar", string? country = "DE", string? size = null, decimal? score = null) => new()
    {
        Email = "jane@acme.com",
        Source = source,
        Country = country,
        Segment = "enterprise",
        Campaign = "Spring",
        CompanySize = size,
        CompanySizeMin = size is null ? null : LeadDraft.ParseCompanySize(size),
        Score = score,
    };

    [Fact]
    public void Describe_WhenRuleHasNoConditions_MatchesEveryLead()
    {
        Assert.Equal("no conditions", Router.Describe(new RoutingRule { Name = "All" }, Lead()));
    }

    [Fact]
    public void Describe_WhenSourceInTheListInAnotherCase_NamesIt()
    {
        var rule = new RoutingRule { Source = ["Event", " Webinar "] };

        Assert.Equal("source webinar", Router.Describe(rule, Lead(source: "webinar")));
    }

    [Theory]
    [InlineData("ads")]
    [InlineData(null)]
    public void Describe_WhenSourceNotInTheList_ReturnsNull(string? source)
    {
        var rule = new RoutingRule { Source = ["event", "webinar"] };

        Assert.Null(Router.Describe(rule, Lead(source: source)));
    }

    [Fact]
    public void Describe_WhenCountryAndSegmentMatch_NamesBoth()
    {
        var rule = new RoutingRule { Country = ["de", "at"], Segment = ["Enterprise"], Campaign = ["spring"] };

        Assert.Equal("campaign Spring, segment enterprise, country DE", Router.Describe(rule, Lead()));
    }

    [Fact]
    public void Describe_WhenCountryDiffers_ReturnsNull()
    {
        Assert.Null(Router.Describe(new RoutingRule { Country = ["FR"] }, Lead(country: "DE")));
    }

    [Theory]
    [InlineData("201-500", "company size 201-500 ≥ 200")]
    [InlineData("200", "company size 200 ≥ 200")]
    [InlineData("1,000+", "company size 1,000+ ≥ 200")]
    public void Describe_WhenCompanyAtLeastTheMinimum_SaysSo(string size, string expected)
    {
        Assert.Equal(expected, Router.Describe(new RoutingRule { CompanySizeMin = 200 }, Lead(size: size)));
    }

    [Theory]
    [InlineData("51-200")]
    [InlineData("199")]
    [InlineData(null)]
    public void Describe_WhenCompanyBelowTheMinimumOrUnknown_ReturnsNull(string? size)
    {
        Assert.Null(Router.Describe(new RoutingRule { CompanySizeMin = 200 }, Lead(size: size)));
    }

    [Fact]
    public void Describe_WhenCompanySizeMaxGiven_ComparesTheLowerBound()
    {
        var rule = new RoutingRule { CompanySizeMax = 50 };

        Assert.Equal("company size 11-50 ≤ 50", Router.Describe(rule, Lead(size: "11-50")));
        Assert.Null(Router.Describe(rule, Lead(size: "51-200")));
        Assert.Null(Router.Describe(rule, Lead(size: null)));
    }

    [Fact]
    public void Describe_WhenScoreAtLeastTheMinimum_SaysSo()
    {
        var rule = new RoutingRule { ScoreMin = 80 };

        Assert.Equal("score 80 ≥ 80", Router.Describe(rule, Lead(score: 80)));
        Assert.Equal("score 92.5 ≥ 80", Router.Describe(rule, Lead(score: 92.5m)));
        Assert.Null(Router.Describe(rule, Lead(score: 79.9m)));
        Assert.Null(Router.Describe(rule, Lead(score: null)));
    }

    [Fact]
    public void Describe_WhenEveryConditionHolds_ListsThemAll()
    {
        var rule = new RoutingRule { Source = ["webinar"], Country = ["DE"], CompanySizeMin = 100, CompanySizeMax = 500, ScoreMin = 50 };

        Assert.Equal(
            "source webinar, country DE, company size 250 ≥ 100, company size 250 ≤ 500, score 90 ≥ 50",
            Router.Describe(rule, Lead(size: "250", score: 90)));
    }

    [Fact]
    public void Describe_WhenOneOfSeveralConditionsFails_ReturnsNull()
    {
        var rule = new RoutingRule { Source = ["webinar"], Country = ["DE"], ScoreMin = 95 };

        Assert.Null(Router.Describe(rule, Lead(score: 90)));
    }
}
