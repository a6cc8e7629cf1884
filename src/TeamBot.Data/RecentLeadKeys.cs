using System.Data.Common;
using System.Globalization;
using TeamBot.Core.Leads;

namespace TeamBot.Data;

/// <summary>
/// The dedupe keys of the leads received within the dedupe window, held in memory for SQLite's intake in place of an index
/// on them (one per host: registered as a singleton beside the DbContext).
/// </summary>
/// <remarks>
/// <para>
/// Why: a dedupe key is a hash, so every new lead's entry went into that index at a random place. A group commit of 400
/// leads then wrote about 360 index pages to the WAL against about 30 for the leads themselves, and the intake writer spent
/// most of its time on them (<c>ingest-batch</c>: 14,670 and 15,250 leads/s with the index, 36,350 and 36,330 with this).
/// The leads table itself is in the order its rows were written (ids only grow: AUTOINCREMENT), so reading what was added
/// since is one range read of a few pages.
/// </para>
/// <para>
/// How it stays right with other writers (a <c>teambot import</c> beside the host, anything else writing the file): the
/// first look-up of a write transaction reads the leads committed since the last one (by id, from the leads table). It
/// holds SQLite's write lock by then, so it sees every lead stored before it, whoever wrote it. Leads only ever come in
/// through <c>EfLeadStore.AddAsync</c>, which looks up before it inserts, so nothing that first look-up reads can be
/// undone. A later look-up in the same transaction (a group commit with several workspaces, or several calls) also sees
/// the leads the transaction stored itself, for that look-up only: they are not kept, since the transaction may still roll
/// back and its ids be given out again; the next transaction reads them if they were committed. A workspace's keys are
/// read from the database (its committed leads of the window, by the <c>(workspace_id, received_at)</c> index) the first
/// time it takes a lead. A lead found is checked against its row before it is called a duplicate: an erased lead has no
/// key any more. So what it answers is what the query over the index answered: the first lead (lowest id) of the workspace
/// received since the window's start whose stored key is the short key or, for leads stored before keys were shortened,
/// the whole hash.
/// </para>
/// <para>
/// Memory: about 90 bytes of resident memory per lead of the window, the GC's overhead included (measured: 11 MB more after
/// 120,000 leads in the 20-minute soak; a workspace taking 100,000 leads a month holds about 9 MB with the default 30
/// days). Keys older than the window are dropped, in every workspace, each time the window has moved on by an eighth of
/// its length.
/// </para>
/// </remarks>
internal sealed class RecentLeadKeys
{
    /// <summary>
    /// How much older than the window the keys kept reach when old ones are dropped: a look-up whose time was taken a
    /// little before another's (it waited for the write lock) still finds everything its window holds.
    /// </summary>
    private static readonly long Slack = (long)TimeSpan.FromMinutes(10).TotalMilliseconds;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, WorkspaceKeys> _workspaces = new(StringComparer.Ordinal);

    /// <summary>Every lead up to this id is committed and was read; -1 before the first look-up.</summary>
    private long _seen = -1;

    /// <summary>The write transaction of the last look-up, to know a later look-up in the same one.</summary>
    private object? _transaction;

    /// <summary>When (the window's start, Unix milliseconds) old keys were last dropped.</summary>
    private long? _sweptAt;

