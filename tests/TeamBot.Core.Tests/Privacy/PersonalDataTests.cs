using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Privacy;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Privacy;

public sealed class PersonalDataTests
{
    [Theory]
    [InlineData("jane@acme.com", null)]
    [InlineData("  Jane.Doe+leads@Acme.co.uk ", null)]
    [InlineData("", "Give the person's e-mail address.")]
    [InlineData("   ", "Give the person's e-mail address.")]
    [InlineData("jane", "That is not an e-mail address (name@example.com).")]
    [InlineData("jane@acme@com", "That is not an e-mail address (name@example.com).")]
    [InlineData("jane doe@acme.com", "That is not an e-mail address (name@example.com).")]
    public void Problem_NamesWhatIsWrongWithAnAddress(string email, string? expected)
    {
        Assert.Equal(expected, PersonalDataService.Problem(email));
    }

    [Fact]
    public void Problem_RefusesAnAddressLongerThanAnyMailSystemTakes()
    {
        Assert.Equal("An e-mail address has at most 254 characters.", PersonalDataService.Problem(new string('a', 250) + "@acme.com"));
    }

    [Fact]
    public void Render_AnErasedLead_ShowsNoPersonAndNoActions()
    {
        var workspace = new Workspace("acme", "fake", "Acme", "Europe/Berlin", new WorkspacePlaces("handoffs", "marketing", "general"));
        var lead = new Lead
        {
            Id = 42,
            WorkspaceId = "acme",
            Data = new LeadData { Source = "webinar", Campaign = "Q4" },
            ReceivedAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
            ErasedAt = new DateTimeOffset(2026, 11, 20, 15, 30, 0, TimeSpan.Zero),
            ClaimedById = 7,
        };
        var snapshot = new LeadSnapshot(lead, workspace, new Dictionary<long, Person>(), [], [], [], new Dictionary<string, string>());

        var card = new HandoffCards(new ReactionMap(new FeedbackSettings().Reactions)).Render(snapshot);

        Assert.Equal("Lead #42 (personal data erased)", card.Title);
        Assert.Equal("This lead's personal data was erased on 2026-11-20 16:30 Europe/Berlin. It still counts in reports, without the person.", card.Text);
        Assert.Equal(["Source: webinar", "Campaign: Q4", "Status: Claimed by someone"], card.Fields.Select(f => $"{f.Name}: {f.Value}"));
        Assert.Empty(card.Actions);
        Assert.Empty(card.Choices);
        Assert.Null(card.Url);
    }
}
