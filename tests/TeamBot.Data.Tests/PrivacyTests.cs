using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Privacy;

namespace TeamBot.Data.Tests;

/// <summary>Export, erasure on request and retention over a real database: every table that holds a lead's personal data.</summary>
public sealed class PrivacyTests
{
    private static Task<TestWorld> CreateAsync(string provider, int retentionDays = 0) =>
        TestWorld.CreateAsync(provider, s => s.AddSingleton(new PrivacySettings { RetentionDays = retentionDays, PurgeBatchSize = 2 }));

    /// <summary>A handed-off lead with a rating, a reason with a note, a comment in its thread and an outcome with a note.</summary>
    private static async Task<Lead> LeadWithHistoryAsync(TestWorld world, string email, string? externalId = null, string name = "Jane")
    {
        var lead = await world.HandOffAsync(email, externalId);
        await world.ClickAsync(lead.Handoff!, "sam", HandoffCards.ClaimAction);
        await world.CommandAsync("sam", $"/leads rate lead:{lead.Id} rating:poor");
        await world.CommandAsync("sam", $"/leads reason lead:{lead.Id} reason:other note:\"{name} said call back in May\"");
        await world.SendAsync(new ThreadMessagePosted(lead.Thread!, TestWorld.User("ana"), $"c-{lead.Id}", $"{name}'s direct line is +49 30 {(name == "Jane" ? "1234567" : "7654321")}"));
        await world.CommandAsync("sam", $"/leads outcome lead:{lead.Id} outcome:lost note:\"{name} went with a competitor\"");
        await world.DispatchAsync();
        return lead;
    }

