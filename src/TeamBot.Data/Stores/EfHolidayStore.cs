using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Stores;

internal sealed class EfHolidayStore(TeamBotDbContext db) : IHolidayStore
{
    public async Task<IReadOnlyList<Holiday>> ListAsync(string workspaceId, CancellationToken cancellationToken) =>
        await db.Holidays.AsNoTracking()
            .Where(h => h.WorkspaceId == workspaceId)
            .OrderBy(h => h.Date)
            .Select(h => new Holiday(h.Date, h.Name))
            .ToListAsync(cancellationToken);

    public async Task<bool> AddAsync(string workspaceId, Holiday holiday, CancellationToken cancellationToken)
    {
        var row = await db.Holidays.FindAsync([workspaceId, holiday.Date], cancellationToken);
        if (row is not null && row.Name == holiday.Name) return false;
        if (row is null) db.Holidays.Add(new HolidayRow { WorkspaceId = workspaceId, Date = holiday.Date, Name = holiday.Name });
        else row.Name = holiday.Name;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<bool> RemoveAsync(string workspaceId, DateOnly date, CancellationToken cancellationToken) =>
        await db.Holidays.Where(h => h.WorkspaceId == workspaceId && h.Date == date).ExecuteDeleteAsync(cancellationToken) > 0;
}
