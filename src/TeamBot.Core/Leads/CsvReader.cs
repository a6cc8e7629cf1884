using System.Text;

namespace TeamBot.Core.Leads;

/// <summary>One CSV record and the line of the file where it starts (1-based, counting the header).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Values);

/// <summary>
/// Reads RFC 4180 CSV: quoted fields with doubled quotes, line breaks inside quotes, CRLF or LF, a UTF-8 byte
/// order mark. The delimiter (comma, semicolon or tab) is taken from the header line. Blank lines are skipped.
/// </summary>
public sealed class CsvReader(TextReader source)
{
    private readonly PeekableReader _reader = source as PeekableReader ?? new PeekableReader(source);
    private int _line = 1;
    private char? _delimiter;

    public char Delimiter => _delimiter ?? ',';

    /// <summary>Reads the next record, or null at the end. Throws <see cref="FormatException"/> for a quote that never closes.</summary>
    public CsvRecord? Read()
    {
        while (true)
        {
            var start = _line;
            var values = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var sawAnything = false;

            if (_delimiter is null) _delimiter = DetectDelimiter();

            while (true)
            {
                var next = _reader.Read();
                if (next == -1)
                {
                    if (quoted) throw new FormatException($"Line {start}: a quoted value is never closed.");
                    if (!sawAnything) return null;
                    values.Add(field.ToString());
                    return Finish(start, values);
                }

                var c = (char)next;
                if (c == '\uFEFF' && start == 1 && !sawAnything) continue;
                sawAnything = true;

                if (quoted)
                {
                    if (c == '"')
                    {
                        if (_reader.Peek() == '"')
                        {
                            _reader.Read();
                            field.Append('"');
                        }
                        else
                        {
                            quoted = false;
                        }
                    }
                    else
                    {
                        if (c == '\n') _line++;
                        field.Append(c);
                    }
                    continue;
                }

                if (c == '"' && field.Length == 0)
                {
                    quoted = true;
                }
                else if (c == _delimiter)
                {
                    values.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '\r' || c == '\n')
                {
                    if (c == '\r' && _reader.Peek() == '\n') _reader.Read();
                    _line++;
                    values.Add(field.ToString());
                    if (values.Count == 1 && values[0].Length == 0) break; // a blank line
                    return Finish(start, values);
                }
                else
                {
                    field.Append(c);
                }
            }
        }
    }

    private static CsvRecord Finish(int line, List<string> values) => new(line, values);

    private char DetectDelimiter()
    {
        var header = _reader.PeekLine();
        var counts = new Dictionary<char, int> { [','] = 0, [';'] = 0, ['\t'] = 0 };
        var inQuotes = false;
        foreach (var c in header)
        {
            if (c == '"') inQuotes = !inQuotes;
            else if (!inQuotes && counts.TryGetValue(c, out var count)) counts[c] = count + 1;
        }
        var best = counts.MaxBy(kv => kv.Value);
        return best.Value > 0 ? best.Key : ',';
    }
}

/// <summary>A TextReader that can look at its first line before it is read.</summary>
public sealed class PeekableReader(TextReader inner) : TextReader
{
    private string? _buffer;
    private int _position;

    /// <summary>The first line that is not blank (what a header is), without consuming anything.</summary>
    public string PeekLine()
    {
        if (_buffer is null)
        {
            var read = new StringBuilder();
            var line = new StringBuilder();
            int c;
            while ((c = inner.Read()) != -1)
            {
                read.Append((char)c);
                line.Append((char)c);
                if (c != '\n') continue;
                if (line.ToString().Trim('\uFEFF').Trim().Length > 0) break;
                line.Clear();
            }
            _buffer = read.ToString();
            _firstLine = line.ToString();
        }
        return _firstLine!;
    }

    private string? _firstLine;

    public override int Peek()
    {
        if (_buffer is not null && _position < _buffer.Length) return _buffer[_position];
        return inner.Peek();
    }

    public override int Read()
    {
        if (_buffer is not null && _position < _buffer.Length) return _buffer[_position++];
        return inner.Read();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
