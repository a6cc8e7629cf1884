using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Quartz.Impl.AdoJobStore.Common;
using TeamBot.Data.Sqlite;

namespace TeamBot.Host.Scheduling;

/// <summary>
/// Quartz's connections to the SQLite store, made to wait for other writers inside SQLite (as TeamBot's own connections
/// do, see <see cref="SqliteStorage.WaitWhenBusy"/>) instead of the 150 ms sleeps Microsoft.Data.Sqlite falls back on.
/// </summary>
internal sealed class WaitingSqliteProvider(string connectionString) : DbProvider("SQLite-Microsoft", connectionString)
{
    public override DbConnection CreateConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.StateChange += (sender, change) =>
        {
            if (change.CurrentState == ConnectionState.Open) SqliteStorage.WaitWhenBusy((SqliteConnection)sender);
        };
        return connection;
    }
}
