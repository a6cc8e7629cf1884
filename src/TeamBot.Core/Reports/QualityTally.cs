using TeamBot.Core.Feedback;

namespace TeamBot.Core.Reports;

/// <summary>
/// The running sums behind <see cref="QualityFigures"/> for a set of leads. Tallies add up: the tally of a period is
/// the sum of its days' tallies, which is what lets reports read totals kept per day instead of every lead. Medians
/// do not add up, so the tally keeps each claimed lead's speed to claim and picks the median and 95th percentile
/// when the figures are made. Speeds added from stored totals or other tallies are kept as the runs they came in
/// (shared, never reordered), so that summing a period's groups into its total copies nothing; they are gathered
/// into one pooled buffer only to pick the figures.
/// </summary>
public sealed class QualityTally
{
    private readonly Dictionary<string, int> _reasons = new(StringComparer.Ordinal);
    /// <summary>Speeds added one lead at a time.</summary>
    private readonly List<double> _claimSeconds = [];
    /// <summary>Speeds added as runs (stored totals, other tallies): never changed once added, so tallies share them.</summary>
    private readonly List<double[]> _claimRuns = [];
    private int _claimRunsLength;
    private readonly int[] _sqlsAtLeast = new int[HighestRating + 1];
    private const int HighestRating = (int)Rating.Great;

    public int Leads { get; private set; }
    public int Claimed { get; private set; }
    public int Rated { get; private set; }
    public long RatingSum { get; private set; }
    public int RatingCount { get; private set; }
    public int Rejected { get; private set; }
    public int Meetings { get; private set; }
    public int Opportunities { get; private set; }
    public int Won { get; private set; }
    /// <summary>The sum of won amounts, without trailing zeros (stores keep amounts with different scales).</summary>
    public decimal WonAmount => _wonAmount / 1.000000000000000000000000000000000m;

    private decimal _wonAmount;

    /// <summary>How many leads had each reason (a lead counts once per reason).</summary>
    public IReadOnlyDictionary<string, int> Reasons => _reasons;

    /// <summary>Each claimed lead's seconds from received to claimed, in no particular order.</summary>
    public IReadOnlyList<double> ClaimSeconds
    {
        get
        {
            if (_claimRuns.Count == 0) return _claimSeconds;
            var all = new double[ClaimSecondsCount];
            CopyClaimSecondsTo(all);
            return all;
        }
    }

    private int ClaimSecondsCount => _claimSeconds.Count + _claimRunsLength;

    /// <summary>Leads whose reps' current ratings average at or above <paramref name="rating"/> (an SQL at that bar).</summary>
    public int SqlsAtLeast(Rating rating) => _sqlsAtLeast[(int)rating];

    public void Add(LeadFact lead)
    {
        Leads++;
        if (lead.ClaimedAt is { } claimedAt)
        {
            Claimed++;
            _claimSeconds.Add(Math.Max(0, (claimedAt - lead.ReceivedAt).TotalSeconds));
        }

        var ratings = lead.CurrentRatings;
        if (ratings.Count > 0)
        {
            Rated++;
            long sum = 0;
            var rejected = false;
            foreach (var rating in ratings)
            {
                sum += (int)rating;
                rejected |= rating == Rating.Reject;
            }
            RatingSum += sum;
            RatingCount += ratings.Count;
            if (rejected) Rejected++;
            // The average is at or above a whole rating r exactly when the sum is at least r times the count.
            for (var r = 1; r <= HighestRating; r++)
            {
                if (sum >= (long)r * ratings.Count) _sqlsAtLeast[r]++;
            }
        }

        for (var i = 0; i < lead.ReasonCodes.Count; i++)
        {
            var code = lead.ReasonCodes[i];
            if (IndexOf(lead.ReasonCodes, code) == i) _reasons[code] = _reasons.GetValueOrDefault(code) + 1;
        }

        if (lead.Meeting) Meetings++;
        if (lead.Opportunity) Opportunities++;
        if (lead.Won) Won++;
        _wonAmount += lead.WonAmount;
    }

    public void Add(QualityTally other)
    {
        // The other's runs are shared (neither tally changes them); its speeds added one lead at a time may still grow.
        AddCounts(other.Counts, other._sqlsAtLeast.AsSpan(1));
        AddRun(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(other._claimSeconds).ToArray());
        foreach (var run in other._claimRuns) AddRun(run);
        foreach (var (code, count) in other._reasons) AddReason(code, count);
    }

    /// <summary>A new tally of all the given ones.</summary>
    public static QualityTally Sum(IEnumerable<QualityTally> tallies)
    {
        var sum = new QualityTally();
        foreach (var tally in tallies) sum.Add(tally);
        return sum;
    }

    /// <summary>Adds stored totals (see <see cref="IReportTotals"/>): counts, SQL counts for ratings 1 to 5, and claim speeds.</summary>
    public void Add(in TallyCounts counts, ReadOnlySpan<int> sqlsAtLeast, ReadOnlySpan<double> claimSeconds)
    {
        AddCounts(counts, sqlsAtLeast);
        AddRun(claimSeconds.ToArray());
    }

