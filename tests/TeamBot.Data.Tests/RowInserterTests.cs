using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TeamBot.Data.Tests;

/// <summary>The prepared insert writes exactly the columns and values SaveChanges writes, and hands back the keys.</summary>
public sealed class RowInserterTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Insert_WritesTheSameRowAsSaveChanges(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var at = new DateTimeOffset(2026, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(2));

        var (viaTracker, viaInsert) = await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            var tracked = Lead(at, "crm-1");
            db.Leads.Add(tracked);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();

            var inserted = new[] { Lead(at, "crm-2"), Lead(at.AddDays(1), "crm-3") };
            await RowInserter.InsertAsync(db, inserted, CancellationToken.None);
            return (tracked.Id, inserted.Select(r => r.Id).ToArray());
        });

        Assert.Equal([viaTracker + 1, viaTracker + 2], viaInsert);
        var rows = await RawRowsAsync(world, "leads", viaTracker, viaInsert[0]);
        Assert.Equal(2, rows.Count);
        Assert.Equal(Without(rows[0], "id", "external_id"), Without(rows[1], "id", "external_id"));
        Assert.Equal("crm-2", rows[1]["external_id"]);
        // And EF reads it back as it was written.
        var lead = await world.GetLeadAsync(viaInsert[1]);
        Assert.Equal(at.AddDays(1), lead!.ReceivedAt);
        Assert.Equal(87.25m, lead.Data.Score);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Prepare_BindsByPositionOnSqliteOnly(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        var used = await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await using var insert = await RowInserter.PrepareAsync<LeadRow>(db, CancellationToken.None);
            var row = Lead(DateTimeOffset.UtcNow, "crm-1");
            await insert.InsertAsync(row, CancellationToken.None);
            await transaction.CommitAsync();
            Assert.True(row.Id > 0);
            return insert.IsPositional;
        });

        Assert.Equal(provider == "sqlite", used);
    }

    [Fact]
    public async Task Insert_OutsideATransaction_IsAllOrNothing()
    {
        await using var world = await TestWorld.CreateAsync("sqlite");
        var error = await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            var rows = new[] { Lead(DateTimeOffset.UtcNow, "crm-1"), Lead(DateTimeOffset.UtcNow, "crm-2") };
            rows[1].WorkspaceId = null!; // a NOT NULL column the second row breaks
            return await Record.ExceptionAsync(() => RowInserter.InsertAsync(db, rows, CancellationToken.None));
        });

        Assert.IsAssignableFrom<DbException>(error);
        var count = await world.InScopeAsync(sp => sp.GetRequiredService<TeamBotDbContext>().Leads.CountAsync());
        Assert.Equal(0, count);
    }

    private static LeadRow Lead(DateTimeOffset at, string externalId) => new()
    {
        WorkspaceId = TestWorld.WorkspaceId,
        ExternalId = externalId,
        Email = "jane@acme.com",
        FirstName = "Jane",
        LastName = "Doe",
        Company = "Acme",
        Title = "CTO",
        Phone = "+49 30 1234",
        Source = "webinar",
        Campaign = "spring",
        Segment = "mid",
        Country = "DE",
        CompanySize = "51-200",
        CompanySizeMin = 51,
        Score = 87.25m,
        Reason = "asked for a demo",
        Url = "https://acme.example/form",
        FieldsJson = """{"budget":"50k"}""",
        DedupeKey = "jane@acme.com|acme",
        ReceivedAt = at,
        Via = 1,
        RoutedAt = at.AddMinutes(1),
        Reroutes = 2,
        SlaDueAt = at.AddHours(1),
        SlaStage = 1,
        Stage = 3,
    };

    private static async Task<List<Dictionary<string, object?>>> RawRowsAsync(TestWorld world, string table, long first, long second) =>
        await world.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<TeamBotDbContext>();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"SELECT * FROM {table} WHERE id IN ({first}, {second}) ORDER BY id";
            var rows = new List<Dictionary<string, object?>>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
            }
            return rows;
        });

    private static Dictionary<string, object?> Without(Dictionary<string, object?> row, params string[] columns) =>
        row.Where(c => !columns.Contains(c.Key)).ToDictionary();
}