    private static Task<T> WithServiceAsync<T>(TestWorld world, Func<PersonalDataService, Task<T>> work) =>
        world.InScopeAsync(sp => work(sp.GetRequiredService<PersonalDataService>()));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Export_FindsTheAddressInAnyCase_WithEveryFieldAndTheLeadsHistory(string provider)
    {
        await using var world = await CreateAsync(provider);
        var lead = await LeadWithHistoryAsync(world, "Jane.Doe@Acme.com", "crm-1");
        await world.HandOffAsync("someone.else@acme.com");

        var export = await WithServiceAsync(world, s => s.ExportAsync("  jane.doe@ACME.com ", null, CancellationToken.None));

        var only = Assert.Single(export.Leads);
        Assert.Equal(lead.Id, only.Id);
        Assert.Equal("Jane.Doe@Acme.com", only.Data.Email);
        Assert.Equal("crm-1", only.Data.ExternalId);
        Assert.Equal("Sam Carter", only.ClaimedBy);
        Assert.Contains(only.Ratings, r => r.What == "poor" && r.Person == "Sam Carter");
        Assert.Contains(only.Reasons, r => r.What == "other" && r.Text == "Jane said call back in May");
        Assert.Contains(only.Comments, c => c.Text == "Jane's direct line is +49 30 1234567" && c.Person == "Ana Silva");
        Assert.Contains(only.Outcomes, o => o.What == "lost" && o.Text == "Jane went with a competitor");
        Assert.NotNull(only.Handoff);
        var json = export.ToJson();
        Assert.Contains("\"email\": \"Jane.Doe@Acme.com\"", json, StringComparison.Ordinal);
        Assert.Contains("+49 30 1234567", json, StringComparison.Ordinal);
        Assert.Empty((await WithServiceAsync(world, s => s.ExportAsync("jane.doe@acme.com", "other-workspace", CancellationToken.None))).Leads);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Forget_ErasesThePersonEverywhere_KeepsTheNumbers_AndRedactsThePostedCard(string provider)
    {
        await using var world = await CreateAsync(provider);
        var first = await LeadWithHistoryAsync(world, "jane@acme.com", "crm-1");
        // The same person at another company is another lead (not a duplicate) with the address in other letters.
        var secondId = (await world.SubmitAsync(TestWorld.Lead("JANE@acme.com", company: "Beta AG")))[0].LeadId;
        await world.DispatchAsync();
        var second = (await world.GetLeadAsync(secondId))!;
        var other = await LeadWithHistoryAsync(world, "bob@acme.com", name: "Bob");
        var updatesBefore = world.Platform.Updates.Count;

        var result = await WithServiceAsync(world, s => s.ForgetAsync("jane@acme.com", null, CancellationToken.None));

        Assert.Equal(2, result.Leads);
        Assert.True(result.Posts > 2, $"{result.Posts} posts to redact: the two cards and the notes in the first lead's thread");
        Assert.Equal([TestWorld.WorkspaceId], result.Workspaces);
        var erased = (await world.GetLeadAsync(first.Id))!;
        Assert.True(erased.IsErased);
        Assert.Null(erased.Data.Email);
        Assert.Null(erased.Data.FirstName);
        Assert.Null(erased.Data.Company);
        Assert.Null(erased.Data.ExternalId);
        Assert.Equal("webinar", erased.Data.Source);
        Assert.Equal(LeadStage.Lost, erased.Stage);
        Assert.NotEmpty(await world.RatingsAsync(first.Id));

        // No text about the person is left in any column of any table.
        var dump = await DumpAsync(world);
        Assert.DoesNotContain("jane@acme.com", dump, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Jane said call back", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("1234567", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane went", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-1", dump, StringComparison.Ordinal);
        Assert.Contains("bob@acme.com", dump, StringComparison.Ordinal);
        Assert.Contains("Bob said call back", dump, StringComparison.Ordinal);

        // The posted cards are edited to their redacted form through the outbox (at their next redraw: within a second).
        world.Clock.Advance(PostingPacer.CardRedraws.Per);
        await world.DispatchAsync();
        var edits = world.Platform.Updates.Skip(updatesBefore).ToList();
        foreach (var lead in new[] { first, second })
        {
            var card = edits.Last(u => u.Target == lead.Handoff).Message.Card!;
            Assert.Contains("personal data erased", card.Title, StringComparison.Ordinal);
            Assert.Empty(card.Actions);
            Assert.DoesNotContain("Jane", card.Title + card.Text + string.Join(" ", card.Fields.Select(f => f.Value)), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(edits, u => u.Target == other.Handoff);
        // TeamBot's own notes in the thread quoted the reason and the outcome; they are edited too, and nothing in the other lead's thread.
        var notes = world.Platform.Posts.Where(p => p.Place.Id == first.ThreadPlaceId).Select(p => p.Posted).ToList();
        Assert.Contains(world.Platform.Posts, p => p.Place.Id == first.ThreadPlaceId && p.Message.Text?.Contains("Jane said call back", StringComparison.Ordinal) == true);
        Assert.All(notes, n => Assert.Contains(edits, u => u.Target == n && u.Message.Text == OutboxDispatcher.RedactedText));
        Assert.DoesNotContain(edits, u => u.Target.PlaceId == other.ThreadPlaceId);

        // Reports still count the erased leads.
        var report = await world.CommandAsync("maria", "/leads quality period:7d by:source");
        Assert.NotNull(report);
        Assert.Empty(await WithServiceAsync(world, s => s.FindAsync("jane@acme.com", null, CancellationToken.None)));
        Assert.Equal(0, (await WithServiceAsync(world, s => s.ForgetAsync("jane@acme.com", null, CancellationToken.None))).Leads);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Forget_ALeadNotPostedYet_CancelsItsHandoff(string provider)
    {
        await using var world = await CreateAsync(provider);
        var outcome = (await world.SubmitAsync(TestWorld.Lead("jane@acme.com")))[0];

        var result = await WithServiceAsync(world, s => s.ForgetAsync("jane@acme.com", TestWorld.WorkspaceId, CancellationToken.None));
        await world.DispatchAsync();

        Assert.Equal(1, result.Leads);
        Assert.Equal(0, result.Posts);
        Assert.Empty(world.Platform.Posts);
        Assert.True((await world.GetLeadAsync(outcome.LeadId))!.IsErased);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Retention_ErasesOnlyLeadsOlderThanThePeriod_InBatches_AndAgainFindsNothing(string provider)
    {
        await using var world = await CreateAsync(provider, retentionDays: 30);
        var old = new List<Lead>();
        for (var i = 0; i < 5; i++) old.Add(await world.HandOffAsync($"old{i}@acme.com"));
        world.Clock.Advance(TimeSpan.FromDays(20));
        var recent = await world.HandOffAsync("recent@acme.com");
        world.Clock.Advance(TimeSpan.FromDays(11));

        var purged = await WithServiceAsync(world, s => s.PurgeExpiredAsync(CancellationToken.None));

        Assert.Equal(5, purged);
        foreach (var lead in old) Assert.True((await world.GetLeadAsync(lead.Id))!.IsErased);
        Assert.False((await world.GetLeadAsync(recent.Id))!.IsErased);
        Assert.Equal(0, await WithServiceAsync(world, s => s.PurgeExpiredAsync(CancellationToken.None)));
        await world.DispatchAsync();
        Assert.Equal(5, world.Platform.Updates.Count(u => u.Message.Card?.Title.Contains("personal data erased", StringComparison.Ordinal) == true));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ChatCommand_OnlyAdminsMayUseIt_AndForgetAsksForConfirmationFirst(string provider)
    {
        await using var world = await CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");

        var refused = await world.CommandAsync("maria", "/privacy forget email:jane@acme.com confirm:yes");
        Assert.Contains("Only admin", refused!.Message.Text, StringComparison.Ordinal);
        Assert.False((await world.GetLeadAsync(lead.Id))!.IsErased);

        var export = await world.CommandAsync("alex", "/privacy export email:jane@acme.com");
        Assert.Equal(ReplyVisibility.Private, export!.Visibility);
        Assert.Contains($"Lead #{lead.Id}", export.Message.Text, StringComparison.Ordinal);
        Assert.Contains("teambot export --person", export.Message.Text, StringComparison.Ordinal);

        var asked = await world.CommandAsync("alex", "/privacy forget email:jane@acme.com");
        Assert.Contains("confirm:yes", asked!.Message.Text, StringComparison.Ordinal);
        Assert.False((await world.GetLeadAsync(lead.Id))!.IsErased);

        var done = await world.CommandAsync("alex", "/privacy forget email:jane@acme.com confirm:yes");
        Assert.Contains("Erased the personal data of 1 lead", done!.Message.Text, StringComparison.Ordinal);
        Assert.True((await world.GetLeadAsync(lead.Id))!.IsErased);

        var unknown = await world.CommandAsync("alex", "/privacy export email:nobody@acme.com");
        Assert.Contains("no lead with that e-mail address", unknown!.Message.Text, StringComparison.Ordinal);
        var bad = await world.CommandAsync("alex", "/privacy forget email:not-an-address confirm:yes");
        Assert.Contains("not an e-mail address", bad!.Message.Text, StringComparison.Ordinal);
    }

    /// <summary>Every text value of every table, for "is it anywhere?" checks.</summary>
    private static async Task<string> DumpAsync(TestWorld world)
    {
        var text = new System.Text.StringBuilder();
        await using System.Data.Common.DbConnection connection = world.Provider == "sqlite"
            ? new SqliteConnection(world.Database.ConnectionString)
            : new NpgsqlConnection(world.Database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = world.Provider == "sqlite"
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) text.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                text.Append('\n');
            }
        }
        return text.ToString();
    }
}
