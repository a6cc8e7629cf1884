using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;

namespace TeamBot.Data.Stores;

internal sealed class EfLeadStore(TeamBotDbContext db, RecentLeadKeys recentKeys) : ILeadStore, IRoutingStore
{
    public async Task<IReadOnlyList<IntakeOutcome>> AddAsync(
        string workspaceId, IReadOnlyList<NewLead> leads, DedupePolicy dedupe, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db.IsPostgres)
        {
            // Serialise intake per workspace so that two requests cannot both miss each other's duplicate.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"intake:" + workspaceId}))", cancellationToken);
        }

        // Each lead's key as stored now, and the whole hash that leads stored before the key was shortened hold.
        var keys = new string?[leads.Count];
        var fullKeys = new string?[leads.Count];
        for (var i = 0; i < leads.Count; i++)
        {
            fullKeys[i] = LeadIdentity.FullDedupeKey(leads[i].Data.Email, leads[i].Data.Company);
            keys[i] = fullKeys[i]?[..LeadIdentity.KeyLength];
        }
        var since = now - dedupe.Window;
        var (byExternalId, byKey) = PositionalStatements.For(db) is { } statements
            ? await FindStoredAsync(statements, workspaceId, leads, fullKeys, since, dedupe.Window, cancellationToken)
            : await QueryStoredAsync(workspaceId, leads, fullKeys, since, cancellationToken);

        // First pass: decide which leads are new; a lead repeated within the batch points at its first occurrence.
        var rows = new LeadRow?[leads.Count];
        var duplicateOf = new long?[leads.Count];
        var firstInBatch = new int?[leads.Count];
        var batchByExternalId = new Dictionary<string, int>(StringComparer.Ordinal);
        var batchByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < leads.Count; i++)
        {
            var data = leads[i].Data;
            var key = keys[i];
            if (data.ExternalId is { } ext && byExternalId.TryGetValue(ext, out var existing)) duplicateOf[i] = existing;
            else if (key is not null && byKey.TryGetValue(key, out existing)) duplicateOf[i] = existing;
            else if (data.ExternalId is { } ext2 && batchByExternalId.TryGetValue(ext2, out var first)) firstInBatch[i] = first;
            else if (key is not null && batchByKey.TryGetValue(key, out first)) firstInBatch[i] = first;
            else
            {
                rows[i] = NewRow(workspaceId, leads[i], key, now);
                if (data.ExternalId is { } e) batchByExternalId[e] = i;
                if (key is not null) batchByKey[key] = i;
            }
        }

        await RowInserter.AddAsync(db, rows.OfType<LeadRow>().ToList(), cancellationToken);

        var outcomes = new IntakeOutcome[leads.Count];
        for (var i = 0; i < leads.Count; i++)
        {
            var external = leads[i].Data.ExternalId;
            outcomes[i] = rows[i] is { } row
                ? new IntakeOutcome(row.Id, Duplicate: false, external)
                : new IntakeOutcome(duplicateOf[i] ?? rows[firstInBatch[i]!.Value]!.Id, Duplicate: true, external);
        }
        db.ChangeTracker.Clear();
        return outcomes;
    }

    /// <summary>
    /// The stored leads that new ones would repeat: by external id (ever), and by dedupe key within the window (the first),
    /// keyed by the short key; <paramref name="fullKeys"/> are the whole hashes, which leads stored before the key was shortened hold.
    /// </summary>
    private async Task<(Dictionary<string, long> ByExternalId, Dictionary<string, long> ByKey)> QueryStoredAsync(
        string workspaceId, IReadOnlyList<NewLead> leads, string?[] fullKeys, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var externalIds = leads.Select(l => l.Data.ExternalId).OfType<string>().Distinct().ToList();
        var dedupeKeys = fullKeys.OfType<string>().SelectMany(k => new[] { k[..LeadIdentity.KeyLength], k }).Distinct().ToList();
        var byExternalId = externalIds.Count == 0
            ? new Dictionary<string, long>(StringComparer.Ordinal)
            : await db.Leads.AsNoTracking()
                .Where(l => l.WorkspaceId == workspaceId && l.ExternalId != null && externalIds.Contains(l.ExternalId))
                .Select(l => new { ExternalId = l.ExternalId!, l.Id })
                .ToDictionaryAsync(l => l.ExternalId, l => l.Id, StringComparer.Ordinal, cancellationToken);
        var byKey = dedupeKeys.Count == 0
            ? new Dictionary<string, long>(StringComparer.Ordinal)
            : (await db.Leads.AsNoTracking()
                .Where(l => l.WorkspaceId == workspaceId && l.DedupeKey != null && dedupeKeys.Contains(l.DedupeKey) && l.ReceivedAt >= since)
                .Select(l => new { Key = l.DedupeKey!, l.Id })
                .ToListAsync(cancellationToken))
            .GroupBy(l => l.Key[..LeadIdentity.KeyLength])
            .ToDictionary(g => g.Key, g => g.Min(l => l.Id), StringComparer.Ordinal);
        return (byExternalId, byKey);
    }

    /// <summary>
    /// As <see cref="QueryStoredAsync"/>, on SQLite: external ids with a statement prepared once and run per distinct id (EF
    /// built and compiled its query for every group of leads again, since their lists differ each time), and dedupe keys
    /// from <see cref="RecentLeadKeys"/>, which SQLite's schema has instead of an index on them.
    /// </summary>
    private async Task<(Dictionary<string, long> ByExternalId, Dictionary<string, long> ByKey)> FindStoredAsync(
        IPositionalStatements statements, string workspaceId, IReadOnlyList<NewLead> leads, string?[] fullKeys, DateTimeOffset since, TimeSpan window,
        CancellationToken cancellationToken)
    {
        var byExternalId = new Dictionary<string, long>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            using (var byId = statements.Prepare(connection, "SELECT id FROM leads WHERE workspace_id = @w AND external_id = @e"))
            {
                byId.BindText(1, workspaceId);
                foreach (var lead in leads)
                {
                    if (lead.Data.ExternalId is not { } external || byExternalId.ContainsKey(external)) continue;
                    byId.BindText(2, external);
                    if (byId.Step()) byExternalId[external] = byId.GetInt64(0);
                    byId.Reset();
                }
            }
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            return (byExternalId, recentKeys.Find(statements, connection, transaction, workspaceId, fullKeys, since.ToUnixTimeMilliseconds(), window));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task<Lead?> GetAsync(long leadId, CancellationToken cancellationToken)
    {
        var row = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == leadId, cancellationToken);
        return row is null ? null : Map(row);
    }

    // The query is SQL (CAST ... AS TEXT, lower(), LIKE on both providers): the culture rules of .NET strings do not apply.