    private void AddRun(double[] run)
    {
        if (run.Length == 0) return;
        _claimRuns.Add(run);
        _claimRunsLength += run.Length;
    }

    private void AddCounts(in TallyCounts counts, ReadOnlySpan<int> sqlsAtLeast)
    {
        Leads += counts.Leads;
        Claimed += counts.Claimed;
        Rated += counts.Rated;
        RatingSum += counts.RatingSum;
        RatingCount += counts.RatingCount;
        Rejected += counts.Rejected;
        Meetings += counts.Meetings;
        Opportunities += counts.Opportunities;
        Won += counts.Won;
        _wonAmount += counts.WonAmount;
        for (var r = 1; r <= HighestRating && r <= sqlsAtLeast.Length; r++) _sqlsAtLeast[r] += sqlsAtLeast[r - 1];
    }

    private void CopyClaimSecondsTo(Span<double> destination)
    {
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_claimSeconds).CopyTo(destination);
        var at = _claimSeconds.Count;
        foreach (var run in _claimRuns)
        {
            run.CopyTo(destination[at..]);
            at += run.Length;
        }
    }

    /// <summary>The median and 95th percentile speed to claim, picked from a pooled copy of the speeds.</summary>
    private SpeedFigures PickSpeeds()
    {
        var count = ClaimSecondsCount;
        if (count == 0) return new SpeedFigures(null, null);
        var buffer = System.Buffers.ArrayPool<double>.Shared.Rent(count);
        try
        {
            var speeds = buffer.AsSpan(0, count);
            CopyClaimSecondsTo(speeds);
            return Speeds(speeds);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>Adds stored totals: <paramref name="count"/> more leads with the reason <paramref name="code"/>.</summary>
    public void AddReason(string code, int count) => _reasons[code] = _reasons.GetValueOrDefault(code) + count;

    /// <summary>The counts, as stored totals keep them.</summary>
    public TallyCounts Counts => new(Leads, Claimed, Rated, RatingSum, RatingCount, Rejected, Meetings, Opportunities, Won, _wonAmount);

    /// <summary>The SQL counts for ratings 1 to 5, in that order, as stored totals keep them.</summary>
    public int[] SqlCounts() => _sqlsAtLeast[1..];

    /// <summary>The median speed to claim, in seconds (null without claims).</summary>
    public double? MedianClaimSeconds() => PickSpeeds().MedianSeconds;

    public QualityFigures ToFigures(IReadOnlyDictionary<string, string> reasonLabels)
    {
        var top = _reasons
            .Select(r => new ReasonCount(r.Key, reasonLabels.GetValueOrDefault(r.Key, r.Key), r.Value))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.OrdinalIgnoreCase)
            .Take(3)
            .ToList();
        return new QualityFigures(
            Leads: Leads,
            Claimed: Claimed,
            Rated: Rated,
            AverageRating: RatingCount == 0 ? null : Math.Round((double)RatingSum / RatingCount, 2),
            Rejected: Rejected,
            TopReasons: top,
            SpeedToClaim: PickSpeeds(),
            Meetings: Meetings,
            Opportunities: Opportunities,
            Won: Won,
            WonAmount: WonAmount);
    }

    /// <summary>
    /// The <see cref="Median"/> and the 95th <see cref="Percentile"/> of the values, with one selection over all of them:
    /// once the median is in place, the lower middle value is the largest before it and the percentile lies after it.
    /// Reorders <paramref name="values"/>.
    /// </summary>
    internal static SpeedFigures Speeds(Span<double> values)
    {
        if (values.Length == 0) return new SpeedFigures(null, null);
        if (values.Length >= BucketedFrom) return SpeedsByBuckets(values);
        var mid = values.Length / 2;
        var median = MedianAt(values, mid);
        var at = PercentileIndex(values.Length, 0.95);
        return new SpeedFigures(median, Math.Round(at >= mid ? Select(values[mid..], at - mid) : Select(values[..mid], at), 1));
    }

    /// <summary>From this many values, <see cref="Speeds"/> first narrows them down by their leading bits.</summary>
    internal const int BucketedFrom = 2048;

    private const int BucketBits = 16;

    /// <summary>A count per bucket of leading bits, all zero between uses (each use clears what it counted).</summary>
    [ThreadStatic]
    private static int[]? _buckets;

    /// <summary>
    /// <see cref="Speeds"/> for many values: one pass counts the values per bucket of their leading 16 bits (sign,
    /// exponent and 4 bits of mantissa, in the order of the values), which tells the buckets holding the middle values
    /// and the percentile; a second pass keeps only the values of those buckets, and the selection runs on them alone.
    /// Reorders <paramref name="values"/>, which must not be empty.
    /// </summary>
    internal static SpeedFigures SpeedsByBuckets(Span<double> values)
    {
        var count = values.Length;
        var mid = count / 2;
        var lowRank = count % 2 == 0 ? mid - 1 : mid;
        var at = PercentileIndex(count, 0.95);

        var buckets = _buckets ??= new int[1 << BucketBits];
        int first = buckets.Length, last = -1;
        foreach (var value in values)
        {
            var bucket = Bucket(value);
            buckets[bucket]++;
            first = Math.Min(first, bucket);
            last = Math.Max(last, bucket);
        }
        // The buckets of the lower middle value, the median and the percentile, and how many values lie before them.
        int lowBucket = -1, midBucket = -1, atBucket = -1, beforeLow = 0, beforeAt = 0;
        for (int bucket = first, seen = 0; atBucket < 0; bucket++)
        {
            var next = seen + buckets[bucket];
            if (lowBucket < 0 && lowRank < next) (lowBucket, beforeLow) = (bucket, seen);
            if (midBucket < 0 && mid < next) midBucket = bucket;
            if (at < next) (atBucket, beforeAt) = (bucket, seen);
            seen = next;
        }
        var atCount = buckets[atBucket];
        buckets.AsSpan(first, last - first + 1).Clear();

        // The middle values' buckets are kept at the front of the values; the percentile's, if apart, in a pooled buffer.
        var apart = atBucket > midBucket ? System.Buffers.ArrayPool<double>.Shared.Rent(atCount) : null;
        int kept = 0, keptApart = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            var bucket = Bucket(value);
            if (bucket >= lowBucket && bucket <= midBucket) values[kept++] = value;
            else if (apart is not null && bucket == atBucket) apart[keptApart++] = value;
        }

        var middle = values[..kept];
        var upperAt = mid - beforeLow;
        var median = Middle(middle, upperAt, even: count % 2 == 0);
        double percentile;
        if (apart is null) percentile = Select(middle[upperAt..], at - mid);
        else
        {
            percentile = Select(apart.AsSpan(0, keptApart), at - beforeAt);
            System.Buffers.ArrayPool<double>.Shared.Return(apart);
        }
        return new SpeedFigures(Math.Round(median, 1), Math.Round(percentile, 1));
    }

    /// <summary>The leading bits of the value as an unsigned number that orders as the values do (zero and minus zero alike).</summary>
    private static int Bucket(double value)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value + 0.0);
        var ordered = (long)bits < 0 ? ~bits : bits | (1UL << 63);
        return (int)(ordered >> (64 - BucketBits));
    }

    private static double Max(ReadOnlySpan<double> values)
    {
        var max = values[0];
        foreach (var value in values[1..]) max = Math.Max(max, value);
        return max;
    }

    /// <summary>The middle value; the mean of the two middle values for an even count. Reorders <paramref name="values"/>.</summary>
    internal static double? Median(Span<double> values) => values.Length == 0 ? null : MedianAt(values, values.Length / 2);

    /// <summary>The median of non-empty <paramref name="values"/>, leaving the values before <paramref name="mid"/> (their length / 2) at or below it and those after at or above.</summary>
    private static double MedianAt(Span<double> values, int mid) => Math.Round(Middle(values, mid, even: values.Length % 2 == 0), 1);

    /// <summary>
    /// The value that sorts at <paramref name="upperAt"/>, or for an <paramref name="even"/> count its mean with the largest
    /// before it (the two middle values). Reorders <paramref name="values"/>.
    /// </summary>
    private static double Middle(Span<double> values, int upperAt, bool even)
    {
        var upper = Select(values, upperAt);
        return even ? (Max(values[..upperAt]) + upper) / 2 : upper;
    }

    /// <summary>The nearest-rank percentile: the smallest value at or above which <paramref name="p"/> of the values lie. Reorders <paramref name="values"/>.</summary>
    internal static double? Percentile(Span<double> values, double p) =>
        values.Length == 0 ? null : Math.Round(Select(values, PercentileIndex(values.Length, p)), 1);

    private static int PercentileIndex(int count, double p) => Math.Clamp((int)Math.Ceiling(p * count) - 1, 0, count - 1);

    /// <summary>
    /// The value that would sit at <paramref name="k"/> if <paramref name="values"/> were sorted (Hoare's selection, in
    /// linear time on average), so a period's median over hundreds of thousands of claims needs no full sort.
    /// </summary>
    private static double Select(Span<double> values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            var pivot = MedianOfThree(values[left], values[left + (right - left) / 2], values[right]);
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return values[k];
        }
        return values[k];
    }

    private static double MedianOfThree(double a, double b, double c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    private static int IndexOf(IReadOnlyList<string> codes, string code)
    {
        for (var i = 0; i < codes.Count; i++)
        {
            if (codes[i] == code) return i;
        }
        return -1;
    }
}

/// <summary>The additive counts of a <see cref="QualityTally"/>.</summary>
public readonly record struct TallyCounts(
    int Leads, int Claimed, int Rated, long RatingSum, int RatingCount, int Rejected, int Meetings, int Opportunities, int Won, decimal WonAmount);
