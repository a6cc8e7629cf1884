using TeamBot.Core.Leads;

namespace TeamBot.Core.Tests.Leads;

public class LeadDraftTests
{
    private static LeadField Field(string name)
    {
        Assert.True(LeadFields.TryGet(name, out var field));
        return field;
    }

    [Fact]
    public void Validate_WhenPrefixGiven_PutsItBeforeEveryPath()
    {
        var draft = new LeadDraft();
        draft.Set(Field("email"), "nope");
        draft.Set(Field("score"), "120");
        draft.SetCustom("note", "bad\u202Etext");
        var errors = new FieldErrors();

        var lead = draft.Validate("row 7", errors);

        Assert.Null(lead);
        Assert.Equal(["row 7.email", "row 7.fields.note", "row 7.score"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_WhenTextHasAnUnpairedSurrogate_RefusesIt()
    {
        var draft = new LeadDraft();
        draft.Set(Field("email"), "jane@acme.com");
        draft.Set(Field("company"), "Acme \uD83D");
        var errors = new FieldErrors();

        Assert.Null(draft.Validate("", errors));
        Assert.Equal("contains invalid Unicode (an unpaired surrogate).", Assert.Single(errors.All).Message);
    }

    [Fact]
    public void Validate_WhenValuesHaveSurroundingSpaces_TrimsThem()
    {
        var draft = new LeadDraft();
        draft.Set(Field("email"), "  jane@acme.com\t");
        draft.Set(Field("companySize"), " 1000+ ");
        draft.SetCustom("industry", "  Retail  ");
        draft.SetCustom("empty", "   ");

        var lead = draft.Validate("", new FieldErrors());

        Assert.NotNull(lead);
        Assert.Equal("jane@acme.com", lead.Email);
        Assert.Equal("1000+", lead.CompanySize);
        Assert.Equal(1000, lead.CompanySizeMin);
        Assert.Equal("Retail", lead.Fields["industry"]);
        Assert.False(lead.Fields.ContainsKey("empty"));
    }

    [Fact]
    public void Validate_WhenCustomFieldNameTooLong_RefusesIt()
    {
        var draft = new LeadDraft();
        draft.Set(Field("phone"), "+1 555 0100");
        var name = new string('k', LeadFields.MaxCustomKeyLength + 1);
        draft.SetCustom(name, "v");
        var errors = new FieldErrors();

        Assert.Null(draft.Validate("", errors));
        Assert.StartsWith("name must be at most 100 characters", errors.ToDictionary()["fields." + name][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenErrorsAlreadyHeldOtherProblems_StillReturnsTheValidLead()
    {
        var errors = new FieldErrors();
        errors.Add("leads[0].email", "is not a valid email address.");
        var draft = new LeadDraft();
        draft.Set(Field("email"), "jane@acme.com");

        Assert.NotNull(draft.Validate("leads[1]", errors));
        Assert.Equal(1, errors.Count);
    }
}
