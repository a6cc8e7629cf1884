using System.Text;
using TeamBot.Core.Leads;

namespace TeamBot.Host.Cli;

/// <summary>A row that was not imported, and why.</summary>
public sealed record RowProblem(int Line, string Field, string Problem);

public sealed record ImportReport(int Rows, int Imported, int Duplicates, IReadOnlyList<RowProblem> Problems, IReadOnlyList<string> IgnoredColumns)
{
    public int Rejected => Problems.Select(p => p.Line).Distinct().Count();
}

/// <summary>Imports leads from CSV: every good row is stored (in batches, like webhook leads), every bad row is reported with its line and field.</summary>
public sealed class CsvImport(LeadIntake intake)
{
    public const int BatchSize = 500;

    /// <summary>Problems that stop the import before any row is read (bad header, bad mapping) throw <see cref="ImportException"/>.</summary>
    public async Task<ImportReport> RunAsync(
        string workspaceId, Stream csv, CsvLeadMapping mapping, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var reader = new CsvReader(text);
        var header = ReadOrFail(reader) ?? throw new ImportException(["The file is empty: it needs a header line, then one lead per line."]);

        var errors = new List<string>();
        var ignored = new List<string>();
        var targets = mapping.Resolve(header.Values, errors, ignored);
        if (!targets.Any(t => t is not null)) errors.Add("No column maps to a lead field. Name the columns like the fields (email, firstName, company, …) or give a --mapping file.");
        if (errors.Count > 0) throw new ImportException(errors);

        var problems = new List<RowProblem>();
        var batch = new List<NewLead>(BatchSize);
        int rows = 0, imported = 0, duplicates = 0;

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            var outcomes = await intake.SubmitAsync(workspaceId, batch, cancellationToken);
            imported += outcomes.Count(o => !o.Duplicate);
            duplicates += outcomes.Count(o => o.Duplicate);
            batch.Clear();
        }

        while (true)
        {
            CsvRecord? record;
            try
            {
                record = ReadOrFail(reader);
            }
            catch (ImportException)
            {
                await FlushAsync(); // the rows read before the broken one are kept, as the message says
                throw;
            }
            if (record is null) break;
            rows++;
            if (record.Values.Count > header.Values.Count)
            {
                problems.Add(new RowProblem(record.Line, "(row)", $"has {record.Values.Count} values but the header has {header.Values.Count} columns; quote values that contain the delimiter."));
                continue;
            }
            if (NotUtf8(record.Values, targets, header.Values) is { } column)
            {
                problems.Add(new RowProblem(record.Line, column, NotUtf8Problem));
                continue;
            }
            var fieldErrors = new FieldErrors();
            var lead = mapping.Draft(targets, record.Values).Validate("", fieldErrors);
            if (lead is null)
            {
                problems.AddRange(fieldErrors.All.Select(e => new RowProblem(record.Line, ColumnOf(e.Path, targets, header.Values), e.Message)));
                continue;
            }
            batch.Add(new NewLead(lead, IntakeChannel.Csv, null));
            if (batch.Count >= BatchSize)
            {
                await FlushAsync();
                if (csv.CanSeek && csv.Length > 0) progress?.Report((double)csv.Position / csv.Length);
            }
        }
        await FlushAsync();
        progress?.Report(1);
        return new ImportReport(rows, imported, duplicates, problems, ignored);
    }

    private static CsvRecord? ReadOrFail(CsvReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (FormatException ex)
        {
            throw new ImportException([ex.Message + " Nothing after it could be read; rows before it are imported."]);
        }
    }

    private const string NotUtf8Problem = "contains bytes that are not UTF-8 (read as U+FFFD); save the file as UTF-8.";

    /// <summary>
    /// The first mapped column whose value holds U+FFFD, the character the reader puts in place of bytes that are not
    /// UTF-8 (a Latin-1 or Windows-1252 export): such a row is refused rather than stored with its letters lost.
    /// </summary>
    private static string? NotUtf8(IReadOnlyList<string> values, IReadOnlyList<string?> targets, IReadOnlyList<string> headers)
    {
        for (var i = 0; i < values.Count && i < targets.Count; i++)
        {
            if (targets[i] is { } target && values[i].Contains('\uFFFD', StringComparison.Ordinal)) return ColumnOf(target, targets, headers);
        }
        return null;
    }

    /// <summary>Names a problem by the CSV column it came from, e.g. "E-mail (email)".</summary>
    private static string ColumnOf(string path, IReadOnlyList<string?> targets, IReadOnlyList<string> headers)
    {
        var index = targets.ToList().IndexOf(path);
        return index >= 0 && !string.Equals(headers[index].Trim(), path, StringComparison.OrdinalIgnoreCase) ? $"{headers[index].Trim()} ({path})" : path;
    }
}

/// <summary>The import cannot start or go on; each message says why.</summary>
public sealed class ImportException(IReadOnlyList<string> problems) : Exception(string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
