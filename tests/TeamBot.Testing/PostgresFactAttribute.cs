using Xunit;

namespace TeamBot.Testing;

/// <summary>A fact that runs only where a PostgreSQL server is configured (CI starts one; see .ci/run).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    /// <summary>An admin connection string; tests create their own databases on that server.</summary>
    public const string Variable = "TEAMBOT_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) Skip = $"No PostgreSQL server: set {Variable} (.ci/run does).";
    }
}
