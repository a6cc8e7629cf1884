using System.Text;
using TeamBot.Core.Leads;

namespace TeamBot.Core.Tests.Leads;

public class LeadJsonReaderTests
{
    private sealed record Result(LeadBatch? Batch, IReadOnlyDictionary<string, string[]> Errors)
    {
        public string Error(string path)
        {
            Assert.True(Errors.ContainsKey(path), $"Expected an error at '{path}'; got {string.Join(", ", Errors.Keys)}.");
            return string.Join(" | ", Errors[path]);
        }
    }

    private static Result Read(string json, int maxLeads = 100) => Read(Encoding.UTF8.GetBytes(json), maxLeads);

    private static Result Read(byte[] utf8, int maxLeads = 100)
    {
        var errors = new FieldErrors();
        var batch = LeadJsonReader.Read(utf8, maxLeads, errors);
        if (batch is null) Assert.True(errors.Any, "A refused body must say why.");
        else Assert.False(errors.Any, "An accepted body must have no errors.");
        return new Result(batch, errors.ToDictionary());
    }

    private static LeadData Single(string json)
    {
        var result = Read(json);
        Assert.True(result.Batch is not null, "Expected the lead to be accepted; got " +
            string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        Assert.False(result.Batch.IsBatch);
        return Assert.Single(result.Batch.Leads);
    }

    private static string Refused(string json, string path)
    {
        var result = Read(json);
        Assert.Null(result.Batch);
        return result.Error(path);
    }

    [Fact]
    public void Read_WhenSingleValidLead_ReturnsItWithEveryField()
    {
        var lead = Single("""
            {
              "externalId": "crm-981",
              "email": " jane@acme.com ",
              "firstName": "Jane",
              "lastName": "Doe",
              "company": "Acme Inc.",
              "title": "VP Sales",
              "phone": "+49 (30) 123-456",
              "source": "webinar",
              "campaign": "Spring launch",
              "segment": "enterprise",
              "country": "DE",
              "companySize": "51-200",
              "score": "87.5",
              "reason": "Asked for a demo",
              "url": "https://crm.example.com/leads/981",
              "fields": { "industry": "Retail" }
            }
            """);

        Assert.Equal("crm-981", lead.ExternalId);
        Assert.Equal("jane@acme.com", lead.Email);
        Assert.Equal("Jane Doe", lead.DisplayName);
        Assert.Equal("Acme Inc.", lead.Company);
        Assert.Equal("VP Sales", lead.Title);
        Assert.Equal("+49 (30) 123-456", lead.Phone);
        Assert.Equal("webinar", lead.Source);
        Assert.Equal("Spring launch", lead.Campaign);
        Assert.Equal("enterprise", lead.Segment);
        Assert.Equal("DE", lead.Country);
        Assert.Equal("51-200", lead.CompanySize);
        Assert.Equal(51, lead.CompanySizeMin);
        Assert.Equal(87.5m, lead.Score);
        Assert.Equal("Asked for a demo", lead.Reason);
        Assert.Equal("https://crm.example.com/leads/981", lead.Url);
        Assert.Equal("Retail", lead.Fields["industry"]);
    }

    [Fact]
    public void Read_WhenBatch_ReturnsEveryLeadInOrder()
    {
        var result = Read("""{"leads": [{"email": "a@acme.com"}, {"phone": "+1 555 0100"}, {"email": "c@acme.com"}]}""");

        Assert.NotNull(result.Batch);
        Assert.True(result.Batch.IsBatch);
        Assert.Equal(["a@acme.com", null, "c@acme.com"], result.Batch.Leads.Select(l => l.Email));
        Assert.Equal("+1 555 0100", result.Batch.Leads[1].Phone);
    }

    [Fact]
    public void Read_WhenFourthLeadOfBatchHasBadEmail_NamesItsPath()
    {
        var error = Refused("""
            {"leads": [
              {"email": "a@acme.com"}, {"email": "b@acme.com"}, {"email": "c@acme.com"}, {"email": "not an email"}
            ]}
            """, "leads[3].email");

        Assert.Equal("is not a valid email address.", error);
    }

    [Fact]
    public void Read_WhenSingleLeadHasBadEmail_UsesTheBareFieldName()
    {
        var result = Read("""{"email": "jane.acme.com"}""");

        Assert.Null(result.Batch);
        Assert.Equal(["email"], result.Errors.Keys);
    }

    [Fact]
    public void Read_WhenBatchHasSeveralBadLeads_ReportsEveryOne()
    {
        var result = Read("""
            {"leads": [
              {"email": "bad"},
              {"email": "fine@acme.com"},
              {"firstName": "No contact"},
              {"email": "x@acme.com", "score": 300, "url": "javascript:alert(1)"}
            ]}
            """);

        Assert.Null(result.Batch);
        Assert.Equal(
            ["leads[0].email", "leads[2].email", "leads[3].score", "leads[3].url"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("5", "a number")]
    [InlineData("{\"address\": \"jane@acme.com\"}", "an object")]
    [InlineData("[\"jane@acme.com\"]", "an array")]
    [InlineData("true", "true/false")]
    public void Read_WhenTextFieldHasAnotherJsonType_SaysAStringIsExpected(string value, string kind)
    {
        var error = Refused($$"""{"phone": "+1 555 0100", "email": {{value}}}""", "email");

        Assert.Equal($"must be a string, not {kind}.", error);
    }

    [Fact]
    public void Read_WhenNumberFieldHasTrue_SaysANumberOrStringIsExpected()
    {
        var error = Refused("""{"email": "jane@acme.com", "score": true}""", "score");

        Assert.Equal("must be a number or a string, not true/false.", error);
    }

    [Fact]
    public void Read_WhenNumbersGivenForIdPhoneScoreAndSize_AcceptsThem()
    {
        var lead = Single("""{"externalId": 12345, "phone": 4915112345678, "score": 87.5, "companySize": 250}""");

        Assert.Equal("12345", lead.ExternalId);
        Assert.Equal("4915112345678", lead.Phone);
        Assert.Equal(87.5m, lead.Score);
        Assert.Equal("250", lead.CompanySize);
        Assert.Equal(250, lead.CompanySizeMin);
    }

    [Fact]
    public void Read_WhenNullGivenForAField_TreatsItAsMissing()
    {
        var lead = Single("""{"email": "jane@acme.com", "company": null, "fields": null}""");

        Assert.Null(lead.Company);
        Assert.Empty(lead.Fields);
    }

    [Fact]
    public void Read_WhenNeitherEmailNorPhone_ReportsEmailAsRequired()
    {
        var error = Refused("""{"firstName": "Jane", "company": "Acme"}""", "email");

        Assert.Contains("is required", error, StringComparison.Ordinal);
        Assert.Contains("email or a phone", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenOnlyPhone_AcceptsTheLead()
    {
        var lead = Single("""{"phone": "030 1234567"}""");

        Assert.Null(lead.Email);
        Assert.Equal("030 1234567", lead.DisplayName);
    }

    [Fact]
    public void Read_WhenEmailAndPhoneAreOnlyWhitespace_TreatsThemAsMissing()
    {
        var error = Refused("""{"email": "   ", "phone": "\t", "firstName": "Jane"}""", "email");

        Assert.Contains("is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenOptionalFieldIsOnlyWhitespace_LeavesItEmpty()
    {
        var lead = Single("""{"email": "jane@acme.com", "company": "   ", "score": " "}""");

        Assert.Null(lead.Company);
        Assert.Null(lead.Score);
    }

    [Theory]
    [InlineData("jane@")]
    [InlineData("jane@acme")]
    [InlineData("jane doe@acme.com")]
    [InlineData("jane@@acme.com")]
    [InlineData("<jane@acme.com>")]
    public void Read_WhenEmailInvalid_RefusesIt(string email)
    {
        var error = Refused($$"""{"email": "{{email}}"}""", "email");

        Assert.Equal("is not a valid email address.", error);
    }

    [Theory]
    [InlineData("call me")]
    [InlineData("12")]
    [InlineData("+49 30 123 ext. 4")]
    public void Read_WhenPhoneInvalid_RefusesIt(string phone)
    {
        var error = Refused($$"""{"email": "jane@acme.com", "phone": "{{phone}}"}""", "phone");

        Assert.StartsWith("is not a valid phone number", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/leads/42")]
    [InlineData("crm.example.com/leads/42")]
    [InlineData("ftp://example.com/lead")]
    [InlineData("file:///etc/passwd")]
    public void Read_WhenUrlIsNotAbsoluteHttp_RefusesIt(string url)
    {
        var error = Refused($$"""{"email": "jane@acme.com", "url": "{{url}}"}""", "url");

        Assert.Equal("must be an absolute http:// or https:// URL.", error);
    }

    [Theory]
    [InlineData("http://crm.example.com/lead?id=1")]
    [InlineData("HTTPS://CRM.EXAMPLE.COM/lead")]
    public void Read_WhenUrlIsAbsoluteHttp_AcceptsIt(string url)
    {
        var lead = Single($$"""{"email": "jane@acme.com", "url": "{{url}}"}""");

        Assert.Equal(url, lead.Url);
    }

    [Theory]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("\"100.01\"")]
    [InlineData("\"high\"")]
    public void Read_WhenScoreOutsideZeroToHundred_RefusesIt(string score)
    {
        var error = Refused($$"""{"email": "jane@acme.com", "score": {{score}}}""", "score");

        Assert.Equal("must be a number from 0 to 100.", error);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("100", 100)]
    [InlineData("\"42\"", 42)]
    public void Read_WhenScoreAtTheEdges_AcceptsIt(string score, int expected)
    {
        var lead = Single($$"""{"email": "jane@acme.com", "score": {{score}}}""");

        Assert.Equal(expected, lead.Score);
    }

    [Theory]
    [InlineData("250", 250)]
    [InlineData("51-200", 51)]
    [InlineData("51 – 200", 51)]
    [InlineData("1,000+", 1000)]
    [InlineData("1000+", 1000)]
    public void Read_WhenCompanySizeInAKnownForm_KeepsTextAndLowerBound(string size, int min)
    {
        var lead = Single($$"""{"email": "jane@acme.com", "companySize": "{{size}}"}""");

        Assert.Equal(size, lead.CompanySize);
        Assert.Equal(min, lead.CompanySizeMin);
    }

    [Theory]
    [InlineData("200-51")]
    [InlineData("about 50")]
    [InlineData("50-")]
    [InlineData("-50")]
    [InlineData("12.5")]
    public void Read_WhenCompanySizeUnreadable_RefusesIt(string size)
    {
        var error = Refused($$"""{"email": "jane@acme.com", "companySize": "{{size}}"}""", "companySize");

        Assert.StartsWith("must be a number of employees such as 250", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenTextHasAControlCharacter_RefusesIt()
    {
        var error = Refused("""{"email": "jane@acme.com", "firstName": "Ja\u0007ne"}""", "firstName");

        Assert.Equal("contains a control character (U+0007); line breaks are not allowed here.", error);
    }

    [Fact]
    public void Read_WhenSingleLineFieldHasALineBreak_RefusesIt()
    {
        var error = Refused("""{"email": "jane@acme.com", "company": "Acme\nEvil"}""", "company");

        Assert.Contains("U+000A", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenReasonHasLineBreaksAndTabs_KeepsThem()
    {
        var lead = Single("""{"email": "jane@acme.com", "reason": "Asked for a demo.\r\n\tBudget approved."}""");

        Assert.Equal("Asked for a demo.\r\n\tBudget approved.", lead.Reason);
    }

    [Fact]
    public void Read_WhenReasonHasOtherControlCharacter_RefusesIt()
    {
        var error = Refused("""{"email": "jane@acme.com", "reason": "ok\u0000"}""", "reason");

        Assert.Equal("contains a control character (U+0000).", error);
    }

    [Theory]
    [InlineData("\\u202E")]
    [InlineData("\\u2066")]
    [InlineData("\\u202A")]
    public void Read_WhenTextHasADirectionOverride_RefusesIt(string escaped)
    {
        var error = Refused($$"""{"email": "jane@acme.com", "company": "Acme{{escaped}}moc.exe"}""", "company");

        Assert.StartsWith("contains an invisible text-direction character", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenTextHasEmojiOutsideTheBasicPlane_AcceptsIt()
    {
        var lead = Single("""{"email": "jane@acme.com", "company": "Acme \ud83d\ude80"}""");

        Assert.Equal("Acme 🚀", lead.Company);
    }

    [Theory]
    [InlineData("company", "\\ud800")]
    [InlineData("company", "a\\udc00b")]
    [InlineData("reason", "\\ud83d")]
    public void Read_WhenTextHasAnUnpairedSurrogate_RefusesIt(string field, string escaped)
    {
        var error = Refused($$"""{"email": "jane@acme.com", "{{field}}": "{{escaped}}"}""", field);

        Assert.Contains("unpaired surrogate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenCustomFieldHasAnUnpairedSurrogate_RefusesIt()
    {
        var error = Refused("""{"email": "jane@acme.com", "fields": {"note": "\ud800"}}""", "fields.note");

        Assert.Contains("unpaired surrogate", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("firstName", 200)]
    [InlineData("source", 100)]
    [InlineData("reason", 2000)]
    public void Read_WhenTextLongerThanItsField_SaysTheLimit(string field, int max)
    {
        var ok = Single($$"""{"email": "jane@acme.com", "{{field}}": "{{new string('x', max)}}"}""");
        Assert.NotNull(ok);

        var error = Refused($$"""{"email": "jane@acme.com", "{{field}}": "{{new string('x', max + 1)}}"}""", field);

        Assert.Equal($"must be at most {max:N0} characters (got {max + 1:N0}).", error);
    }

    [Fact]
    public void Read_WhenEmailLongerThan254_RefusesIt()
    {
        var error = Refused($$"""{"email": "{{new string('a', 250)}}@acme.com"}""", "email");

        Assert.StartsWith("must be at most 254 characters", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Email", "email")]
    [InlineData("e-mail", "email")]
    [InlineData("first_name", "firstName")]
    [InlineData("jobTitle", "title")]
    public void Read_WhenFieldNameIsCloseToALeadField_SuggestsIt(string given, string suggested)
    {
        var error = Refused($$"""{"phone": "+1 555 0100", "{{given}}": "x"}""", given);

        Assert.Equal($"is not a lead field; did you mean '{suggested}'?", error);
    }

    [Fact]
    public void Read_WhenFieldNameIsUnknown_PointsToCustomFields()
    {
        var error = Refused("""{"phone": "+1 555 0100", "favouriteColour": "blue"}""", "favouriteColour");

        Assert.Equal("is not a lead field; put custom data under 'fields'.", error);
    }

    [Fact]
    public void Read_WhenKeyAppearsTwice_RefusesIt()
    {
        var error = Refused("""{"email": "a@acme.com", "email": "b@acme.com"}""", "email");

        Assert.Equal("appears more than once.", error);
    }

    [Fact]
    public void Read_WhenCustomKeyAppearsTwice_RefusesIt()
    {
        var error = Refused("""{"email": "a@acme.com", "fields": {"industry": "Retail", "industry": "Food"}}""", "fields.industry");

        Assert.Equal("appears more than once.", error);
    }

    [Fact]
    public void Read_WhenCustomFieldsHoldScalars_KeepsThemAsText()
    {
        var lead = Single("""{"email": "a@acme.com", "fields": {"industry": "Retail", "seats": 40, "trial": true, "paid": false, "gone": null}}""");

        Assert.Equal("Retail", lead.Fields["industry"]);
        Assert.Equal("40", lead.Fields["seats"]);
        Assert.Equal("true", lead.Fields["trial"]);
        Assert.Equal("false", lead.Fields["paid"]);
        Assert.False(lead.Fields.ContainsKey("gone"));
    }

    [Fact]
    public void Read_WhenCustomFieldHoldsAnObject_NamesItsPath()
    {
        var error = Refused("""{"email": "a@acme.com", "fields": {"x": {"y": 1}}}""", "fields.x");

        Assert.Equal("must be text, a number, true/false or null, not an object.", error);
    }

    [Fact]
    public void Read_WhenCustomFieldsIsNotAnObject_RefusesIt()
    {
        var error = Refused("""{"email": "a@acme.com", "fields": ["Retail"]}""", "fields");

        Assert.StartsWith("must be an object of names to text", error, StringComparison.Ordinal);
        Assert.EndsWith("not an array.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenMoreThanFiftyCustomFields_RefusesThem()
    {
        var fifty = string.Join(", ", Enumerable.Range(1, 50).Select(i => $"\"f{i}\": \"v\""));
        Assert.Equal(50, Single($$"""{"email": "a@acme.com", "fields": { {{fifty}} } }""").Fields.Count);

        var error = Refused($$"""{"email": "a@acme.com", "fields": { {{fifty}}, "f51": "v" } }""", "fields");

        Assert.Equal("may hold at most 50 entries (got 51).", error);
    }

    [Fact]
    public void Read_WhenCustomFieldNameIsEmpty_RefusesIt()
    {
        var error = Refused("""{"email": "a@acme.com", "fields": {" ": "v"}}""", "fields. ");

        Assert.Equal("has an empty name.", error);
    }

    [Fact]
    public void Read_WhenLeadsIsEmpty_AsksForAtLeastOne()
    {
        var error = Refused("""{"leads": []}""", "leads");

        Assert.Equal("must contain at least one lead.", error);
    }

    [Fact]
    public void Read_WhenMoreLeadsThanAllowed_MentionsTheLimit()
    {
        var result = Read("""{"leads": [{"email": "a@acme.com"}, {"email": "b@acme.com"}, {"email": "c@acme.com"}]}""", maxLeads: 2);

        Assert.Null(result.Batch);
        Assert.Equal("may contain at most 2 leads per request (got 3).", result.Error("leads"));
    }

    [Fact]
    public void Read_WhenExactlyMaxLeads_AcceptsThem()
    {
        var result = Read("""{"leads": [{"email": "a@acme.com"}, {"email": "b@acme.com"}]}""", maxLeads: 2);

        Assert.Equal(2, result.Batch?.Leads.Count);
    }

    [Fact]
    public void Read_WhenPropertiesNextToLeads_RefusesThem()
    {
        var error = Refused("""{"source": "webinar", "leads": [{"email": "a@acme.com"}]}""", "source");

        Assert.Contains("is not allowed next to 'leads'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenLeadsGivenTwice_RefusesIt()
    {
        var error = Refused("""{"leads": [{"email": "a@acme.com"}], "leads": [{"email": "b@acme.com"}]}""", "leads");

        Assert.Equal("appears more than once.", error);
    }

    [Fact]
    public void Read_WhenLeadsIsNotAnArray_RefusesIt()
    {
        var error = Refused("""{"leads": {"email": "a@acme.com"}}""", "leads");

        Assert.Equal("must be an array of lead objects, not an object.", error);
    }

    [Fact]
    public void Read_WhenBatchItemIsNotAnObject_SaysItMustBeALeadObject()
    {
        var result = Read("""{"leads": [{"email": "a@acme.com"}, "b@acme.com", 3]}""");

        Assert.Null(result.Batch);
        Assert.Equal("must be a lead object, not a string.", result.Error("leads[1]"));
        Assert.Equal("must be a lead object, not a number.", result.Error("leads[2]"));
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"jane@acme.com\"", "a string")]
    [InlineData("null", "null")]
    public void Read_WhenRootIsNotAnObject_RefusesIt(string json, string kind)
    {
        var error = Refused(json, "$");

        Assert.Equal($"must be a lead object or {{\"leads\": [...]}}, not {kind}.", error);
    }

    [Theory]
    [InlineData("{\"email\": ")]
    [InlineData("{\"email\": \"a@acme.com\",}")]
    [InlineData("")]
    [InlineData("{\"email\": 'a@acme.com'}")]
    public void Read_WhenJsonIsMalformed_ReportsItAtTheRoot(string json)
    {
        var result = Read(json);

        Assert.Null(result.Batch);
        Assert.Equal(["$"], result.Errors.Keys);
        Assert.StartsWith("is not valid JSON: ", result.Error("$"), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenJsonIsMalformed_SaysWhere()
    {
        var error = Refused("{\n  \"email\": \"a@acme.com\"\n  \"phone\": \"1\"\n}", "$");

        Assert.Contains("(line 3, byte 3)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenBodyHasInvalidUtf8_RefusesIt()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"email": "a@acme.com", "company": "Acme X"}""");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;

        var result = Read(bytes);

        Assert.Null(result.Batch);
        Assert.Contains("not UTF-8", result.Error("company"), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenBatchLeadHasAnUnpairedSurrogate_NamesItsPath()
    {
        var result = Read("""{"leads": [{"email": "a@acme.com"}, {"email": "b@acme.com", "fields": {"note": "cut \ud83d"}}]}""");

        Assert.Null(result.Batch);
        Assert.Contains("unpaired surrogate", result.Error("leads[1].fields.note"), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenPropertyNameHasAnUnpairedSurrogate_RefusesTheBody()
    {
        var error = Refused("""{"email": "a@acme.com", "\ud800": "x"}""", "$");

        Assert.StartsWith("has a property name that contains invalid Unicode", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenNestedDeeperThanMaxDepth_RefusesIt()
    {
        var deep = new string('[', LeadJsonReader.MaxDepth) + new string(']', LeadJsonReader.MaxDepth);

        var error = Refused($$"""{"email": "a@acme.com", "fields": {"x": {{deep}} } }""", "$");

        Assert.StartsWith("is not valid JSON", error, StringComparison.Ordinal);
        Assert.Contains("depth", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenBatchLeadsHaveDifferentFields_KeepsEachLeadsOwn()
    {
        var result = Read("""{"leads": [{"email": "a@acme.com", "company": "Acme", "fields": {"seats": 4}}, {"phone": "+1 555 0100"}]}""");

        Assert.NotNull(result.Batch);
        Assert.Equal("Acme", result.Batch.Leads[0].Company);
        Assert.Equal("4", result.Batch.Leads[0].Fields["seats"]);
        Assert.Null(result.Batch.Leads[1].Company);
        Assert.Null(result.Batch.Leads[1].Email);
        Assert.Empty(result.Batch.Leads[1].Fields);
    }

    [Fact]
    public void Read_WhenFieldNameIsEscaped_ReadsItAsTheField()
    {
        var lead = Single("""{"\u0065mail": "jane@acme.com", "comp\u0061ny": "Acme"}""");

        Assert.Equal("jane@acme.com", lead.Email);
        Assert.Equal("Acme", lead.Company);
    }

    [Fact]
    public void Read_WhenFieldGivenPlainAndEscaped_SaysItAppearsTwice()
    {
        var error = Refused("""{"email": "a@acme.com", "\u0065mail": "b@acme.com"}""", "email");

        Assert.Equal("appears more than once.", error);
    }
}
