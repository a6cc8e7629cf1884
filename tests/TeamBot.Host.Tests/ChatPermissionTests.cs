using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core;
using TeamBot.Core.Chat;
using TeamBot.Core.Commands;
using TeamBot.Core.Workspaces;

namespace TeamBot.Host.Tests;

/// <summary>
/// The chat permission matrix: every role-restricted command and every control on a handoff card, tried by each role
/// that may not use it, by someone unknown and by a person of another workspace: a clear refusal, and nothing changes.
/// </summary>
public sealed class ChatPermissionTests
{
    /// <summary>The test team plus Olga (admin only) and Nora (no role yet).</summary>
    private static Task<TestHost> StartAsync() => HttpPermissionTests.StartWithTwoWorkspacesAsync(s =>
    {
        s["Local:People:4:Id"] = "olga";
        s["Local:People:4:Name"] = "Olga Berg";
        s["Local:People:4:Roles:0"] = "admin";
        s["Local:People:5:Id"] = "nora";
        s["Local:People:5:Name"] = "Nora Field";
    });

    private static readonly (string Id, TeamRoles Roles)[] People =
    [
        ("maria", TeamRoles.Marketing), ("sam", TeamRoles.Sales), ("olga", TeamRoles.Admin), ("nora", TeamRoles.None),
    ];

    private static string ReplyText(JsonElement answer) => answer.GetProperty("reply").GetProperty("message").GetProperty("text").GetString()!;

