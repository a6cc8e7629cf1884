using Microsoft.EntityFrameworkCore;
using TeamBot.Core;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Stores;

/// <summary>One row per mapped platform role, holding the TeamBot role flags it gives; a role that gives none is deleted.</summary>
internal sealed class EfRoleMappingStore(TeamBotDbContext db, RoleMappingChanges changes) : IRoleMappingStore
{
    public async Task<IReadOnlyDictionary<string, TeamRoles>> GetAsync(string workspaceId, CancellationToken cancellationToken) =>
        await db.RoleMappings.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId)
            .ToDictionaryAsync(r => r.PlatformRoleId, r => (TeamRoles)r.Roles, StringComparer.Ordinal, cancellationToken);

    public async Task ReplaceAsync(string workspaceId, IReadOnlyDictionary<TeamRoles, IReadOnlyList<string>> idsByRole, CancellationToken cancellationToken)
    {
        var rows = await db.RoleMappings.Where(r => r.WorkspaceId == workspaceId).ToDictionaryAsync(r => r.PlatformRoleId, StringComparer.Ordinal, cancellationToken);
        foreach (var (role, ids) in idsByRole)
        {
            foreach (var row in rows.Values.Where(r => !ids.Contains(r.PlatformRoleId))) row.Roles &= ~(int)role;
            foreach (var id in ids)
            {
                if (!rows.TryGetValue(id, out var row))
                {
                    row = new RoleMappingRow { WorkspaceId = workspaceId, PlatformRoleId = id };
                    rows[id] = row;
                    db.RoleMappings.Add(row);
                }
                row.Roles |= (int)role;
            }
        }
        db.RoleMappings.RemoveRange(rows.Values.Where(r => r.Roles == 0));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        changes.Notify(workspaceId);
    }
}
