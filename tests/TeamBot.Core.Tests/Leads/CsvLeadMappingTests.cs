using TeamBot.Core.Leads;

namespace TeamBot.Core.Tests.Leads;

public class CsvLeadMappingTests
{
    private static CsvLeadMapping Parse(string json)
    {
        var errors = new List<string>();
        var mapping = CsvLeadMapping.Parse(json, errors);
        Assert.Empty(errors);
        Assert.NotNull(mapping);
        return mapping;
    }

    private static List<string> ParseErrors(string json)
    {
        var errors = new List<string>();
        Assert.Null(CsvLeadMapping.Parse(json, errors));
        Assert.NotEmpty(errors);
        return errors;
    }

    private static LeadData Lead(CsvLeadMapping mapping, IReadOnlyList<string?> targets, params string[] values)
    {
        var errors = new FieldErrors();
        var lead = mapping.Draft(targets, values).Validate("", errors);
        Assert.False(errors.Any, string.Join("; ", errors.All.Select(e => $"{e.Path}: {e.Message}")));
        return lead!;
    }

    [Fact]
    public void Resolve_WhenHeadersAreLooselyNamed_MatchesTheLeadFields()
    {
        var errors = new List<string>();
        var ignored = new List<string>();

        var targets = CsvLeadMapping.Automatic.Resolve(
            ["E-mail Address", "First Name", " last_name ", "Employees", "Job Title", "Lead Source"], errors, ignored);

        Assert.Equal(["email", "firstName", "lastName", "companySize", "title", "source"], targets);
        Assert.Empty(errors);
        Assert.Empty(ignored);
    }

    [Fact]
    public void Resolve_WhenHeadersAreUnknown_ListsThemAsIgnored()
    {
        var errors = new List<string>();
        var ignored = new List<string>();

        var targets = CsvLeadMapping.Automatic.Resolve(["Email", "Favourite Colour", "", "Shoe size"], errors, ignored);

        Assert.Equal(["email", null, null, null], targets);
        Assert.Equal(["Favourite Colour", "Shoe size"], ignored);
        Assert.Empty(errors);
    }