#pragma warning disable CA1304, CA1305, CA1311, CA1862
    public async Task<IReadOnlyList<Lead>> SearchAsync(string workspaceId, string text, int limit, CancellationToken cancellationToken)
    {
        var query = db.Leads.AsNoTracking().Where(l => l.WorkspaceId == workspaceId);
        var typed = text.Trim().TrimStart('#').ToLowerInvariant();
        if (typed.Length > 0 && typed.All(char.IsAsciiDigit))
        {
            query = query.Where(l => l.Id.ToString().StartsWith(typed));
        }
        else if (typed.Length > 0)
        {
            query = query.Where(l => (l.FirstName ?? "").ToLower().Contains(typed) || (l.LastName ?? "").ToLower().Contains(typed)
                                     || (l.Company ?? "").ToLower().Contains(typed) || (l.Email ?? "").ToLower().Contains(typed));
        }
        var rows = await query.OrderByDescending(l => l.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(Map).ToList();
    }
#pragma warning restore CA1304, CA1305, CA1311, CA1862

    public async Task<Lead?> FindByThreadAsync(PlaceRef thread, CancellationToken cancellationToken)
    {
        var row = await db.Leads.AsNoTracking().FirstOrDefaultAsync(
            l => l.HandoffPlatform == thread.Platform && l.WorkspaceId == thread.Workspace && l.ThreadPlace == thread.Id, cancellationToken);
        return row is null ? null : Map(row);
    }

    public async Task SetRouteAsync(long leadId, LeadRoute route, bool reroute, CancellationToken cancellationToken)
    {
        var pool = route.Pool.Count == 0 ? null : string.Join(',', route.Pool.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        await db.Leads.Where(l => l.Id == leadId).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.AssigneeId, route.AssigneeId)
            .SetProperty(l => l.PoolIds, pool)
            .SetProperty(l => l.RoutePlace, route.PlaceId)
            .SetProperty(l => l.RouteReason, route.Reason)
            .SetProperty(l => l.RoutedAt, route.At)
            .SetProperty(l => l.Reroutes, l => l.Reroutes + (reroute ? 1 : 0)), cancellationToken);
        await AddAssignmentRecordAsync(new AssignmentRecord(
            leadId, reroute ? AssignmentKind.Rerouted : AssignmentKind.Routed, route.AssigneeId, route.Reason, route.At), cancellationToken);
    }

    public async Task<bool> TryClaimAsync(long leadId, long personId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await db.Leads.Where(l => l.Id == leadId && l.ClaimedById == null).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.ClaimedById, personId)
            .SetProperty(l => l.ClaimedAt, at)
            .SetProperty(l => l.SlaDueAt, (DateTimeOffset?)null), cancellationToken) == 1;

    public async Task<bool> TryReleaseAsync(long leadId, long personId, CancellationToken cancellationToken) =>
        await db.Leads.Where(l => l.Id == leadId && l.ClaimedById == personId).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.ClaimedById, (long?)null)
            .SetProperty(l => l.ClaimedAt, (DateTimeOffset?)null), cancellationToken) == 1;

    public async Task RecordHandoffAsync(
        long leadId, MessageRef message, string threadPlaceId, DateTimeOffset postedAt, DateTimeOffset? slaDueAt, CancellationToken cancellationToken) =>
        await db.Leads.Where(l => l.Id == leadId).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.HandoffPlatform, message.Platform)
            .SetProperty(l => l.HandoffPlace, message.PlaceId)
            .SetProperty(l => l.HandoffMessageId, message.MessageId)
            .SetProperty(l => l.ThreadPlace, threadPlaceId)
            .SetProperty(l => l.PostedAt, postedAt)
            .SetProperty(l => l.SlaStage, 0)
            .SetProperty(l => l.SlaDueAt, l => l.ClaimedById == null ? slaDueAt : null), cancellationToken);

    public async Task<bool> TryAdvanceSlaAsync(long leadId, int fromStage, int toStage, DateTimeOffset? newDueAt, CancellationToken cancellationToken) =>
        await db.Leads.Where(l => l.Id == leadId && l.SlaStage == fromStage && l.ClaimedById == null && l.SlaDueAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.SlaStage, toStage).SetProperty(l => l.SlaDueAt, newDueAt), cancellationToken) == 1;

    public async Task RestartSlaAsync(long leadId, DateTimeOffset? dueAt, CancellationToken cancellationToken) =>
        await db.Leads.Where(l => l.Id == leadId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.SlaStage, 0).SetProperty(l => l.SlaDueAt, dueAt), cancellationToken);

    public async Task SetStageAsync(long leadId, LeadStage stage, CancellationToken cancellationToken) =>
        await db.Leads.Where(l => l.Id == leadId).ExecuteUpdateAsync(s => s.SetProperty(l => l.Stage, (int)stage), cancellationToken);

    public async Task AddAssignmentRecordAsync(AssignmentRecord record, CancellationToken cancellationToken)
    {
        db.Assignments.Add(new AssignmentRow
        {
            LeadId = record.LeadId,
            Kind = (int)record.Kind,
            PersonId = record.PersonId,
            Reason = record.Reason,
            At = record.At,
        });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public async Task<IReadOnlyList<AssignmentRecord>> GetAssignmentRecordsAsync(long leadId, CancellationToken cancellationToken)
    {
        var rows = await db.Assignments.AsNoTracking().Where(a => a.LeadId == leadId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return rows.Select(a => new AssignmentRecord(a.LeadId, (AssignmentKind)a.Kind, a.PersonId, a.Reason, a.At)).ToList();
    }

    public async IAsyncEnumerable<(long LeadId, DateTimeOffset DueAt)> ReadRunningSlaAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = db.Leads.AsNoTracking()
            .Where(l => l.SlaDueAt != null && l.ClaimedById == null && l.HandoffMessageId != null)
            .Select(l => new { l.Id, l.SlaDueAt })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken)) yield return (row.Id, row.SlaDueAt!.Value);
    }

    public async Task<long?> GetCursorAsync(string workspaceId, string rotation, CancellationToken cancellationToken) =>
        await db.RoutingCursors.Where(c => c.WorkspaceId == workspaceId && c.Rotation == rotation)
            .Select(c => (long?)c.PersonId).FirstOrDefaultAsync(cancellationToken);

    public async Task SetCursorAsync(string workspaceId, string rotation, long personId, CancellationToken cancellationToken)
    {
        var updated = await db.RoutingCursors.Where(c => c.WorkspaceId == workspaceId && c.Rotation == rotation)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.PersonId, personId), cancellationToken);
        if (updated > 0) return;
        db.RoutingCursors.Add(new RoutingCursorRow { WorkspaceId = workspaceId, Rotation = rotation, PersonId = personId });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// Two capped range reads per rep, on the partial indexes of open claimed and open assigned leads. Counting every open
    /// lead of the workspace instead read all of its leads: on a store of 1M leads about 0.6 s per handoff routed, inside the
    /// transaction that holds the write lock.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, int>> CountOpenLeadsAsync(string workspaceId, IReadOnlyCollection<long> people, int atMost, CancellationToken cancellationToken)
    {
        if (people.Count == 0 || atMost < 1) return new Dictionary<long, int>();
        var open = await OpenLeadsQuery(db, workspaceId, [.. people], atMost).ToListAsync(cancellationToken);
        return open.Where(o => o.Claimed + o.Assigned > 0).ToDictionary(o => o.Person, o => Math.Min(o.Claimed + o.Assigned, atMost));
    }

    /// <summary>
    /// Each person's open claimed and open assigned leads, each counted up to <paramref name="atMost"/>. The filters repeat
    /// the partial indexes' own (<c>stage &lt; 4</c>: Won as a constant, not a parameter), so that SQLite and PostgreSQL use them.
    /// </summary>
    internal static IQueryable<OpenLeads> OpenLeadsQuery(TeamBotDbContext db, string workspaceId, List<long> people, int atMost) =>
        db.People.AsNoTracking()
            .Where(p => people.Contains(p.Id))
            .Select(p => new OpenLeads(
                p.Id,
                db.Leads.Where(l => l.WorkspaceId == workspaceId && l.ClaimedById == p.Id && l.Stage < (int)LeadStage.Won).Take(atMost).Count(),
                db.Leads.Where(l => l.WorkspaceId == workspaceId && l.AssigneeId == p.Id && l.ClaimedById == null && l.Stage < (int)LeadStage.Won).Take(atMost).Count()));

    internal sealed record OpenLeads(long Person, int Claimed, int Assigned);

    private static LeadRow NewRow(string workspaceId, NewLead lead, string? dedupeKey, DateTimeOffset now)
    {
        var d = lead.Data;
        return new LeadRow
        {
            WorkspaceId = workspaceId,
            ExternalId = d.ExternalId,
            Email = d.Email,
            FirstName = d.FirstName,
            LastName = d.LastName,
            Company = d.Company,
            Title = d.Title,
            Phone = d.Phone,
            Source = d.Source,
            Campaign = d.Campaign,
            Segment = d.Segment,
            Country = d.Country,
            CompanySize = d.CompanySize,
            CompanySizeMin = d.CompanySizeMin,
            Score = d.Score,
            Reason = d.Reason,
            Url = d.Url,
            FieldsJson = d.Fields.Count == 0 ? null : JsonSerializer.Serialize(d.Fields),
            DedupeKey = dedupeKey,
            ReceivedAt = now,
            Via = (int)lead.Via,
            SubmittedById = lead.SubmittedById,
        };
    }

    internal static Lead Map(LeadRow row) => new()
    {
        Id = row.Id,
        WorkspaceId = row.WorkspaceId,
        Data = new LeadData
        {
            ExternalId = row.ExternalId,
            Email = row.Email,
            FirstName = row.FirstName,
            LastName = row.LastName,
            Company = row.Company,
            Title = row.Title,
            Phone = row.Phone,
            Source = row.Source,
            Campaign = row.Campaign,
            Segment = row.Segment,
            Country = row.Country,
            CompanySize = row.CompanySize,
            CompanySizeMin = row.CompanySizeMin,
            Score = row.Score,
            Reason = row.Reason,
            Url = row.Url,
            Fields = row.FieldsJson is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(row.FieldsJson)!,
        },
        ReceivedAt = row.ReceivedAt,
        Via = (IntakeChannel)row.Via,
        SubmittedById = row.SubmittedById,
        Route = row.RoutePlace is null
            ? null
            : new LeadRoute(
                row.AssigneeId,
                row.PoolIds is null ? [] : row.PoolIds.Split(',').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToList(),
                row.RoutePlace,
                row.RouteReason ?? "",
                row.RoutedAt ?? row.ReceivedAt),
        ClaimedById = row.ClaimedById,
        ClaimedAt = row.ClaimedAt,
        Handoff = row.HandoffMessageId is null ? null : new MessageRef(row.HandoffPlatform!, row.WorkspaceId, row.HandoffPlace!, row.HandoffMessageId),
        ThreadPlaceId = row.ThreadPlace,
        PostedAt = row.PostedAt,
        SlaDueAt = row.SlaDueAt,
        SlaStage = row.SlaStage,
        Reroutes = row.Reroutes,
        Stage = (LeadStage)row.Stage,
        ErasedAt = row.ErasedAt,
    };
}
