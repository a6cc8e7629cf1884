using Microsoft.EntityFrameworkCore;
using TeamBot.Core;
using TeamBot.Core.Chat;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Stores;

internal sealed class EfWorkspaceStore(TeamBotDbContext db, TimeProvider clock, WorkspaceChanges changes) : IWorkspaceStore, IPeopleStore
{
    public async Task<Workspace?> FindAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var row = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        return row is null ? null : Map(row);
    }

    public async Task<Workspace?> FindByPlatformAsync(string platform, string workspaceId, CancellationToken cancellationToken)
    {
        var row = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId && w.Platform == platform, cancellationToken);
        return row is null ? null : Map(row);
    }

    public async Task<IReadOnlyList<Workspace>> ListByPlatformAsync(string platform, CancellationToken cancellationToken) =>
        (await db.Workspaces.AsNoTracking().Where(w => w.Platform == platform).OrderBy(w => w.Id).ToListAsync(cancellationToken)).Select(Map).ToList();

    public async Task UpsertAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var row = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspace.Id, cancellationToken);
        if (row is null)
        {
            row = new WorkspaceRow { Id = workspace.Id, CreatedAt = clock.GetUtcNow() };
            db.Workspaces.Add(row);
        }
        row.Platform = workspace.Platform;
        row.Name = workspace.Name;
        row.TimeZone = workspace.TimeZoneId;
        row.HandoffsPlace = workspace.Places.Handoffs;
        row.MarketingPlace = workspace.Places.Marketing;
        row.GeneralPlace = workspace.Places.General;
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public async Task<byte[]?> GetApiKeyHashAsync(string workspaceId, CancellationToken cancellationToken) =>
        await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.ApiKeyHash).FirstOrDefaultAsync(cancellationToken);

    public async Task SetApiKeyHashAsync(string workspaceId, byte[] hash, CancellationToken cancellationToken) =>
        await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.ApiKeyHash, hash), cancellationToken);

    public async Task<bool> SetLeftAsync(string workspaceId, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        // A second removal without a return in between keeps the first time.
        var rows = db.Workspaces.Where(w => w.Id == workspaceId && (at == null || w.LeftAt == null));
        if (await rows.ExecuteUpdateAsync(s => s.SetProperty(w => w.LeftAt, at), cancellationToken) == 0) return false;
        changes.Notify(workspaceId);
        return true;
    }

    public async Task<Person> ResolveAsync(string workspaceId, ChatUser user, Availability? firstSeen, CancellationToken cancellationToken)
    {
        // Most events come from people already known, as they were: one read, no tracking and no write.
        var known = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.PlatformUserId == user.Id, cancellationToken);
        if (known is not null && !Apply(known, user)) return Map(known);

        for (var attempt = 0; ; attempt++)
        {
            var row = await db.People.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.PlatformUserId == user.Id, cancellationToken);
            try
            {
                if (row is null)
                {
                    row = new PersonRow { WorkspaceId = workspaceId, PlatformUserId = user.Id };
                    if (firstSeen is null)
                    {
                        var zone = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.TimeZone).FirstOrDefaultAsync(cancellationToken) ?? "UTC";
                        firstSeen = Availability.Default(zone);
                    }
                    Apply(row, firstSeen);
                    db.People.Add(row);
                }
                Apply(row, user);
                await db.SaveChangesAsync(cancellationToken);
                return Map(row);
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // Someone else created this person at the same moment: read theirs.
                db.ChangeTracker.Clear();
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<Person> UpsertAsync(string workspaceId, PersonDefinition definition, CancellationToken cancellationToken)
    {
        var row = await db.People.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.PlatformUserId == definition.PlatformUserId, cancellationToken);
        if (row is null)
        {
            row = new PersonRow { WorkspaceId = workspaceId, PlatformUserId = definition.PlatformUserId };
            db.People.Add(row);
        }
        row.DisplayName = definition.DisplayName;
        row.Roles = (int)definition.Roles;
        row.Email = definition.Email;
        // An away date set in chat outlives a restart unless the configuration sets one itself.
        var away = definition.Availability.AwayUntil ?? row.AwayUntil;
        Apply(row, definition.Availability with { AwayUntil = away });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return Map(row);
    }

    public async Task<Person?> FindAsync(long personId, CancellationToken cancellationToken)
    {
        var row = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, cancellationToken);
        return row is null ? null : Map(row);
    }

    public async Task<IReadOnlyList<Person>> ListAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var rows = await db.People.AsNoTracking().Where(p => p.WorkspaceId == workspaceId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return rows.Select(Map).ToList();
    }

    public async Task<Person?> SetAvailabilityAsync(long personId, Availability availability, CancellationToken cancellationToken)
    {
        var row = await db.People.FirstOrDefaultAsync(p => p.Id == personId, cancellationToken);
        if (row is null) return null;
        Apply(row, availability);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return Map(row);
    }

    /// <summary>Takes what the platform says of the person (name, roles, e-mail, each when given); whether anything changed.</summary>
    private static bool Apply(PersonRow row, ChatUser user)
    {
        var (name, roles, email) = (row.DisplayName, row.Roles, row.Email);
        if (!string.IsNullOrWhiteSpace(user.DisplayName)) row.DisplayName = user.DisplayName;
        if (user.Roles is { } given) row.Roles = (int)given;
        if (user.Email is { } address) row.Email = address;
        return (name, roles, email) != (row.DisplayName, row.Roles, row.Email);
    }

    private static void Apply(PersonRow row, Availability availability)
    {
        row.TimeZone = availability.TimeZoneId;
        row.WorkStartMinutes = availability.WorkStart.Hour * 60 + availability.WorkStart.Minute;
        row.WorkEndMinutes = availability.WorkEnd.Hour * 60 + availability.WorkEnd.Minute;
        row.WorkDays = availability.WorkDays.Aggregate(0, (bits, day) => bits | (1 << (int)day));
        row.AwayUntil = availability.AwayUntil;
    }

    private static Workspace Map(WorkspaceRow row) =>
        new(row.Id, row.Platform, row.Name, row.TimeZone, new WorkspacePlaces(row.HandoffsPlace, row.MarketingPlace, row.GeneralPlace), row.LeftAt);

    private static Person Map(PersonRow row) => new(
        row.Id,
        row.WorkspaceId,
        row.PlatformUserId,
        row.DisplayName.Length > 0 ? row.DisplayName : row.PlatformUserId,
        (TeamRoles)row.Roles,
        row.Email,
        new Availability(
            row.TimeZone,
            new TimeOnly(row.WorkStartMinutes / 60, row.WorkStartMinutes % 60),
            new TimeOnly(row.WorkEndMinutes / 60 % 24, row.WorkEndMinutes % 60),
            Enum.GetValues<DayOfWeek>().Where(d => (row.WorkDays & (1 << (int)d)) != 0).ToHashSet(),
            row.AwayUntil));
}