    /// <summary>
    /// The first lead received at or after <paramref name="since"/> (Unix milliseconds) for each of <paramref name="fullKeys"/>
    /// (whole hashes, or null), keyed by the short key. Call it on the connection of <paramref name="transaction"/>, the write
    /// transaction that will store the new leads, so that nothing can be written between the look-up and the insert.
    /// </summary>
    public Dictionary<string, long> Find(
        IPositionalStatements statements, DbConnection connection, DbTransaction? transaction, string workspaceId, IReadOnlyList<string?> fullKeys,
        long since, TimeSpan window)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (_gate)
        {
            var again = transaction is not null && ReferenceEquals(transaction, _transaction);
            if (!again) CatchUp(statements, connection);
            _transaction = transaction;
            var keys = Loaded(statements, connection, workspaceId, since);
            var own = again ? OwnLeads(statements, connection, workspaceId, since) : null;
            PositionalStatement? check = null;
            try
            {
                foreach (var full in fullKeys)
                {
                    if (full is null) continue;
                    var key = full[..LeadIdentity.KeyLength];
                    if (found.ContainsKey(key) || !TryHash(key, out var hash)) continue;
                    while (keys.Candidate(hash, since) is { } id)
                    {
                        check ??= statements.Prepare(connection, "SELECT dedupe_key FROM leads WHERE id = @id AND workspace_id = @w");
                        if (Holds(check, id, workspaceId, key, full))
                        {
                            found[key] = id;
                            break;
                        }
                        keys.Remove(hash, id);
                    }
                    // The transaction's own leads have higher ids than every committed one.
                    if (!found.ContainsKey(key) && own?.Candidate(hash, since) is { } mine) found[key] = mine;
                }
            }
            finally
            {
                check?.Dispose();
            }
            DropOld(since, window);
        }
        return found;
    }

    /// <summary>The leads this transaction stored in the workspace (all above <see cref="_seen"/>: nobody else can write meanwhile).</summary>
    private WorkspaceKeys OwnLeads(IPositionalStatements statements, DbConnection connection, string workspaceId, long since)
    {
        using var read = statements.Prepare(connection,
            "SELECT id, dedupe_key, received_at FROM leads WHERE id > @seen AND workspace_id = @w AND received_at >= @since AND dedupe_key IS NOT NULL");
        read.BindInt64(1, _seen);
        read.BindText(2, workspaceId);
        read.BindInt64(3, since);
        return ReadKeys(read, since);
    }

    /// <summary>Drops, in every workspace, the keys received before the window (less <see cref="Slack"/>), once it has moved on by an eighth of its length.</summary>
    private void DropOld(long since, TimeSpan window)
    {
        _sweptAt ??= since;
        if (since - _sweptAt < (long)(window.TotalMilliseconds / 8)) return;
        _sweptAt = since;
        foreach (var keys in _workspaces.Values) keys.DropBefore(since - Slack);
    }

    /// <summary>Whether lead <paramref name="id"/> still exists in the workspace and still holds the key (erasure clears it).</summary>
    private static bool Holds(PositionalStatement check, long id, string workspaceId, string key, string full)
    {
        check.BindInt64(1, id);
        check.BindText(2, workspaceId);
        try
        {
            return check.Step() && check.GetText(0) is { } stored && (stored == key || stored == full);
        }
        finally
        {
            check.Reset();
        }
    }

    /// <summary>Reads the leads stored since the last look-up (by anyone) into the workspaces already loaded.</summary>
    private void CatchUp(IPositionalStatements statements, DbConnection connection)
    {
        if (_seen < 0)
        {
            // The first look-up: workspaces are read whole when first asked for, so only where the leads end is needed.
            using var last = statements.Prepare(connection, "SELECT coalesce(max(id), 0) FROM leads");
            _seen = last.Step() ? last.GetInt64(0) : 0;
            return;
        }
        using var added = statements.Prepare(connection, "SELECT id, workspace_id, dedupe_key, received_at FROM leads WHERE id > @seen ORDER BY id");
        added.BindInt64(1, _seen);
        while (added.Step())
        {
            var id = added.GetInt64(0);
            _seen = id;
            if (added.IsNull(2) || !_workspaces.TryGetValue(added.GetText(1)!, out var keys)) continue;
            if (TryHash(added.GetText(2)!, out var hash)) keys.Add(hash, id, added.GetInt64(3));
        }
    }

    /// <summary>
    /// The workspace's keys, read from the database the first time, or again when asked for an earlier start than they hold.
    /// Only committed leads (up to <see cref="_seen"/>): the ones after are the transaction's own, or read by the next catch-up.
    /// </summary>
    private WorkspaceKeys Loaded(IPositionalStatements statements, DbConnection connection, string workspaceId, long since)
    {
        if (_workspaces.TryGetValue(workspaceId, out var keys) && keys.Since <= since) return keys;
        using var read = statements.Prepare(connection,
            "SELECT id, dedupe_key, received_at FROM leads WHERE workspace_id = @w AND received_at >= @since AND dedupe_key IS NOT NULL AND id <= @seen");
        read.BindText(1, workspaceId);
        read.BindInt64(2, since);
        read.BindInt64(3, _seen);
        return _workspaces[workspaceId] = ReadKeys(read, since);
    }

    /// <summary>The keys of the rows of a statement selecting <c>id, dedupe_key, received_at</c>.</summary>
    private static WorkspaceKeys ReadKeys(PositionalStatement read, long since)
    {
        var keys = new WorkspaceKeys(since);
        while (read.Step())
        {
            if (TryHash(read.GetText(1)!, out var hash)) keys.Add(hash, read.GetInt64(0), read.GetInt64(2));
        }
        return keys;
    }

    /// <summary>The key's first 64 bits, as the dedupe key's hex spells them (short keys are exactly these; whole hashes start with them).</summary>
    private static bool TryHash(string key, out ulong hash)
    {
        hash = 0;
        return key.Length >= LeadIdentity.KeyLength
               && ulong.TryParse(key.AsSpan(0, LeadIdentity.KeyLength), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hash);
    }

    private readonly record struct Entry(long Id, long At);

    /// <summary>One workspace's leads of the window by key: the first of each key, and the rare keys held by more than one lead.</summary>
    private sealed class WorkspaceKeys(long since)
    {
        private readonly FirstEntries _first = new();
        private readonly Dictionary<ulong, List<Entry>> _more = [];

        /// <summary>Every committed lead received from then on (Unix milliseconds) is here.</summary>
        public long Since { get; private set; } = since;

        public void Add(ulong hash, long id, long at)
        {
            if (!_first.TryGetValue(hash, out var first))
            {
                _first[hash] = new Entry(id, at);
                return;
            }
            if (first.Id == id) return;
            if (!_more.TryGetValue(hash, out var more)) _more[hash] = more = [];
            if (more.Exists(e => e.Id == id)) return;
            // Kept in id order, the first in _first: the answer is the lowest id received since the window's start.
            if (id < first.Id)
            {
                more.Insert(0, first);
                _first[hash] = new Entry(id, at);
                return;
            }
            var at2 = more.FindIndex(e => e.Id > id);
            more.Insert(at2 < 0 ? more.Count : at2, new Entry(id, at));
        }

        /// <summary>The lowest id received since <paramref name="since"/> under the key, or null.</summary>
        public long? Candidate(ulong hash, long since)
        {
            if (!_first.TryGetValue(hash, out var first)) return null;
            if (first.At >= since) return first.Id;
            return _more.TryGetValue(hash, out var more) && more.Find(e => e.At >= since) is { Id: > 0 } later ? later.Id : null;
        }

        /// <summary>Forgets a lead that no longer holds the key (erased).</summary>
        public void Remove(ulong hash, long id)
        {
            _more.TryGetValue(hash, out var more);
            if (_first[hash].Id == id)
            {
                if (more is null or { Count: 0 }) _first.Remove(hash);
                else
                {
                    _first[hash] = more[0];
                    more.RemoveAt(0);
                }
            }
            else more?.RemoveAll(e => e.Id == id);
            if (more is { Count: 0 }) _more.Remove(hash);
        }

        /// <summary>Forgets the leads received before <paramref name="cutoff"/>; from then on it holds only leads received since then.</summary>
        public void DropBefore(long cutoff)
        {
            if (cutoff <= Since) return;
            Since = cutoff;
            var expired = _first.KeysBefore(cutoff);
            foreach (var hash in expired)
            {
                _first.Remove(hash);
                if (!_more.Remove(hash, out var rest)) continue;
                rest.RemoveAll(e => e.At < cutoff);
                if (rest.Count == 0) continue;
                _first[hash] = rest[0];
                rest.RemoveAt(0);
                if (rest.Count > 0) _more[hash] = rest;
            }
        }
    }

    /// <summary>
    /// The first entry of each key, split 256 ways by the hash's top byte so that no table reaches the large object heap: one
    /// table of a 60,000-lead window left several MB of large arrays behind at each resize until a full collection (the
    /// 10-minute <c>soak</c>'s large object heap grew from 0.8 to 7 MB).
    /// </summary>
    private sealed class FirstEntries
    {
        private readonly Dictionary<ulong, Entry>?[] _parts = new Dictionary<ulong, Entry>?[256];

        public Entry this[ulong hash]
        {
            get => _parts[hash >> 56]![hash];
            set => (_parts[hash >> 56] ??= [])[hash] = value;
        }

        public bool TryGetValue(ulong hash, out Entry entry)
        {
            entry = default;
            return _parts[hash >> 56] is { } part && part.TryGetValue(hash, out entry);
        }

        public void Remove(ulong hash) => _parts[hash >> 56]?.Remove(hash);

        public List<ulong> KeysBefore(long cutoff) =>
            [.. _parts.OfType<Dictionary<ulong, Entry>>().SelectMany(part => part).Where(e => e.Value.At < cutoff).Select(e => e.Key)];
    }
}
