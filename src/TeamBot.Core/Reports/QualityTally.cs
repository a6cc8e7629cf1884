using System.Buffers;
using TeamBot.Core.Feedback;

namespace TeamBot.Core.Reports;

/// <summary>
/// The running sums behind <see cref="QualityFigures"/> for a set of leads. Tallies add up: the tally of a period is
/// the sum of its days' tallies, which is what lets reports read totals kept per day instead of every lead. Medians
/// do not add up, so the tally keeps each claimed lead's speed to claim and picks the median and 95th percentile
/// when the figures are made.
/// </summary>
/// <remarks>
/// Speeds to claim are kept as sorted runs (stored totals keep each day's sorted), shared between tallies rather than
/// copied when tallies are added up, and the median of a period is picked across its days' runs without merging them:
/// a 90-day report on a million leads adds up about 160,000 speeds per period.
/// </remarks>
public sealed class QualityTally
{
    /// <summary>Up to this many speeds are copied and picked from in place; more are picked across the runs.</summary>
    private const int CopyAtMost = 4096;

    private readonly Dictionary<string, int> _reasons = new(StringComparer.Ordinal);
    // Speeds added one lead at a time, in no order, until they are sorted into a run of their own.
    private readonly List<double> _loose = [];
    // Each sorted ascending, never changed once added: tallies share them.
    private readonly List<double[]> _runs = [];
    private int _speeds;
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

    /// <summary>Each claimed lead's seconds from received to claimed, sorted ascending (a new array).</summary>
    public double[] SortedClaimSeconds()
    {
        var all = new double[_speeds];
        var at = 0;
        foreach (var run in Runs())
        {
            run.CopyTo(all, at);
            at += run.Length;
        }
        if (_runs.Count > 1) Array.Sort(all);
        return all;
    }

    /// <summary>Leads whose reps' current ratings average at or above <paramref name="rating"/> (an SQL at that bar).</summary>
    public int SqlsAtLeast(Rating rating) => _sqlsAtLeast[(int)rating];

    public void Add(LeadFact lead)
    {
        Leads++;
        if (lead.ClaimedAt is { } claimedAt)
        {
            Claimed++;
            _loose.Add(Math.Max(0, (claimedAt - lead.ReceivedAt).TotalSeconds));
            _speeds++;
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
        Add(other.Counts, other._sqlsAtLeast.AsSpan(1), []);
        _runs.AddRange(other._runs);
        _loose.AddRange(other._loose);
        _speeds += other._speeds;
        foreach (var (code, count) in other._reasons) AddReason(code, count);
    }

    /// <summary>A new tally of all the given ones.</summary>
    public static QualityTally Sum(IEnumerable<QualityTally> tallies)
    {
        var sum = new QualityTally();
        foreach (var tally in tallies) sum.Add(tally);
        return sum;
    }

    /// <summary>Adds stored totals (see <see cref="IReportTotals"/>): counts, SQL counts for ratings 1 to 5, and claim speeds in any order.</summary>
    public void Add(in TallyCounts counts, ReadOnlySpan<int> sqlsAtLeast, ReadOnlySpan<double> claimSeconds)
    {
        AddCounts(counts, sqlsAtLeast);
        _loose.AddRange(claimSeconds);
        _speeds += claimSeconds.Length;
    }

    /// <summary>Adds stored totals whose claim speeds are sorted ascending; the tally keeps <paramref name="sortedClaimSeconds"/>, which must not change.</summary>
    public void AddSorted(in TallyCounts counts, ReadOnlySpan<int> sqlsAtLeast, double[] sortedClaimSeconds)
    {
        AddCounts(counts, sqlsAtLeast);
        if (sortedClaimSeconds.Length == 0) return;
        _runs.Add(sortedClaimSeconds);
        _speeds += sortedClaimSeconds.Length;
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

    /// <summary>Adds stored totals: <paramref name="count"/> more leads with the reason <paramref name="code"/>.</summary>
    public void AddReason(string code, int count) => _reasons[code] = _reasons.GetValueOrDefault(code) + count;

    /// <summary>The counts, as stored totals keep them.</summary>
    public TallyCounts Counts => new(Leads, Claimed, Rated, RatingSum, RatingCount, Rejected, Meetings, Opportunities, Won, _wonAmount);

    /// <summary>The SQL counts for ratings 1 to 5, in that order, as stored totals keep them.</summary>
    public int[] SqlCounts() => _sqlsAtLeast[1..];

    /// <summary>The median speed to claim, in seconds (null without claims).</summary>
    public double? MedianClaimSeconds() => _speeds == 0 ? null : MedianOf(_speeds, ClaimSecondsAt);

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
            SpeedToClaim: _speeds == 0 ? new SpeedFigures(null, null) : new SpeedFigures(MedianOf(_speeds, ClaimSecondsAt), PercentileOf(_speeds, 0.95, ClaimSecondsAt)),
            Meetings: Meetings,
            Opportunities: Opportunities,
            Won: Won,
            WonAmount: WonAmount);
    }

