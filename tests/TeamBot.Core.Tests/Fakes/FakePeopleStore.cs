using TeamBot.Core.Chat;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Tests.Fakes;

/// <summary>People held in memory; lists them in the order they were added, as a database might.</summary>
public sealed class FakePeopleStore : IPeopleStore
{
    private readonly List<Person> _people = [];

    public FakePeopleStore Add(Person person)
    {
        _people.Add(person);
        return this;
    }

    public Task<Person> ResolveAsync(string workspaceId, ChatUser user, Availability? firstSeen, CancellationToken cancellationToken)
    {
        var person = _people.FirstOrDefault(p => p.WorkspaceId == workspaceId && p.PlatformUserId == user.Id);
        if (person is null)
        {
            person = new Person(_people.Count == 0 ? 1 : _people.Max(p => p.Id) + 1, workspaceId, user.Id, user.DisplayName,
                user.Roles ?? TeamRoles.None, user.Email, firstSeen ?? Availability.Default("UTC"));
            _people.Add(person);
        }
        return Task.FromResult(person);
    }

    public Task<Person> UpsertAsync(string workspaceId, PersonDefinition definition, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Not used by these tests.");

    public Task<Person?> FindAsync(long personId, CancellationToken cancellationToken) =>
        Task.FromResult(_people.FirstOrDefault(p => p.Id == personId));

    public Task<Person?> SetAvailabilityAsync(long personId, Availability availability, CancellationToken cancellationToken)
    {
        var index = _people.FindIndex(p => p.Id == personId);
        if (index < 0) return Task.FromResult<Person?>(null);
        _people[index] = _people[index] with { Availability = availability };
        return Task.FromResult<Person?>(_people[index]);
    }

    public Task<IReadOnlyList<Person>> ListAsync(string workspaceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Person>>(_people.Where(p => p.WorkspaceId == workspaceId).ToList());
}
