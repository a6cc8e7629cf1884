using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Standups;

namespace TeamBot.Data.Stores;

internal sealed class EfStandupStore(TeamBotDbContext db) : IStandupStore
{
    public async Task<long?> AddAsync(Standup standup, CancellationToken cancellationToken)
    {
        if (await FindRowAsync(standup.WorkspaceId, standup.Name, cancellationToken) is not null) return null;
        var row = new StandupRow { WorkspaceId = standup.WorkspaceId, CreatedBy = standup.CreatedBy, CreatedAt = standup.CreatedAt };
        Apply(row, standup);
        db.Standups.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return row.Id;
        }
        catch (DbUpdateException)
        {
            // Another admin created one with this name at the same moment.
            return null;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task UpdateAsync(Standup standup, CancellationToken cancellationToken)
    {
        var row = await db.Standups.FirstAsync(s => s.Id == standup.Id, cancellationToken);
        Apply(row, standup);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public async Task<Standup?> GetAsync(long id, CancellationToken cancellationToken) =>
        Map(await db.Standups.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken));

    public async Task<Standup?> FindByNameAsync(string workspaceId, string name, CancellationToken cancellationToken) =>
        Map(await FindRowAsync(workspaceId, name, cancellationToken));

    public async Task<IReadOnlyList<Standup>> ListAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await db.Standups.AsNoTracking().Where(s => s.WorkspaceId == workspaceId && s.DeletedAt == null).OrderBy(s => s.Name).ToListAsync(cancellationToken))
        .Select(r => Map(r)!).ToList();

    public async Task<IReadOnlyList<Standup>> ListActiveAsync(CancellationToken cancellationToken) =>
        (await db.Standups.AsNoTracking().Where(s => s.DeletedAt == null && !s.Paused).OrderBy(s => s.Id).ToListAsync(cancellationToken))
        .Select(r => Map(r)!).ToList();