    [Fact]
    public async Task EveryRestrictedCommand_IsRefusedForEveryOtherRole_AndChangesNothing()
    {
        await using var host = await StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync("""{"email":"jane@acme.com","company":"Acme"}""")).StatusCode);
        await Eventually.TrueAsync(async () => (await host.HandoffCardsAsync()).Count == 1, "the lead is posted");
        var before = await HttpPermissionTests.SettledFingerprintAsync(host);
        var tried = 0;

        foreach (var spec in CommandCatalog.All.Where(s => s.AllowedRoles != TeamRoles.None))
        {
            foreach (var (person, _) in People.Where(p => (p.Roles & spec.AllowedRoles) == 0))
            {
                var answer = await host.SayAsync("general", person, WithRequiredOptions(spec));
                var text = ReplyText(answer);
                Assert.True(text.StartsWith("Only ", StringComparison.Ordinal) && text.EndsWith("Nothing was changed.", StringComparison.Ordinal),
                    $"{person} ran {spec.FullName}: {text}");
                Assert.Equal("private", answer.GetProperty("reply").GetProperty("visibility").GetString());
                tried++;
            }
        }

        Assert.True(tried > 40, $"only {tried} refusals were tried");
        Assert.Equal(before, await HttpPermissionTests.Fingerprint(host));
    }

    [Fact]
    public async Task HandoffCardControlsAndReactions_ByPeopleWhoMayNotUseThem_ChangeNothing()
    {
        await using var host = await StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync("""{"email":"jane@acme.com","company":"Acme"}""")).StatusCode);
        var card = (await Eventually.ElementAsync(async () => (await host.HandoffCardsAsync()).Values.FirstOrDefault() is { ValueKind: JsonValueKind.Object } c ? c : null,
            "the lead is posted"));
        var messageId = card.GetProperty("id").GetString()!;
        var controls = Controls(card.GetProperty("card"));
        Assert.True(controls.Count >= 3, string.Join(", ", controls));
        var before = await HttpPermissionTests.SettledFingerprintAsync(host, "teambot.db");

        // Marketing and people without a role may not claim, rate or report outcomes, by button or by reaction.
        foreach (var person in new[] { "maria", "nora" })
        {
            foreach (var (action, value) in controls)
            {
                var response = await host.Client.PostAsJsonAsync($"/api/local/messages/{messageId}/actions", new { user = person, action, value });
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, body);
                var text = JsonDocument.Parse(body).RootElement.GetProperty("reply").GetProperty("message").GetProperty("text").GetString()!;
                Assert.True(text.StartsWith("Only ", StringComparison.Ordinal), $"{person} pressed {action}: {text}");
            }
            foreach (var emoji in new[] { "🙋", "🔥", "👍", "🤷", "👎", "🚫" })
            {
                var notice = (await host.ReactAsync(messageId, emoji, person)).GetProperty("notice");
                Assert.True(notice.ValueKind == JsonValueKind.Object && notice.GetProperty("text").GetString()!.StartsWith("Only ", StringComparison.Ordinal),
                    $"{person} reacted {emoji}: {notice}");
            }
        }

        Assert.Equal(before, await HttpPermissionTests.Fingerprint(host, "teambot.db"));
    }

    [Fact]
    public async Task SomeoneUnknown_OrAPersonOfAnotherWorkspace_CannotTouchThisWorkspacesLeads()
    {
        await using var host = await StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync("""{"email":"jane@acme.com","company":"Acme"}""")).StatusCode);
        var card = await Eventually.ElementAsync(async () => (await host.HandoffCardsAsync()).Values.FirstOrDefault() is { ValueKind: JsonValueKind.Object } c ? c : null,
            "the lead is posted");
        var messageId = card.GetProperty("id").GetString()!;
        var leadNumber = card.GetProperty("card").GetProperty("footer").GetString()!.Split(' ')[1].TrimStart('#');
        var before = await HttpPermissionTests.SettledFingerprintAsync(host);

        var unknown = await host.Client.PostAsJsonAsync("/api/local/channels/general/messages", new { user = "mallory", text = $"/leads claim lead:{leadNumber}" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Unknown user", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await HttpPermissionTests.Fingerprint(host));

        // Pat is a sales admin in the other workspace: its chat can name this workspace's lead and card, but reaches neither.
        await using var scope = host.Services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<IPeopleStore>();
        var defaults = Availability.Default("UTC");
        await people.UpsertAsync(HttpPermissionTests.OtherWorkspace, new PersonDefinition("pat", "Pat", TeamRoles.Sales | TeamRoles.Admin, null, defaults), CancellationToken.None);
        var afterPat = await HttpPermissionTests.Fingerprint(host, "teambot.db");
        var inbox = scope.ServiceProvider.GetRequiredService<ChatInbox>();
        var pat = new ChatUser("pat", "Pat");
        var place = new PlaceRef("test", HttpPermissionTests.OtherWorkspace, "g");

        foreach (var text in new[] { $"/leads claim lead:{leadNumber}", $"/leads rate lead:{leadNumber} rating:reject", $"/leads outcome lead:{leadNumber} outcome:won amount:5",
                     $"/leads assign lead:{leadNumber} rep:sam", $"/leads show lead:{leadNumber}" })
        {
            var reply = await inbox.HandleAsync(new CommandInvoked(place, pat, Parse(text)), CancellationToken.None);
            Assert.Equal($"There is no lead #{leadNumber} in this workspace.", reply?.Message.Text);
        }
        var theirRef = new MessageRef("test", HttpPermissionTests.OtherWorkspace, "handoffs", messageId);
        Assert.Equal("This message is not linked to a lead any more.", (await inbox.HandleAsync(new CardActionInvoked(theirRef, pat, "claim", null), CancellationToken.None))?.Message.Text);
        Assert.Null(await inbox.HandleAsync(new ReactionChanged(theirRef, pat, "🙋", true), CancellationToken.None));
        // And acting as Pat in this workspace's places is refused: the platform names the workspace, not the caller.
        var intoLocal = await inbox.HandleAsync(new CommandInvoked(new PlaceRef("test", "local", "general"), pat, Parse($"/leads claim lead:{leadNumber}")), CancellationToken.None);
        Assert.StartsWith("TeamBot is not set up in this workspace yet", intoLocal?.Message.Text, StringComparison.Ordinal);

        Assert.Equal(afterPat, await HttpPermissionTests.Fingerprint(host, "teambot.db"));
    }

    /// <summary>The command with its required options, so that it passes the parser and meets the role check.</summary>
    private static string WithRequiredOptions(CommandSpec spec) =>
        spec.FullName + string.Concat(spec.Options.Where(o => o.Required).Select(o => $" {o.Name}:{(o.Choices is { Count: > 0 } choices ? choices[0] : "1")}"));

    /// <summary>Every button and every choice on a card, as (action, value); a control that asks for text gets some.</summary>
    private static List<(string Action, string? Value)> Controls(JsonElement card)
    {
        static string? Value(JsonElement control) =>
            (control.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null) is var value
            && control.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object ? $"{value}:100" : value;

        var controls = card.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("id").GetString()!, Value(a))).ToList();
        foreach (var choice in card.GetProperty("choices").EnumerateArray())
        {
            controls.AddRange(choice.GetProperty("options").EnumerateArray().Select(o => (choice.GetProperty("id").GetString()!, Value(o))));
        }
        return controls;
    }

    private static ChatCommand Parse(string text)
    {
        Assert.True(CommandParser.TryParse(text, out var command, out var error), error);
        return command;
    }
}
