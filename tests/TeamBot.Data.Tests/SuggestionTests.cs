using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Commands;

namespace TeamBot.Data.Tests;

/// <summary>What autocompletion offers, from the real stores on both providers.</summary>
public sealed class SuggestionTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Leads_MatchTheirNumberOrNameOrEmail_NewestFirst_AndReasonsAndPeopleMatchTheirText(string provider)
    {
        await using var world = await TestWorld.CreateAsync(provider);
        var jane = await world.HandOffAsync("jane@acme.com");
        var li = await world.HandOffAsync("li@globex.com");
        await using var scope = world.Services.CreateAsyncScope();
        var suggestions = scope.ServiceProvider.GetRequiredService<CommandSuggestions>();
        var workspace = jane.WorkspaceId;

        var all = await suggestions.SuggestAsync(workspace, SuggestKind.Lead, "", default);
        Assert.Equal([li.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), jane.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], all.Select(s => s.Value));
        Assert.Equal([jane.Id], (await suggestions.SuggestAsync(workspace, SuggestKind.Lead, "JANE@", default)).Select(s => long.Parse(s.Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(jane.Id, (await suggestions.SuggestAsync(workspace, SuggestKind.Lead, "#" + jane.Id, default)).Select(s => long.Parse(s.Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Empty(await suggestions.SuggestAsync("another-workspace", SuggestKind.Lead, "", default));

        Assert.Equal(["no-budget"], (await suggestions.SuggestAsync(workspace, SuggestKind.Reason, "budget", default)).Select(s => s.Value));
        Assert.Contains(await suggestions.SuggestAsync(workspace, SuggestKind.Person, "sam", default), s => s.Label == "Sam Carter");
    }
}
