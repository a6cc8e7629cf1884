using TeamBot.Core.Chat;

namespace TeamBot.Core.Workspaces;

public interface IWorkspaceStore
{
    Task<Workspace?> FindAsync(string workspaceId, CancellationToken cancellationToken);

    Task<Workspace?> FindByPlatformAsync(string platform, string workspaceId, CancellationToken cancellationToken);

    /// <summary>Every workspace of a platform.</summary>
    Task<IReadOnlyList<Workspace>> ListByPlatformAsync(string platform, CancellationToken cancellationToken);

    Task UpsertAsync(Workspace workspace, CancellationToken cancellationToken);

    Task<byte[]?> GetApiKeyHashAsync(string workspaceId, CancellationToken cancellationToken);

    Task SetApiKeyHashAsync(string workspaceId, byte[] hash, CancellationToken cancellationToken);

    /// <summary>
    /// Records that TeamBot was removed from the workspace's server at <paramref name="at"/> (kept if already recorded), or with
    /// null that it is back; false when nothing changed (no such workspace, or already recorded as left).
    /// </summary>
    Task<bool> SetLeftAsync(string workspaceId, DateTimeOffset? at, CancellationToken cancellationToken);
}

public interface IPeopleStore
{
    /// <summary>
    /// Finds the person behind a platform user, creating them on first sight with <paramref name="firstSeen"/>
    /// (the workspace's work week and hours; its zone when null). Roles are updated only when the platform knows them.
    /// </summary>
    Task<Person> ResolveAsync(string workspaceId, ChatUser user, Availability? firstSeen, CancellationToken cancellationToken);

    /// <summary>Creates or updates a person defined by configuration, including availability.</summary>
    Task<Person> UpsertAsync(string workspaceId, PersonDefinition definition, CancellationToken cancellationToken);

    Task<Person?> FindAsync(long personId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Person>> ListAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>Changes a person's time zone, hours, work days or away date; null when there is no such person.</summary>
    Task<Person?> SetAvailabilityAsync(long personId, Availability availability, CancellationToken cancellationToken);
}

public sealed record PersonDefinition(string PlatformUserId, string DisplayName, TeamRoles Roles, string? Email, Availability Availability);

/// <summary>Commits a unit of work atomically: every store call inside shares one transaction.</summary>
public interface IUnitOfWork
{
    Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> once the transaction under way has committed (the outermost one, when transactions
    /// nest), and never if it rolls back; at once when none is under way. For telling others about work they can now see.
    /// </summary>
    void AfterCommit(Action action);
}