    /// <summary>The middle value; the mean of the two middle values for an even count. Reorders <paramref name="values"/>.</summary>
    internal static double? Median(Span<double> values)
    {
        if (values.Length == 0) return null;
        var array = values.ToArray();
        return MedianOf(array.Length, k => Select(array, k));
    }

    /// <summary>The nearest-rank percentile: the smallest value at or above which <paramref name="p"/> of the values lie.</summary>
    internal static double? Percentile(Span<double> values, double p)
    {
        if (values.Length == 0) return null;
        var array = values.ToArray();
        return PercentileOf(array.Length, p, k => Select(array, k));
    }

    /// <summary>The median of <paramref name="count"/> values (at least one), given the value at each sorted position.</summary>
    private static double MedianOf(int count, Func<int, double> at)
    {
        var mid = count / 2;
        var upper = at(mid);
        return Math.Round(count % 2 == 1 ? upper : (at(mid - 1) + upper) / 2, 1);
    }

    /// <summary>The nearest-rank percentile of <paramref name="count"/> values (at least one), given the value at each sorted position.</summary>
    private static double PercentileOf(int count, double p, Func<int, double> at)
    {
        var rank = (int)Math.Ceiling(p * count);
        return Math.Round(at(Math.Clamp(rank - 1, 0, count - 1)), 1);
    }

    /// <summary>The runs, with any loose speeds sorted into one of their own first.</summary>
    private List<double[]> Runs()
    {
        if (_loose.Count > 0)
        {
            var run = _loose.ToArray();
            Array.Sort(run);
            _runs.Add(run);
            _loose.Clear();
        }
        return _runs;
    }

    /// <summary>The speed to claim that would sit at <paramref name="k"/> if all of them were sorted.</summary>
    private double ClaimSecondsAt(int k)
    {
        var runs = Runs();
        if (runs.Count == 1) return runs[0][k];
        if (_speeds <= CopyAtMost)
        {
            Span<double> all = stackalloc double[_speeds];
            var at = 0;
            foreach (var run in runs)
            {
                run.CopyTo(all[at..]);
                at += run.Length;
            }
            return Select(all, k);
        }
        return SelectAcross(runs, _speeds, k);
    }

    /// <summary>
    /// The value at <paramref name="k"/> of the sorted runs taken together, without merging them (Floyd and Rivest's
    /// idea, across runs): a sample of evenly spaced positions, sorted, gives two values that almost surely bracket the
    /// answer; binary searches in every run count what lies below and between them, and only the values between (about
    /// a tenth) are picked from. Should the bracket miss, all values are picked from.
    /// </summary>
    internal static double SelectAcross(List<double[]> runs, int total, int k)
    {
        const int SampleSize = 1024, Spread = 48;
        Span<double> sample = stackalloc double[SampleSize];
        int run = 0, start = 0;
        for (var i = 0; i < SampleSize; i++)
        {
            var position = (int)((2L * i + 1) * total / (2 * SampleSize));
            while (position >= start + runs[run].Length) start += runs[run++].Length;
            sample[i] = runs[run][position - start];
        }
        sample.Sort();
        var at = (int)((long)k * SampleSize / total);
        var low = at - Spread < 0 ? double.NegativeInfinity : sample[at - Spread];
        var high = at + Spread >= SampleSize ? double.PositiveInfinity : sample[at + Spread];

        int below = 0, between = 0;
        foreach (var r in runs)
        {
            var first = LowerBound(r, 0, r.Length, low);
            below += first;
            between += UpperBound(r, first, r.Length, high) - first;
        }
        var bracketed = k >= below && k < below + between;
        var pooled = ArrayPool<double>.Shared.Rent(bracketed ? between : total);
        try
        {
            var count = 0;
            foreach (var r in runs)
            {
                var first = bracketed ? LowerBound(r, 0, r.Length, low) : 0;
                var end = bracketed ? UpperBound(r, first, r.Length, high) : r.Length;
                r.AsSpan(first, end - first).CopyTo(pooled.AsSpan(count));
                count += end - first;
            }
            return Select(pooled.AsSpan(0, count), bracketed ? k - below : k);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(pooled);
        }
    }

    /// <summary>The first position in [from, to) of <paramref name="run"/> whose value is not below <paramref name="value"/>.</summary>
    private static int LowerBound(double[] run, int from, int to, double value)
    {
        while (from < to)
        {
            var mid = (from + to) >>> 1;
            if (run[mid] < value) from = mid + 1;
            else to = mid;
        }
        return from;
    }

    /// <summary>The first position in [from, to) of <paramref name="run"/> whose value is above <paramref name="value"/>.</summary>
    private static int UpperBound(double[] run, int from, int to, double value)
    {
        while (from < to)
        {
            var mid = (from + to) >>> 1;
            if (run[mid] <= value) from = mid + 1;
            else to = mid;
        }
        return from;
    }

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
