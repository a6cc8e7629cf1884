using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core;
using TeamBot.Core.Chat;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Tests;

/// <summary>/setup in chat, through the real router and stores: channels, the webhook key, the role mapping.</summary>
public sealed class SetupTests
{
    private const string Ws = TestWorld.WorkspaceId;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Handoffs_TheFirstTimeWithoutAKey_BindsThisChannel_AndGivesTheKeyOnlyPrivately(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await StoreAsync(world, (await WorkspaceAsync(world)) with { Places = new WorkspacePlaces("", "", "") });

        var reply = (await world.CommandAsync("alex", "/setup handoffs", placeId: "leads-room"))!;

        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        var lines = reply.Message.Text!.Split('\n');
        Assert.Equal("Handoffs will be posted in this channel (workspace acme).", lines[0]);
        var key = Assert.Single(lines, l => l.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal));
        Assert.Contains("Send leads with POST /api/v1/workspaces/acme/leads and the header Authorization: Bearer <key>.", lines);
        Assert.Equal("leads-room", (await WorkspaceAsync(world)).Places.Handoffs);
        Assert.True(ApiKeys.Matches(key, (await KeyHashAsync(world))!));

        var moved = (await world.CommandAsync("alex", "/setup handoffs channel:<#4242>"))!;
        Assert.Equal(ReplyVisibility.Public, moved.Visibility);
        Assert.Equal("Handoffs will be posted in channel 4242 (workspace acme).", moved.Message.Text);
        Assert.True(ApiKeys.Matches(key, (await KeyHashAsync(world))!), "Moving the handoffs channel keeps the key.");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task MarketingAndGeneral_BindThePlace_PubliclyNamingTheWorkspace_AndNeverMakeAKey(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);

        var marketing = (await world.CommandAsync("alex", "/setup marketing", placeId: "mkt"))!;
        var general = (await world.CommandAsync("alex", "/setup general channel:town-hall"))!;
        var again = (await world.CommandAsync("alex", "/setup general", placeId: "town-hall"))!;

