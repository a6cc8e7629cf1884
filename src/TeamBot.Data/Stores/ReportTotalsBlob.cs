using System.Buffers.Binary;
using System.Text;
using TeamBot.Core.Reports;

namespace TeamBot.Data.Stores;

/// <summary>
/// One grouping's report totals for a day or an hour, as stored in <c>report_days.totals</c>: little-endian, a format
/// byte, the number of groups, then per group its value (length-prefixed UTF-8; length -1 for none), the counts, the
/// SQL counts for ratings 1 to 5, the reasons (code and count) and each claim's seconds as 64-bit floats. One blob per
/// day keeps a 90-day report to about 90 rows, read without a column access per number.
/// </summary>
internal static class ReportTotalsBlob
{
    private const byte Format = 1;

    public static byte[] Write(PeriodTotals totals)
    {
        var size = 5;
        foreach (var (key, tally) in totals.Groups)
        {
            size += 4 + (key is null ? 0 : Encoding.UTF8.GetByteCount(key)) + 8 * 4 + 2 * 8 + 5 * 4 + 4 + 4 + 8 * tally.ClaimSeconds.Count;
            foreach (var code in tally.Reasons.Keys) size += 8 + Encoding.UTF8.GetByteCount(code);
        }

        var blob = new byte[size];
        var span = blob.AsSpan();
        span[0] = Format;
        var at = 1;
        WriteInt(span, ref at, totals.Groups.Count);
        foreach (var (key, tally) in totals.Groups)
        {
            WriteText(span, ref at, key);
            var c = tally.Counts;
            foreach (var value in (ReadOnlySpan<int>)[c.Leads, c.Claimed, c.Rated, c.RatingCount, c.Rejected, c.Meetings, c.Opportunities, c.Won]) WriteInt(span, ref at, value);
            WriteLong(span, ref at, c.RatingSum);
            WriteLong(span, ref at, decimal.ToInt64(decimal.Round(c.WonAmount * 100, MidpointRounding.AwayFromZero)));
            foreach (var value in tally.SqlCounts()) WriteInt(span, ref at, value);
            WriteInt(span, ref at, tally.Reasons.Count);
            foreach (var (code, count) in tally.Reasons)
            {
                WriteText(span, ref at, code);
                WriteInt(span, ref at, count);
            }
            WriteInt(span, ref at, tally.ClaimSeconds.Count);
            foreach (var seconds in tally.ClaimSeconds)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(span[at..], seconds);
                at += 8;
            }
        }
        return blob;
    }

    /// <summary>Adds every group of <paramref name="blob"/> to its group in <paramref name="sum"/>.</summary>
    public static void AddTo(PeriodTotals.Builder sum, ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 5 || blob[0] != Format) throw new InvalidDataException("Report totals in an unknown format: rebuild them (delete the rows of report_days).");
        var at = 1;
        var groups = ReadInt(blob, ref at);
        Span<int> counts = stackalloc int[8];
        Span<int> sqls = stackalloc int[5];
        for (var g = 0; g < groups; g++)
        {
            var group = sum.Group(ReadText(blob, ref at));
            for (var i = 0; i < counts.Length; i++) counts[i] = ReadInt(blob, ref at);
            var ratingSum = ReadLong(blob, ref at);
            var wonCents = ReadLong(blob, ref at);
            for (var i = 0; i < sqls.Length; i++) sqls[i] = ReadInt(blob, ref at);
            var reasons = ReadInt(blob, ref at);
            for (var r = 0; r < reasons; r++)
            {
                var code = ReadText(blob, ref at)!;
                var count = ReadInt(blob, ref at);
                group.AddReason(code, count);
            }
            var claims = ReadInt(blob, ref at);
            var seconds = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(blob.Slice(at, claims * 8));
            at += claims * 8;
            var tally = new TallyCounts(counts[0], counts[1], counts[2], ratingSum, counts[3], counts[4], counts[5], counts[6], counts[7], wonCents / 100m);
            group.Add(tally, sqls, seconds);
        }
    }

    private static void WriteInt(Span<byte> span, ref int at, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], value);
        at += 4;
    }

    private static void WriteLong(Span<byte> span, ref int at, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], value);
        at += 8;
    }

    private static void WriteText(Span<byte> span, ref int at, string? text)
    {
        if (text is null)
        {
            WriteInt(span, ref at, -1);
            return;
        }
        var length = Encoding.UTF8.GetBytes(text, span[(at + 4)..]);
        WriteInt(span, ref at, length);
        at += length;
    }

    private static int ReadInt(ReadOnlySpan<byte> span, ref int at)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
        at += 4;
        return value;
    }

    private static long ReadLong(ReadOnlySpan<byte> span, ref int at)
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
        at += 8;
        return value;
    }

    private static string? ReadText(ReadOnlySpan<byte> span, ref int at)
    {
        var length = ReadInt(span, ref at);
        if (length < 0) return null;
        var text = Encoding.UTF8.GetString(span.Slice(at, length));
        at += length;
        return text;
    }
}
