using TeamBot.Core.Leads;

namespace TeamBot.Core.Tests.Leads;

public class CsvReaderTests
{
    private static List<CsvRecord> ReadAll(string text, out char delimiter)
    {
        var reader = new CsvReader(new StringReader(text));
        var records = new List<CsvRecord>();
        while (reader.Read() is { } record) records.Add(record);
        delimiter = reader.Delimiter;
        return records;
    }

    private static List<CsvRecord> ReadAll(string text) => ReadAll(text, out _);

    [Fact]
    public void Read_WhenPlainCommaFile_ReturnsHeaderAndRowsWithTheirLines()
    {
        var records = ReadAll("email,firstName\njane@acme.com,Jane\nsam@acme.com,Sam\n", out var delimiter);

        Assert.Equal(',', delimiter);
        Assert.Equal([1, 2, 3], records.Select(r => r.Line));
        Assert.Equal(["email", "firstName"], records[0].Values);
        Assert.Equal(["sam@acme.com", "Sam"], records[2].Values);
    }

    [Fact]
    public void Read_WhenQuotedFieldHoldsCommasAndDoubledQuotes_UnquotesIt()
    {
        var records = ReadAll("company,reason\n\"Acme, Inc.\",\"She said \"\"call me\"\" twice\"\n");

        Assert.Equal(["Acme, Inc.", "She said \"call me\" twice"], records[1].Values);
    }

    [Fact]
    public void Read_WhenQuotedFieldIsEmpty_ReturnsAnEmptyValue()
    {
        var records = ReadAll("a,b,c\n\"\",x,\"\"\n");

        Assert.Equal(["", "x", ""], records[1].Values);
    }

    [Fact]
    public void Read_WhenQuotedFieldHasLineBreaks_KeepsThemAndCountsLinesForTheNextRecord()
    {
        var records = ReadAll("email,reason\na@acme.com,\"line one\nline two\nline three\"\nb@acme.com,short\n");

        Assert.Equal(3, records.Count);
        Assert.Equal(2, records[1].Line);
        Assert.Equal("line one\nline two\nline three", records[1].Values[1]);
        Assert.Equal(5, records[2].Line);
        Assert.Equal("b@acme.com", records[2].Values[0]);
    }

    [Fact]
    public void Read_WhenCrLfLineEnds_ReadsTheSameAsLf()
    {
        var crlf = ReadAll("email,name\r\na@acme.com,Ann\r\n\"b@acme.com\",\"Bo\r\nB\"\r\nc@acme.com,Cy\r\n");

        Assert.Equal([1, 2, 3, 5], crlf.Select(r => r.Line));
        Assert.Equal(["a@acme.com", "Ann"], crlf[1].Values);
        Assert.Equal(["c@acme.com", "Cy"], crlf[3].Values);
        Assert.DoesNotContain(crlf.SelectMany(r => r.Values), v => v.EndsWith('\r'));
    }

    [Fact]
    public void Read_WhenLastLineHasNoLineBreak_StillReturnsIt()
    {
        var records = ReadAll("email\na@acme.com");

        Assert.Equal(["a@acme.com"], records[1].Values);
    }

    [Fact]
    public void Read_WhenFileStartsWithByteOrderMark_DropsIt()
    {
        var records = ReadAll("\uFEFFemail,company\na@acme.com,Acme\n");

        Assert.Equal("email", records[0].Values[0]);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public void Read_WhenHeaderUsesSemicolons_SplitsOnSemicolons()
    {
        var records = ReadAll("email;company;size\na@acme.com;\"Acme; Berlin\";51,200\n", out var delimiter);

        Assert.Equal(';', delimiter);
        Assert.Equal(["a@acme.com", "Acme; Berlin", "51,200"], records[1].Values);
    }

    [Fact]
    public void Read_WhenHeaderUsesTabs_SplitsOnTabs()
    {
        var records = ReadAll("email\tcompany\na@acme.com\tAcme, Inc.\n", out var delimiter);

        Assert.Equal('\t', delimiter);
        Assert.Equal(["a@acme.com", "Acme, Inc."], records[1].Values);
    }

    [Fact]
    public void Read_WhenHeaderQuotesTheOtherDelimiter_IgnoresItInDetection()
    {
        var records = ReadAll("\"a,b,c\";d\n1;2\n", out var delimiter);

        Assert.Equal(';', delimiter);
        Assert.Equal(["a,b,c", "d"], records[0].Values);
    }

    [Fact]
    public void Read_WhenBlankLinesBetweenRows_SkipsThemButCountsThem()
    {
        var records = ReadAll("email\n\na@acme.com\r\n\r\n\nb@acme.com\n\n");

        Assert.Equal(3, records.Count);
        Assert.Equal([1, 3, 6], records.Select(r => r.Line));
    }

    [Fact]
    public void Read_WhenEmptyText_ReturnsNothing()
    {
        Assert.Empty(ReadAll(""));
    }

    [Fact]
    public void Read_WhenQuoteNeverCloses_ThrowsNamingTheLineItStarts()
    {
        var reader = new CsvReader(new StringReader("email,reason\na@acme.com,fine\n\nb@acme.com,\"never closed\nc@acme.com,x\n"));
        reader.Read();
        reader.Read();

        var ex = Assert.Throws<FormatException>(() => reader.Read());

        Assert.Equal("Line 4: a quoted value is never closed.", ex.Message);
    }

    [Fact]
    public void Read_WhenDelimiterIsInsideQuotes_KeepsItInTheValue()
    {
        var records = ReadAll("a,b\n\"1,2\",3\n");

        Assert.Equal(["1,2", "3"], records[1].Values);
    }

    [Fact]
    public void Read_WhenTheFileStartsWithBlankLines_TakesTheDelimiterFromTheHeader()
    {
        var records = ReadAll("\n\r\nemail;firstName;company\njane@acme.com;Jane;Acme, Inc.\n", out var delimiter);

        Assert.Equal(';', delimiter);
        Assert.Equal(3, records[0].Line);
        Assert.Equal(["jane@acme.com", "Jane", "Acme, Inc."], records[1].Values);
    }
}
