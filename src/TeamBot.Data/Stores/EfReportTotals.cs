using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Reports;

namespace TeamBot.Data.Stores;

/// <summary>
/// Report totals kept per UTC day and per hour (<c>report_days</c>), so a report over 90 days reads about a hundred
/// rows of sums instead of a quarter of a million leads and their feedback.
///
/// Keeping them right: triggers on <c>leads</c>, <c>ratings</c>, <c>reasons</c> and <c>outcomes</c> (in the migrations)
/// count every change against the day its lead was received, in <c>report_dirty_days</c>, in the writer's own
/// transaction. <see cref="RebuildAsync"/> rebuilds a changed day from its leads with the same code the reports use
/// on leads, and clears the day only if its change count is still the one it read before the rebuild; otherwise the
/// day stays marked and is rebuilt again. A report takes the stored sums of whole days and whole hours that are not
/// marked, and counts the leads themselves for marked days and the minutes at the period's edges. So a report never
/// waits for a rebuild and is never behind what was written.
/// </summary>
internal sealed class EfReportTotals(TeamBotDbContext db, ILeadFactsQuery facts) : IReportTotals, IReportRollups
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;
    private static readonly ReportGrouping[] Groupings = Enum.GetValues<ReportGrouping>();

    public async Task<PeriodTotals> GetAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, ReportGrouping by, CancellationToken cancellationToken)
    {
        var sum = new PeriodTotals.Builder();
        if (to <= from) return sum.ToTotals();

        // Whole hours inside [from, to), as hours since the epoch; the minutes before and after come from the leads.
        var firstHour = (long)Math.Ceiling((from - Epoch).Ticks / (double)TimeSpan.TicksPerHour);
        var endHour = (long)Math.Floor((to - Epoch).Ticks / (double)TimeSpan.TicksPerHour);
        if (firstHour >= endHour)
        {
            sum.Add(await facts.GetAsync(workspaceId, from, to, cancellationToken), by);
            return sum.ToTotals();
        }

        var (firstDay, lastDay) = ((int)(firstHour / 24), (int)((endHour - 1) / 24));
        var dirty = (await db.ReportDirtyDays.AsNoTracking()
            .Where(d => d.WorkspaceId == workspaceId && d.Day >= firstDay && d.Day <= lastDay)
            .Select(d => d.Day)
            .ToListAsync(cancellationToken)).ToHashSet();

        // Whole days where they fit, single hours at the edges, and the leads of marked days.
        var days = new HashSet<int>();
        var hours = new List<(int Day, int FirstPart, int LastPart)>();
        var ranges = new List<(DateTimeOffset From, DateTimeOffset To)> { (from, HourStart(firstHour)) };
        for (var hour = firstHour; hour < endHour;)
        {
            var day = (int)(hour / 24);
            var next = Math.Min((day + 1) * 24L, endHour);
            if (dirty.Contains(day)) AddRange(ranges, HourStart(hour), HourStart(next));
            else if (hour % 24 == 0 && next == hour + 24) days.Add(day);
            else hours.Add((day, (int)(hour % 24) + 1, (int)((next - 1) % 24) + 1));
            hour = next;
        }
        AddRange(ranges, HourStart(endHour), to);

        if (days.Count > 0) await AddStoredAsync(sum, workspaceId, by, 0, 0, days.Min(), days.Max(), days, cancellationToken);
        foreach (var (day, firstPart, lastPart) in hours) await AddStoredAsync(sum, workspaceId, by, firstPart, lastPart, day, day, null, cancellationToken);
        foreach (var (rangeFrom, rangeTo) in ranges)
        {
            if (rangeFrom < rangeTo) sum.Add(await facts.GetAsync(workspaceId, rangeFrom, rangeTo, cancellationToken), by);
        }
        return sum.ToTotals();
    }

    private static void AddRange(List<(DateTimeOffset From, DateTimeOffset To)> ranges, DateTimeOffset from, DateTimeOffset to)
    {
        if (ranges.Count > 0 && ranges[^1].To == from) ranges[^1] = (ranges[^1].From, to);
        else ranges.Add((from, to));
    }

    /// <summary>Adds the stored totals of whole days [firstDay, lastDay] (only <paramref name="only"/>'s days) or, for one day, of hours.</summary>
    private async Task AddStoredAsync(
        PeriodTotals.Builder sum, string workspaceId, ReportGrouping by, int firstPart, int lastPart, int firstDay, int lastDay, HashSet<int>? only,
        CancellationToken cancellationToken)
    {
        // Rows are kept in (workspace, grouping, part, day) order: whole days are one range; hours are one search each.
        var parts = string.Join(", ", Enumerable.Range(firstPart, lastPart - firstPart + 1));
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"""
                SELECT day, totals FROM report_days
                WHERE workspace_id = @workspace AND grouping = @grouping AND part IN ({parts}) AND day >= @first AND day <= @last
                """;
            command.AddParameter("@workspace", workspaceId);
            command.AddParameter("@grouping", (int)by);
            command.AddParameter("@first", firstDay);
            command.AddParameter("@last", lastDay);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (only is null || only.Contains(reader.GetInt32(0))) ReportTotalsBlob.AddTo(sum, (byte[])reader.GetValue(1));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task<IReadOnlyList<MarkedDay>> ListMarkedAsync(CancellationToken cancellationToken) =>
        await db.ReportDirtyDays.AsNoTracking()
            .OrderBy(d => d.WorkspaceId).ThenBy(d => d.Day)
            .Select(d => new MarkedDay(d.WorkspaceId, d.Day, d.Changes))
            .ToListAsync(cancellationToken);

    /// <summary>Rebuilds one day's totals, unless it changed again while they were counted (then it stays marked).</summary>
    public async Task<bool> RebuildAsync(MarkedDay marked, CancellationToken cancellationToken)
    {
        var dayStart = DayStart(marked.Day);
        var leads = await facts.GetAsync(marked.WorkspaceId, dayStart, DayStart(marked.Day + 1), cancellationToken);
        var byHour = leads.GroupBy(l => (int)((l.ReceivedAt - dayStart).Ticks / TimeSpan.TicksPerHour)).ToList();
        var rows = new List<ReportDayRow>();
        foreach (var grouping in Groupings)
        {
            if (leads.Count == 0) break;
            rows.Add(Row(marked, grouping, 0, PeriodTotals.FromFacts(leads, grouping)));
            foreach (var hour in byHour) rows.Add(Row(marked, grouping, hour.Key + 1, PeriodTotals.FromFacts(hour, grouping)));
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
                // Each grouping and part is a search of the primary key.
                var value = (int)grouping;
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM report_days WHERE workspace_id = {marked.WorkspaceId} AND grouping = {value}
                    AND part IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24) AND day = {marked.Day}
                    """, ct);
            }
            db.ReportDays.AddRange(rows);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            return true;
        }, cancellationToken);
    }

    private static ReportDayRow Row(MarkedDay day, ReportGrouping grouping, int part, PeriodTotals totals) => new()
    {
        WorkspaceId = day.WorkspaceId,
        Grouping = (int)grouping,
        Part = part,
        Day = day.Day,
        Totals = ReportTotalsBlob.Write(totals),
    };

    private static DateTimeOffset DayStart(int day) => Epoch.AddDays(day);

    private static DateTimeOffset HourStart(long hour) => Epoch.AddHours(hour);
}
