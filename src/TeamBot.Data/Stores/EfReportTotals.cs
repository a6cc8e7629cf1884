using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Reports;

namespace TeamBot.Data.Stores;

/// <summary>
/// Report totals kept per UTC day (<c>report_days</c>), so a report over 90 days reads a few thousand rows of sums
/// instead of a quarter of a million leads and their feedback.
///
/// Keeping them right: triggers on <c>leads</c>, <c>ratings</c>, <c>reasons</c> and <c>outcomes</c> (in the migrations)
/// count every change against the day its lead was received, in <c>report_dirty_days</c>, in the writer's own
/// transaction. <see cref="RefreshAsync"/> rebuilds a changed day from its leads with the same code the reports use
/// on leads, and clears the day only if its change count is still the one it read before the rebuild; otherwise the
/// day stays marked and is rebuilt again. A report takes sums for whole days that are not marked, and counts the
/// leads themselves for marked days and the parts of days at the period's edges. So a report never waits for a
/// rebuild and is never behind what was written.
/// </summary>
internal sealed class EfReportTotals(TeamBotDbContext db, ILeadFactsQuery facts) : IReportTotals, IReportRollups
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;
    private static readonly ReportGrouping[] Groupings = Enum.GetValues<ReportGrouping>();

    public async Task<PeriodTotals> GetAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, ReportGrouping by, CancellationToken cancellationToken)
    {
        var sum = new PeriodTotals.Builder();
        if (to <= from) return sum.ToTotals();

        // Whole days inside [from, to): the first day starting at or after from, up to the day to falls in.
        var firstDay = (int)Math.Ceiling((from - Epoch).Ticks / (double)TimeSpan.TicksPerDay);
        var endDay = (int)Math.Floor((to - Epoch).Ticks / (double)TimeSpan.TicksPerDay);
        if (firstDay >= endDay)
        {
            sum.Add(await facts.GetAsync(workspaceId, from, to, cancellationToken), by);
            return sum.ToTotals();
        }

        var dirty = (await db.ReportDirtyDays.AsNoTracking()
            .Where(d => d.WorkspaceId == workspaceId && d.Day >= firstDay && d.Day < endDay)
            .Select(d => d.Day)
            .ToListAsync(cancellationToken)).ToHashSet();

        await AddStoredDaysAsync(sum, workspaceId, by, firstDay, endDay, dirty, cancellationToken);

        // Counted from the leads: the edges, and each run of marked days.
        var ranges = new List<(DateTimeOffset From, DateTimeOffset To)> { (from, DayStart(firstDay)) };
        foreach (var day in dirty.Order())
        {
            if (ranges[^1].To == DayStart(day)) ranges[^1] = (ranges[^1].From, DayStart(day + 1));
            else ranges.Add((DayStart(day), DayStart(day + 1)));
        }
        if (ranges[^1].To == DayStart(endDay)) ranges[^1] = (ranges[^1].From, to);
        else ranges.Add((DayStart(endDay), to));

        foreach (var (rangeFrom, rangeTo) in ranges)
        {
            if (rangeFrom < rangeTo) sum.Add(await facts.GetAsync(workspaceId, rangeFrom, rangeTo, cancellationToken), by);
        }
        return sum.ToTotals();
    }

    /// <summary>
    /// Adds the stored totals of days in [firstDay, endDay) that are not marked. Read with a plain data reader: a 90-day
    /// report reads about 4,500 rows, and building rows and tallies for each would cost more than the numbers.
    /// </summary>
    private async Task AddStoredDaysAsync(
        PeriodTotals.Builder sum, string workspaceId, ReportGrouping by, int firstDay, int endDay, HashSet<int> dirty, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = """
                SELECT day, key, leads, claimed, rated, rating_sum, rating_count, rejected, meetings, opportunities, won, won_cents, sqls, reasons, claim_seconds
                FROM report_days WHERE workspace_id = @workspace AND grouping = @grouping AND day >= @first AND day < @end
                """;
            Parameter(command, "@workspace", workspaceId);
            Parameter(command, "@grouping", (int)by);
            Parameter(command, "@first", firstDay);
            Parameter(command, "@end", endDay);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var sqls = new int[5];
            while (await reader.ReadAsync(cancellationToken)) AddRow(reader, dirty, sum, sqls);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void AddRow(System.Data.Common.DbDataReader reader, HashSet<int> dirty, PeriodTotals.Builder sum, int[] sqls)
    {
        if (dirty.Contains(reader.GetInt32(0))) return;
        var key = reader.GetString(1);
        var counts = new TallyCounts(
            reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt64(5), reader.GetInt32(6), reader.GetInt32(7),
            reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10), reader.GetInt64(11) / 100m);
        ParseSqls(reader.GetString(12), sqls);
        var seconds = reader.IsDBNull(14) ? [] : MemoryMarshal.Cast<byte, double>((byte[])reader.GetValue(14));
        var group = sum.Group(key.Length == 0 ? null : key);
        sum.Total.Add(counts, sqls, seconds);
        group.Add(counts, sqls, seconds);
        if (!reader.IsDBNull(13)) AddReasons(reader.GetString(13), sum.Total, group);
    }

    private static void Parameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static void ParseSqls(string text, Span<int> sqls)
    {
        sqls.Clear();
        var i = 0;
        foreach (var range in text.AsSpan().Split(','))
        {
            if (i < sqls.Length) sqls[i++] = int.Parse(text.AsSpan()[range], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Reads the reasons object (<c>{"code":count,…}</c>) into both tallies.</summary>
    private static void AddReasons(string json, QualityTally total, QualityTally group)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        string? code = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName) code = reader.GetString();
            else if (reader.TokenType == JsonTokenType.Number && code is not null)
            {
                var count = reader.GetInt32();
                total.AddReason(code, count);
                group.AddReason(code, count);
            }
        }
    }

    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        var marked = await db.ReportDirtyDays.AsNoTracking()
            .OrderBy(d => d.WorkspaceId).ThenBy(d => d.Day)
            .ToListAsync(cancellationToken);
        var rebuilt = 0;
        foreach (var day in marked)
        {
            if (await RebuildAsync(day, cancellationToken)) rebuilt++;
        }
        return rebuilt;
    }

    /// <summary>Rebuilds one day's totals, unless it changed again while they were counted (then it stays marked).</summary>
    private async Task<bool> RebuildAsync(ReportDirtyDayRow marked, CancellationToken cancellationToken)
    {
        var leads = await facts.GetAsync(marked.WorkspaceId, DayStart(marked.Day), DayStart(marked.Day + 1), cancellationToken);
        var rows = new List<ReportDayRow>();
        foreach (var grouping in Groupings)
        {
            foreach (var (key, tally) in PeriodTotals.FromFacts(leads, grouping).Groups)
            {
                rows.Add(ToRow(marked.WorkspaceId, marked.Day, grouping, key, tally));
            }
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // First: this waits for a writer still holding the day's mark, and finds nothing if it changed since.
            var cleared = await db.ReportDirtyDays
                .Where(d => d.WorkspaceId == marked.WorkspaceId && d.Day == marked.Day && d.Changes == marked.Changes)
                .ExecuteDeleteAsync(ct);
            if (cleared == 0)
            {
                await transaction.RollbackAsync(ct);
                return false;
            }
            foreach (var grouping in Groupings)
            {
                // One grouping at a time, so each delete is a search of the primary key.
                var value = (int)grouping;
                await db.ReportDays.Where(r => r.WorkspaceId == marked.WorkspaceId && r.Grouping == value && r.Day == marked.Day).ExecuteDeleteAsync(ct);
            }
            db.ReportDays.AddRange(rows);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            return true;
        }, cancellationToken);
    }

    private static DateTimeOffset DayStart(int day) => Epoch.AddDays(day);

    private static ReportDayRow ToRow(string workspaceId, int day, ReportGrouping grouping, string? key, QualityTally tally) => new()
    {
        WorkspaceId = workspaceId,
        Day = day,
        Grouping = (int)grouping,
        Key = key ?? "",
        Leads = tally.Leads,
        Claimed = tally.Claimed,
        Rated = tally.Rated,
        RatingSum = tally.RatingSum,
        RatingCount = tally.RatingCount,
        Rejected = tally.Rejected,
        Meetings = tally.Meetings,
        Opportunities = tally.Opportunities,
        Won = tally.Won,
        WonCents = decimal.ToInt64(decimal.Round(tally.WonAmount * 100, MidpointRounding.AwayFromZero)),
        Sqls = string.Join(',', tally.SqlCounts().Select(c => c.ToString(CultureInfo.InvariantCulture))),
        Reasons = tally.Reasons.Count == 0 ? null : JsonSerializer.Serialize(tally.Reasons),
        ClaimSeconds = tally.ClaimSeconds.Count == 0 ? null : MemoryMarshal.AsBytes(tally.ClaimSeconds.ToArray().AsSpan()).ToArray(),
    };

}
