using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace TeamBot.Data;

/// <summary>
/// A SQL statement prepared once on an open connection and run many times, its parameters bound by position (from 1).
/// ADO.NET binds parameters by name on every run (Microsoft.Data.Sqlite looks each name up in the statement, for every
/// row), which was the largest part of the intake writer's time. It runs in whatever transaction its connection has open,
/// and must be disposed before that connection is closed.
/// </summary>
internal abstract class PositionalStatement : IDisposable
{
    public abstract void BindNull(int index);

    public abstract void BindText(int index, string value);

    public abstract void BindInt64(int index, long value);

    public abstract void BindDouble(int index, double value);

    public abstract void BindBlob(int index, byte[] value);

    /// <summary>Runs the statement to its next row: true when there is one, false when it has finished.</summary>
    public abstract bool Step();

    public abstract bool IsNull(int column);

    public abstract long GetInt64(int column);

    public abstract string? GetText(int column);

    /// <summary>Makes it ready to run again; the bound values stay until they are bound anew.</summary>
    public abstract void Reset();

    public abstract void Dispose();
}

/// <summary>A provider's way to prepare <see cref="PositionalStatement"/>s; registered with the context's options by the provider's setup.</summary>
internal interface IPositionalStatements
{
    PositionalStatement Prepare(DbConnection connection, string sql);
}

internal static class PositionalStatements
{
    /// <summary>Lets this context's stores prepare positional statements (SQLite's setup does this).</summary>
    internal static DbContextOptionsBuilder UsePositionalStatements(this DbContextOptionsBuilder options, IPositionalStatements statements)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new Extension(statements));
        return options;
    }

    /// <summary>The provider's positional statements, or null when it has none (PostgreSQL: the stores use EF there).</summary>
    internal static IPositionalStatements? For(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<Extension>()?.Statements;

    private sealed class Extension(IPositionalStatements statements) : IDbContextOptionsExtension
    {
        private DbContextOptionsExtensionInfo? _info;

        public IPositionalStatements Statements { get; } = statements;

        public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

        public void ApplyServices(IServiceCollection services)
        {
            // Nothing to add to EF's services: the stores ask for the statements themselves.
        }

        public void Validate(IDbContextOptions options)
        {
        }

        private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
        {
            public override bool IsDatabaseProvider => false;

            public override string LogFragment => "PositionalStatements ";

            public override int GetServiceProviderHashCode() => 0;

            public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

            public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["TeamBot:PositionalStatements"] = "1";
        }
    }
}