    [Fact]
    public void Resolve_WhenTwoColumnsMeanTheSameField_ReportsBoth()
    {
        var errors = new List<string>();

        CsvLeadMapping.Automatic.Resolve(["Email", "Work Email"], errors, []);

        var error = Assert.Single(errors);
        Assert.Contains("\"Email\" and \"Work Email\" both map to email", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Draft_WhenAutomaticMapping_BuildsTheLeadFromTheRow()
    {
        var targets = CsvLeadMapping.Automatic.Resolve(["E-mail Address", "First Name", "Employees", "Notes"], [], []);

        var lead = Lead(CsvLeadMapping.Automatic, targets, "jane@acme.com", "Jane", "1,000+", "Met at the booth");

        Assert.Equal("jane@acme.com", lead.Email);
        Assert.Equal("Jane", lead.FirstName);
        Assert.Equal(1000, lead.CompanySizeMin);
        Assert.Equal("Met at the booth", lead.Reason);
    }

    [Fact]
    public void Parse_WhenMappingFileNamesColumnsAndDefaults_AppliesThem()
    {
        var mapping = Parse("""
            {
              // comments and trailing commas are fine in a hand-written file
              "columns": {"Lead Source": "source", "Industry": "fields.industry", "Notes": null, "Contact": "email",},
              "defaults": {"campaign": "Expo 2026", "fields.booth": "B12"}
            }
            """);
        var ignored = new List<string>();
        var errors = new List<string>();

        var targets = mapping.Resolve(["contact", "Lead Source", "Industry", "Notes", "Extra"], errors, ignored);
        var lead = Lead(mapping, targets, "jane@acme.com", "event", "Retail", "ignore me", "x");

        Assert.Equal(["email", "source", "fields.industry", null, null], targets);
        Assert.Equal(["Extra"], ignored);
        Assert.Empty(errors);
        Assert.Equal("event", lead.Source);
        Assert.Equal("Expo 2026", lead.Campaign);
        Assert.Equal("Retail", lead.Fields["industry"]);
        Assert.Equal("B12", lead.Fields["booth"]);
        Assert.Null(lead.Reason);
    }

    [Fact]
    public void Draft_WhenRowHasAValueForADefaultedField_RowWinsButEmptyCellKeepsDefault()
    {
        var mapping = Parse("""{"defaults": {"campaign": "Expo 2026"}}""");
        var targets = mapping.Resolve(["email", "campaign"], [], []);

        Assert.Equal("Spring", Lead(mapping, targets, "a@acme.com", "Spring").Campaign);
        Assert.Equal("Expo 2026", Lead(mapping, targets, "b@acme.com", "").Campaign);
    }

    [Fact]
    public void Draft_WhenRowIsShorterThanTheHeader_LeavesMissingCellsEmpty()
    {
        var targets = CsvLeadMapping.Automatic.Resolve(["email", "company", "country"], [], []);

        var lead = Lead(CsvLeadMapping.Automatic, targets, "a@acme.com");

        Assert.Null(lead.Company);
        Assert.Null(lead.Country);
    }

    [Fact]
    public void Parse_WhenColumnMapsToUnknownField_NamesTheColumnAndTheChoices()
    {
        var errors = ParseErrors("""{"columns": {"Colour": "colour", "Size": 5, "Bad": "fields."}}""");

        Assert.Equal(3, errors.Count);
        Assert.Contains("mapping columns.\"Colour\": \"colour\" is not a lead field", errors[0], StringComparison.Ordinal);
        Assert.Contains("email", errors[0], StringComparison.Ordinal);
        Assert.Contains("fields.<name>", errors[0], StringComparison.Ordinal);
        Assert.Contains("columns.\"Size\": number is not a lead field", errors[1], StringComparison.Ordinal);
        Assert.Contains("columns.\"Bad\"", errors[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenDefaultIsForUnknownFieldOrNotText_RefusesIt()
    {
        var errors = ParseErrors("""{"defaults": {"colour": "blue", "score": 50}}""");

        Assert.Equal(2, errors.Count);
        Assert.Contains("defaults.\"colour\"", errors[0], StringComparison.Ordinal);
        Assert.Contains("defaults.\"score\"", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenUnknownTopLevelProperty_RefusesIt()
    {
        var errors = ParseErrors("""{"columns": {}, "colums": {}}""");

        Assert.Contains("mapping \"colums\": only \"columns\"", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenNotAnObject_RefusesIt()
    {
        var errors = ParseErrors("""["columns"]""");

        Assert.StartsWith("The mapping file must be a JSON object", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenInvalidJson_SaysSo()
    {
        var errors = ParseErrors("""{"columns": {"Email": "email"}""");

        Assert.StartsWith("The mapping file is not valid JSON:", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WhenMappedColumnIsMissingFromTheFile_SaysSo()
    {
        var mapping = Parse("""{"columns": {"Lead Source": "source", "Notes": null}}""");
        var errors = new List<string>();

        mapping.Resolve(["Email", "Company"], errors, []);

        Assert.Equal("The mapping names the column \"Lead Source\", which the file does not have.", Assert.Single(errors));
    }

    [Fact]
    public void Resolve_WhenMappingSendsTwoColumnsToOneField_ReportsIt()
    {
        var mapping = Parse("""{"columns": {"Contact": "email", "Backup": "email"}}""");
        var errors = new List<string>();

        mapping.Resolve(["Contact", "Backup"], errors, []);

        Assert.Contains("\"Contact\" and \"Backup\" both map to email", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WhenMappingSkipsAColumnThatWouldMatch_LeavesItOut()
    {
        var mapping = Parse("""{"columns": {"Work Email": null}}""");
        var errors = new List<string>();
        var ignored = new List<string>();

        var targets = mapping.Resolve(["Email", "Work Email"], errors, ignored);

        Assert.Equal(["email", null], targets);
        Assert.Empty(errors);
        Assert.Empty(ignored);
    }
}
