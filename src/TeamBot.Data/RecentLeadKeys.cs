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
/// How it stays right with other writers (a <c>teambot import</c> beside the host, anything else writing the file): every
/// look-up first reads the leads written since the last one (by id, from the leads table), inside the caller's write
/// transaction, so it sees every lead stored before it, whoever wrote it. A workspace's keys are read from the database
/// (its leads of the window, by the <c>(workspace_id, received_at)</c> index) the first time it takes a lead. A lead
/// found is checked against its row before it is called a duplicate: an erased lead has no key any more, and a lead whose
/// transaction rolled back was never read in the first place (only committed rows are). So what it answers is what the
/// query over the index answered: the first lead (lowest id) of the workspace received since the window's start whose
/// stored key is the short key or, for leads stored before keys were shortened, the whole hash.
/// </para>
/// <para>
/// Memory: about 40 bytes per lead of the window (a workspace taking 100,000 leads a month: about 4 MB with the default
/// 30 days). Keys older than the window are dropped each time the window has moved on by an eighth of its length.
/// </para>
/// </remarks>
internal sealed class RecentLeadKeys
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WorkspaceKeys> _workspaces = new(StringComparer.Ordinal);

    /// <summary>The highest lead id read so far; -1 before the first look-up.</summary>
    private long _seen = -1;

    /// <summary>
    /// The first lead received at or after <paramref name="since"/> (Unix milliseconds) for each of <paramref name="fullKeys"/>
    /// (whole hashes, or null), keyed by the short key. Call it on the connection of the transaction that will store the new
    /// leads, so that nothing can be written between the look-up and the insert.
    /// </summary>
    public Dictionary<string, long> Find(
        IPositionalStatements statements, DbConnection connection, string workspaceId, IReadOnlyList<string?> fullKeys, long since, TimeSpan window)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (_gate)
        {
            CatchUp(statements, connection);
            var keys = Loaded(statements, connection, workspaceId, since);
            PositionalStatement? check = null;
            try
            {
                var looked = new HashSet<string>(StringComparer.Ordinal);
                foreach (var full in fullKeys)
                {
                    if (full is null) continue;
                    var key = full[..LeadIdentity.KeyLength];
                    if (!looked.Add(key) || !TryHash(key, out var hash)) continue;
                    var first = keys.First(hash, since, id => Holds(check ??= statements.Prepare(connection, "SELECT dedupe_key FROM leads WHERE id = @id"), id, key, full));
                    if (first is { } id) found[key] = id;
                }
            }
            finally
            {
                check?.Dispose();
            }
            keys.DropOlderThan(since, window);
        }
        return found;
    }

    /// <summary>Whether lead <paramref name="id"/> still exists and still holds the key (erasure clears it).</summary>
    private static bool Holds(PositionalStatement check, long id, string key, string full)
    {
        check.BindInt64(1, id);
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
            _seen = Math.Max(_seen, id);
            if (added.IsNull(2) || !_workspaces.TryGetValue(added.GetText(1)!, out var keys)) continue;
            if (TryHash(added.GetText(2)!, out var hash)) keys.Add(hash, id, added.GetInt64(3));
        }
    }

    /// <summary>The workspace's keys, read from the database the first time, or again when asked for an earlier start than they hold.</summary>
    private WorkspaceKeys Loaded(IPositionalStatements statements, DbConnection connection, string workspaceId, long since)
    {
        if (_workspaces.TryGetValue(workspaceId, out var keys) && keys.Since <= since) return keys;
        keys = new WorkspaceKeys(since);
        using var read = statements.Prepare(connection,
            "SELECT id, dedupe_key, received_at FROM leads WHERE workspace_id = @w AND received_at >= @since AND dedupe_key IS NOT NULL");
        read.BindText(1, workspaceId);
        read.BindInt64(2, since);
        while (read.Step())
        {
            if (TryHash(read.GetText(1)!, out var hash)) keys.Add(hash, read.GetInt64(0), read.GetInt64(2));
        }
        _workspaces[workspaceId] = keys;
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
        private readonly Dictionary<ulong, Entry> _first = [];
        private readonly Dictionary<ulong, List<Entry>> _more = [];
        private long _sweptAt = since;

        /// <summary>Every lead received from then on (Unix milliseconds) is here.</summary>
        public long Since { get; } = since;

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

        /// <summary>The lowest id received since <paramref name="since"/> under the key that <paramref name="holds"/> confirms; the ones it denies are forgotten.</summary>
        public long? First(ulong hash, long since, Func<long, bool> holds)
        {
            while (_first.TryGetValue(hash, out var first))
            {
                Entry? candidate = first.At >= since ? first : _more.TryGetValue(hash, out var more) ? more.Find(e => e.At >= since) : null;
                if (candidate is not { Id: var id } || id == 0) return null;
                if (holds(id)) return id;
                Remove(hash, id);
            }
            return null;
        }

        private void Remove(ulong hash, long id)
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

        /// <summary>Forgets the leads received before <paramref name="since"/>, once the window has moved on by an eighth of its length since the last time.</summary>
        public void DropOlderThan(long since, TimeSpan window)
        {
            if (since - _sweptAt < (long)(window.TotalMilliseconds / 8)) return;
            _sweptAt = since;
            var expired = _first.Where(f => f.Value.At < since).Select(f => f.Key).ToList();
            foreach (var hash in expired)
            {
                _first.Remove(hash);
                if (!_more.Remove(hash, out var rest)) continue;
                rest.RemoveAll(e => e.At < since);
                if (rest.Count == 0) continue;
                _first[hash] = rest[0];
                rest.RemoveAt(0);
                if (rest.Count > 0) _more[hash] = rest;
            }
        }
    }
}
