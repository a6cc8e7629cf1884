using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Chat;

namespace TeamBot.Data.Stores;

/// <summary>
/// One row per place; saving again replaces the address (a conversation can move to another service URL) and makes it the
/// most recent (<see cref="FindWorkspaceAsync"/>: the workspace that last wrote to a personal chat).
/// </summary>
internal sealed class EfChatAddressStore(TeamBotDbContext db, TimeProvider clock) : IChatAddressStore
{
    public async Task SaveAsync(PlaceRef place, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        ArgumentException.ThrowIfNullOrEmpty(address);
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.ChatAddresses.FirstOrDefaultAsync(
                a => a.Platform == place.Platform && a.WorkspaceId == place.Workspace && a.PlaceId == place.Id, cancellationToken);
            if (row is null)
            {
                row = new ChatAddressRow { Platform = place.Platform, WorkspaceId = place.Workspace, PlaceId = place.Id };
                db.ChatAddresses.Add(row);
            }
            row.Address = address;
            row.UpdatedAt = clock.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another request saved the same place first: read its row and replace it.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<string?> FindAsync(PlaceRef place, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        return await db.ChatAddresses.AsNoTracking()
            .Where(a => a.Platform == place.Platform && a.WorkspaceId == place.Workspace && a.PlaceId == place.Id)
            .Select(a => a.Address)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<string?> FindWorkspaceAsync(string platform, string placeId, CancellationToken cancellationToken) =>
        await db.ChatAddresses.AsNoTracking()
            .Where(a => a.Platform == platform && a.PlaceId == placeId)
            .OrderByDescending(a => a.UpdatedAt)
            .Select(a => a.WorkspaceId)
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<string?> FindLatestAsync(string platform, string workspaceId, CancellationToken cancellationToken) =>
        await db.ChatAddresses.AsNoTracking()
            .Where(a => a.Platform == platform && a.WorkspaceId == workspaceId)
            .OrderByDescending(a => a.UpdatedAt)
            .Select(a => a.Address)
            .FirstOrDefaultAsync(cancellationToken);
}