    public async Task<bool> DeleteAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await db.Standups.Where(s => s.Id == id && s.DeletedAt == null).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.DeletedAt, at)
            .SetProperty(s => s.NextOccurrence, (string?)null)
            .SetProperty(s => s.NextAt, (DateTimeOffset?)null), cancellationToken) > 0;

    public async Task<bool> TryAdvanceAsync(long standupId, string? expected, string? nextOccurrence, DateTimeOffset? nextAt, CancellationToken cancellationToken) =>
        await db.Standups.Where(s => s.Id == standupId && s.NextOccurrence == expected).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.NextOccurrence, nextOccurrence)
            .SetProperty(s => s.NextAt, nextAt), cancellationToken) == 1;

    public async Task<long?> AddRunAsync(StandupRun run, CancellationToken cancellationToken)
    {
        if (await db.StandupRuns.AnyAsync(r => r.StandupId == run.StandupId && r.Occurrence == run.Occurrence, cancellationToken)) return null;
        var row = new StandupRunRow
        {
            StandupId = run.StandupId,
            WorkspaceId = run.WorkspaceId,
            Occurrence = run.Occurrence,
            State = (int)run.State,
            ScheduledAt = run.ScheduledAt,
            PostedAt = run.PostedAt,
            ClosesAt = run.ClosesAt,
            RemindAt = run.RemindAt,
            Reminded = run.Reminded,
            Mode = (int)run.Mode,
            Asked = "," + string.Concat(run.Asked.Select(id => id.ToString(CultureInfo.InvariantCulture) + ",")),
            ExcludedJson = run.Excluded.Count == 0 ? null : JsonSerializer.Serialize(run.Excluded),
        };
        db.StandupRuns.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row.Id;
    }

    public async Task<StandupRun?> GetRunAsync(long runId, CancellationToken cancellationToken) =>
        Map(await db.StandupRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken));

    public async Task<IReadOnlyList<StandupRun>> ListOpenRunsAsync(CancellationToken cancellationToken) =>
        (await db.StandupRuns.AsNoTracking().Where(r => r.State == (int)RunState.Open).OrderBy(r => r.Id).ToListAsync(cancellationToken)).Select(r => Map(r)!).ToList();

    public async Task<IReadOnlyList<StandupRun>> ListUnreportedMissesAsync(long standupId, CancellationToken cancellationToken) =>
        (await db.StandupRuns.AsNoTracking().Where(r => r.StandupId == standupId && r.State == (int)RunState.Missed && !r.MissReported)
            .OrderBy(r => r.Id).ToListAsync(cancellationToken)).Select(r => Map(r)!).ToList();

    public async Task MarkMissesReportedAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0) return;
        await db.StandupRuns.Where(r => runIds.Contains(r.Id)).ExecuteUpdateAsync(u => u.SetProperty(r => r.MissReported, true), cancellationToken);
    }

    public async Task<bool> TryMarkRemindedAsync(long runId, CancellationToken cancellationToken) =>
        await db.StandupRuns.Where(r => r.Id == runId && r.State == (int)RunState.Open && !r.Reminded)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Reminded, true), cancellationToken) == 1;

    public async Task<bool> TryCloseAsync(long runId, string summary, CancellationToken cancellationToken) =>
        await db.StandupRuns.Where(r => r.Id == runId && r.State == (int)RunState.Open)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, (int)RunState.Closed).SetProperty(r => r.Summary, summary), cancellationToken) == 1;

    public Task SetSummaryAsync(long runId, string summary, CancellationToken cancellationToken) =>
        db.StandupRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Summary, summary), cancellationToken);

    public async Task<StandupRun?> FindDirectRunAsync(string workspaceId, long personId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var marker = "," + personId.ToString(CultureInfo.InvariantCulture) + ",";
        var row = await db.StandupRuns.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.Mode == (int)AnswerMode.Dm && r.PostedAt > since && r.Asked.Contains(marker)
                        && (r.State == (int)RunState.Open || r.State == (int)RunState.Closed))
            .OrderBy(r => r.State == (int)RunState.Open ? 0 : 1).ThenByDescending(r => r.PostedAt).ThenByDescending(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return Map(row);
    }

    public async Task SaveAnswerAsync(StandupAnswer answer, CancellationToken cancellationToken)
    {
        var row = await db.StandupAnswers.FirstOrDefaultAsync(a => a.RunId == answer.RunId && a.PersonId == answer.PersonId && a.MessageId == answer.MessageId, cancellationToken);
        if (row is null)
        {
            var workspaceId = await db.StandupRuns.Where(r => r.Id == answer.RunId).Select(r => r.WorkspaceId).FirstAsync(cancellationToken);
            row = new StandupAnswerRow { RunId = answer.RunId, WorkspaceId = workspaceId, PersonId = answer.PersonId, MessageId = answer.MessageId, At = answer.At, Late = answer.Late };
            db.StandupAnswers.Add(row);
        }
        row.Text = answer.Text;
        row.EditedAt = answer.EditedAt;
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public async Task<StandupAnswer?> FindAnswerAsync(string workspaceId, long personId, string messageId, CancellationToken cancellationToken)
    {
        var row = await db.StandupAnswers.AsNoTracking()
            .Where(a => a.WorkspaceId == workspaceId && a.PersonId == personId && a.MessageId == messageId)
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : Map(row);
    }

    public async Task<IReadOnlyList<StandupAnswer>> ListAnswersAsync(long runId, CancellationToken cancellationToken) =>
        (await db.StandupAnswers.AsNoTracking().Where(a => a.RunId == runId).OrderBy(a => a.Id).ToListAsync(cancellationToken)).Select(Map).ToList();

    public async Task<IReadOnlyList<RunWithAnswers>> ListRunsPostedAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var runs = await db.StandupRuns.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.PostedAt >= from && r.PostedAt < to).OrderBy(r => r.PostedAt).ToListAsync(cancellationToken);
        var runIds = runs.Select(r => r.Id).ToList();
        var standupIds = runs.Select(r => r.StandupId).Distinct().ToList();
        // Deleted stand-ups keep their runs in the digest.
        var standups = await db.Standups.AsNoTracking().Where(s => standupIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var answers = (await db.StandupAnswers.AsNoTracking().Where(a => runIds.Contains(a.RunId)).OrderBy(a => a.Id).ToListAsync(cancellationToken))
            .GroupBy(a => a.RunId).ToDictionary(g => g.Key, g => (IReadOnlyList<StandupAnswer>)g.Select(Map).ToList());
        return runs.Select(r => new RunWithAnswers(Map(standups[r.StandupId], includeDeleted: true)!, Map(r)!, answers.GetValueOrDefault(r.Id, []))).ToList();
    }

    private Task<StandupRow?> FindRowAsync(string workspaceId, string name, CancellationToken cancellationToken)
    {
        var lower = name.ToLowerInvariant();
        return db.Standups.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.DeletedAt == null && s.NameKey == lower, cancellationToken);
    }

    private static void Apply(StandupRow row, Standup s)
    {
        row.Name = s.Name;
        row.NameKey = s.Name.ToLowerInvariant();
        row.Channel = s.Channel;
        row.Participants = string.Join('\n', s.Participants);
        row.Schedule = s.Schedule.Text;
        row.TimeZone = s.TimeZoneId;
        row.Questions = string.Join('\n', s.Questions);
        row.WindowSeconds = (long)s.Window.TotalSeconds;
        row.Mode = (int)s.Mode;
        row.RemindBeforeSeconds = s.RemindBefore is { } r ? (long)r.TotalSeconds : null;
        row.TagPublicly = s.TagPublicly;
        row.Paused = s.Paused;
    }

    private static Standup? Map(StandupRow? r, bool includeDeleted = false) =>
        r is null || (r.DeletedAt is not null && !includeDeleted)
            ? null
            : new Standup(r.Id, r.WorkspaceId, r.Name, r.Channel, r.Participants.Split('\n', StringSplitOptions.RemoveEmptyEntries),
                StandupSchedule.Parse(r.Schedule), r.TimeZone, r.Questions.Split('\n', StringSplitOptions.RemoveEmptyEntries),
                TimeSpan.FromSeconds(r.WindowSeconds), (AnswerMode)r.Mode, r.RemindBeforeSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
                r.TagPublicly, r.Paused, r.NextOccurrence, r.NextAt, r.CreatedBy, r.CreatedAt);

    private static StandupRun? Map(StandupRunRow? r) =>
        r is null
            ? null
            : new StandupRun(r.Id, r.StandupId, r.WorkspaceId, r.Occurrence, (RunState)r.State, r.ScheduledAt, r.PostedAt, r.ClosesAt, r.RemindAt, r.Reminded,
                (AnswerMode)r.Mode,
                r.Asked.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToList(),
                r.ExcludedJson is null ? [] : JsonSerializer.Deserialize<List<ExcludedPerson>>(r.ExcludedJson) ?? [],
                r.Summary, r.MissReported);

    private static StandupAnswer Map(StandupAnswerRow a) => new(a.RunId, a.PersonId, a.MessageId, a.Text, a.At, a.EditedAt, a.Late);
}