        Assert.Equal((ReplyVisibility.Public, "Marketing notices will be posted in this channel (workspace acme)."), (marketing.Visibility, marketing.Message.Text));
        Assert.Equal((ReplyVisibility.Public, "General posts will be posted in channel town-hall (workspace acme)."), (general.Visibility, general.Message.Text));
        Assert.Equal("General posts already go to this channel (workspace acme); nothing was changed.", again.Message.Text);
        Assert.Equal(new WorkspacePlaces(TestWorld.Handoffs, "mkt", "town-hall"), (await WorkspaceAsync(world)).Places);
        Assert.Null(await KeyHashAsync(world));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Setup_ByANonAdmin_IsRefusedForEverySubcommandButShow_AndChangesNothing(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var before = await WorkspaceAsync(world);

        foreach (var text in new[] { "/setup handoffs", "/setup marketing", "/setup general channel:1", "/setup roles sales:1", "/setup key" })
        {
            var reply = (await world.CommandAsync("sam", text))!;
            Assert.Equal(ReplyVisibility.Private, reply.Visibility);
            Assert.StartsWith($"Only admin people can use {string.Join(' ', text.Split(' ').Take(2))};", reply.Message.Text, StringComparison.Ordinal);
        }

        Assert.Equal(before, await WorkspaceAsync(world));
        Assert.Null(await KeyHashAsync(world));
        Assert.Empty(await MappingAsync(world));
        Assert.StartsWith("Workspace acme (fake).", (await world.CommandAsync("sam", "/setup show"))!.Message.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Handoffs_InALeadsThread_OrWithAValueThatIsNoChannel_IsRefusedNamingTheOption_AndChangesNothing(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var lead = await world.HandOffAsync("jane@acme.com");
        var before = await WorkspaceAsync(world);

        Assert.Equal("This is a thread TeamBot opened, not a channel. Run /setup handoffs in the channel itself, or give channel:. Nothing was changed.",
            (await world.CommandAsync("alex", "/setup handoffs", placeId: lead.ThreadPlaceId))!.Message.Text);
        Assert.Equal($"channel: '{lead.ThreadPlaceId}' is a thread TeamBot opened, not a channel. Nothing was changed.",
            (await world.CommandAsync("alex", $"/setup marketing channel:{lead.ThreadPlaceId}"))!.Message.Text);
        Assert.Equal("channel: '<@&77>' mentions a person or a role, not a channel.",
            (await world.CommandAsync("alex", "/setup handoffs channel:<@&77>"))!.Message.Text);
        Assert.Equal("channel: '#leads' is a channel's name, not its id: mention the channel (type # and pick it) or give its id.",
            (await world.CommandAsync("alex", "/setup general channel:#leads"))!.Message.Text);

        Assert.Equal(before, await WorkspaceAsync(world));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Key_ReplacesTheOldKey_AndIsShownOnlyPrivately(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await world.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IWorkspaceStore>().SetApiKeyHashAsync(Ws, ApiKeys.Hash("tb_old"), CancellationToken.None);
            return true;
        });

        var reply = (await world.CommandAsync("alex", "/setup key"))!;

        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        var key = Assert.Single(reply.Message.Text!.Split('\n'), l => l.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal));
        Assert.Contains("POST /api/v1/workspaces/acme/leads", reply.Message.Text);
        Assert.Contains("The old key stops working", reply.Message.Text);
        var hash = (await KeyHashAsync(world))!;
        Assert.True(ApiKeys.Matches(key, hash));
        Assert.False(ApiKeys.Matches("tb_old", hash));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Roles_FromMentionsAndIds_AreStoredAsAMapping_ShownInTheReply_AndNoneClearsOneRole(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var changes = world.Services.GetRequiredService<RoleMappingChanges>();
        var notified = new List<string>();
        changes.Changed += notified.Add;
        var version = changes.Version;

        var reply = (await world.CommandAsync("alex", "/setup roles sales:<@&111>,<@&222> admin:\"333 <@&111>\""))!;

        Assert.Equal(ReplyVisibility.Public, reply.Visibility);
        Assert.Equal("Alex Kim set how platform roles map to TeamBot roles in workspace acme:\n• sales: 111, 222\n• marketing: none\n• admin: 111, 333", reply.Message.Text);
        Assert.Equal(new Dictionary<string, TeamRoles> { ["111"] = TeamRoles.Sales | TeamRoles.Admin, ["222"] = TeamRoles.Sales, ["333"] = TeamRoles.Admin },
            await MappingAsync(world));
        Assert.Equal([Ws], notified);
        Assert.Equal(version + 1, changes.Version);

        var cleared = (await world.CommandAsync("alex", "/setup roles sales:none marketing:444"))!;
        Assert.EndsWith("• sales: none\n• marketing: 444\n• admin: 111, 333", cleared.Message.Text, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, TeamRoles> { ["111"] = TeamRoles.Admin, ["333"] = TeamRoles.Admin, ["444"] = TeamRoles.Marketing },
            await MappingAsync(world));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Roles_WithOneBadValue_IsRefusedNamingTheOption_AndStoresNoneOfIt(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await world.CommandAsync("alex", "/setup roles admin:9");

        Assert.Equal("admin: '<#5>' mentions a channel or a person, not a role. Nothing was changed.",
            (await world.CommandAsync("alex", "/setup roles sales:<@&1> admin:<#5>"))!.Message.Text);
        Assert.StartsWith("Say which roles to map: sales:, marketing: or admin:", (await world.CommandAsync("alex", "/setup roles"))!.Message.Text, StringComparison.Ordinal);

        Assert.Equal(new Dictionary<string, TeamRoles> { ["9"] = TeamRoles.Admin }, await MappingAsync(world));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Show_ListsChannelsRolesAndWhetherAKeyExists_ButNeverTheKey(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await StoreAsync(world, (await WorkspaceAsync(world)) with { Places = new WorkspacePlaces("", "mkt", "") });
        await world.CommandAsync("alex", "/setup roles sales:<@&111>");

        var before = (await world.CommandAsync("ana", "/setup show"))!;
        var made = (await world.CommandAsync("alex", "/setup handoffs", placeId: "leads-room"))!;
        var after = (await world.CommandAsync("alex", "/setup show"))!;

        Assert.Equal(ReplyVisibility.Private, before.Visibility);
        Assert.Equal("""
            Workspace acme (fake).
            Handoffs: not set: run /setup handoffs in the channel
            Marketing notices: channel mkt
            General posts: not set: run /setup general in the channel
            Roles:
            • sales: 111
            • marketing: none
            • admin: none
            Webhook key: none yet (/setup handoffs makes one the first time, or /setup key).
            Webhook: POST /api/v1/workspaces/acme/leads
            """.ReplaceLineEndings("\n"), before.Message.Text);
        var key = made.Message.Text!.Split('\n').Single(l => l.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal));
        Assert.Contains("Handoffs: channel leads-room", after.Message.Text);
        Assert.Contains("Webhook key: set (/setup key makes a new one).", after.Message.Text);
        Assert.DoesNotContain(key, after.Message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeys.Prefix, after.Message.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LeadsHandoff_InAWorkspaceWithoutAHandoffsChannel_IsRefused_AndStoresNothing(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await StoreAsync(world, (await WorkspaceAsync(world)) with { Places = new WorkspacePlaces("", "", "") });

        var reply = (await world.CommandAsync("maria", "/leads handoff email:jane@acme.com"))!;

        Assert.Equal("Workspace acme has no handoffs channel yet: an admin runs /setup handoffs in the channel where leads should go.", reply.Message.Text);
        Assert.Null(await world.GetLeadAsync(1));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RoleMappingStore_RoundTrips_PerWorkspace(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        await world.InScopeAsync(async sp =>
        {
            var store = sp.GetRequiredService<IRoleMappingStore>();
            await store.ReplaceAsync(Ws, new Dictionary<TeamRoles, IReadOnlyList<string>> { [TeamRoles.Sales] = ["a", "b"], [TeamRoles.Marketing] = ["b"] }, CancellationToken.None);
            await store.ReplaceAsync("elsewhere", new Dictionary<TeamRoles, IReadOnlyList<string>> { [TeamRoles.Admin] = ["a"] }, CancellationToken.None);
            return true;
        });

        await world.InScopeAsync(async sp =>
        {
            var store = sp.GetRequiredService<IRoleMappingStore>();
            Assert.Equal(new Dictionary<string, TeamRoles> { ["a"] = TeamRoles.Sales, ["b"] = TeamRoles.Sales | TeamRoles.Marketing },
                await store.GetAsync(Ws, CancellationToken.None));
            Assert.Equal(new Dictionary<string, TeamRoles> { ["a"] = TeamRoles.Admin }, await store.GetAsync("elsewhere", CancellationToken.None));
            await store.ReplaceAsync(Ws, new Dictionary<TeamRoles, IReadOnlyList<string>> { [TeamRoles.Sales] = [] }, CancellationToken.None);
            Assert.Equal(new Dictionary<string, TeamRoles> { ["b"] = TeamRoles.Marketing }, await store.GetAsync(Ws, CancellationToken.None));
            return true;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LeavingAServer_IsStored_KeptBySetupsUpsert_ToldToCaches_AndClearedOnReturn(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var told = new List<string>();
        world.Services.GetRequiredService<WorkspaceChanges>().Changed += told.Add;
        var left = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);

        Assert.True(await world.InScopeAsync(sp => sp.GetRequiredService<IWorkspaceStore>().SetLeftAsync(Ws, left, CancellationToken.None)));
        Assert.Equal(left, (await WorkspaceAsync(world)).LeftAt);
        Assert.Equal([Ws], told);
        // Removed again without a return in between: the first time stays.
        Assert.False(await world.InScopeAsync(sp => sp.GetRequiredService<IWorkspaceStore>().SetLeftAsync(Ws, left.AddHours(1), CancellationToken.None)));
        Assert.Equal(left, (await WorkspaceAsync(world)).LeftAt);
        Assert.Equal([Ws], told);
        // /setup and configuration rewrite the workspace; that does not bring TeamBot back to the server.
        await StoreAsync(world, (await WorkspaceAsync(world)) with { Name = "Acme Revenue", LeftAt = null });
        Assert.Equal(left, (await WorkspaceAsync(world)).LeftAt);
        Assert.Equal(
            "TeamBot is not in the server of Acme Revenue (workspace acme) since 2026-11-20 09:30 UTC (it was removed, or never added), so its handoffs cannot be posted: add TeamBot to the server before sending leads.",
            Core.Leads.LeadIntake.Refusal(await WorkspaceAsync(world)));

        Assert.True(await world.InScopeAsync(sp => sp.GetRequiredService<IWorkspaceStore>().SetLeftAsync(Ws, null, CancellationToken.None)));
        Assert.Null((await WorkspaceAsync(world)).LeftAt);
        Assert.Null(Core.Leads.LeadIntake.Refusal(await WorkspaceAsync(world)));
        Assert.Equal([Ws, Ws], told);
        Assert.False(await world.InScopeAsync(sp => sp.GetRequiredService<IWorkspaceStore>().SetLeftAsync("nobody", left, CancellationToken.None)));
        Assert.Equal(2, told.Count);
    }

    private static Task<Workspace> WorkspaceAsync(TestWorld world) =>
        world.InScopeAsync(async sp => (await sp.GetRequiredService<IWorkspaceStore>().FindAsync(Ws, CancellationToken.None))!);

    private static Task<byte[]?> KeyHashAsync(TestWorld world) =>
        world.InScopeAsync(sp => sp.GetRequiredService<IWorkspaceStore>().GetApiKeyHashAsync(Ws, CancellationToken.None));

    private static Task<IReadOnlyDictionary<string, TeamRoles>> MappingAsync(TestWorld world) =>
        world.InScopeAsync(sp => sp.GetRequiredService<IRoleMappingStore>().GetAsync(Ws, CancellationToken.None));

    private static Task StoreAsync(TestWorld world, Workspace workspace) =>
        world.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IWorkspaceStore>().UpsertAsync(workspace, CancellationToken.None);
            return true;
        });
}
