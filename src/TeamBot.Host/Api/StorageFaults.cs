using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TeamBot.Host.Api;

/// <summary>Broken storage that a webhook sender should hear about as 503 with <c>Retry-After</c>, not as a 500.</summary>
internal enum StorageFault
{
    /// <summary>No space for the database (SQLITE_FULL, PostgreSQL's disk_full).</summary>
    Full,

    /// <summary>Another process held the write lock longer than the request could wait (SQLITE_BUSY, SQLITE_LOCKED).</summary>
    Busy,

    /// <summary>The database cannot be written at all: read-only, an I/O error, or PostgreSQL does not answer.</summary>
    Unavailable,
}

internal static class StorageFaults
{
    /// <summary>The storage fault behind <paramref name="error"/> (EF wraps the provider's exception), or null for anything else.</summary>
    public static StorageFault? Of(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite:
                    // The primary result code is the low byte of an extended one.
                    switch (sqlite.SqliteErrorCode & 0xFF)
                    {
                        case 13: return StorageFault.Full; // SQLITE_FULL
                        case 5 or 6: return StorageFault.Busy; // SQLITE_BUSY, SQLITE_LOCKED
                        case 8 or 10 or 14: return StorageFault.Unavailable; // SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN
                    }
                    return null;
                case PostgresException postgres:
                    return postgres.SqlState switch
                    {
                        "53100" => StorageFault.Full, // disk_full
                        "55P03" => StorageFault.Busy, // lock_not_available
                        _ when postgres.IsTransient => StorageFault.Unavailable,
                        _ => null,
                    };
                case NpgsqlException { IsTransient: true }:
                    return StorageFault.Unavailable;
            }
        }
        return null;
    }
}

/// <summary>The last storage fault the webhook met, for /healthz; cleared when leads are stored again.</summary>
internal sealed class StorageStatus(TimeProvider clock)
{
    private volatile string? _problem;

    /// <summary>Why storage is degraded, or null when the last write went through.</summary>
    public string? Problem => _problem;

    public void Report(StorageFault fault)
    {
        var at = clock.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        _problem = fault switch
        {
            StorageFault.Full => $"The database is full (since {at} UTC): webhook leads are refused with 503 until space is freed.",
            StorageFault.Busy => $"The database was locked by another process (at {at} UTC): webhook leads were refused with 503.",
            _ => $"The database could not be written (at {at} UTC): webhook leads are refused with 503; the log says why.",
        };
    }

    public void Clear() => _problem = null;
}
