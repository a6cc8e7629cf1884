using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Chat.BotFramework.Activities;
using TeamBot.Core.Workspaces;
using TeamBot.Testing;

namespace TeamBot.Host.Tests.BotFramework;

/// <summary>
/// The real TeamBot host against Microsoft's own JavaScript Bot Framework SDK acting as the Teams channel (see
/// tests/conformance/botframework/README.md): the SDK's route handlers serve the Connector API and check TeamBot's
/// outbound tokens, the SDK's bot-side validation gives its verdict on every channel token, and TeamBot must agree.
/// </summary>
public sealed partial class BotFrameworkConformanceTests(NodeChannelFixture fixture) : IClassFixture<NodeChannelFixture>
{
    private const string AppId = "5e9a5c2e-1b7f-4c1d-9a0e-3f7b2c8d4e61";
    private const string AppPassword = "conformance-secret-0123456789";
    private const string CardType = "application/vnd.microsoft.card.adaptive";

    private static readonly TeamsUser Alex = new("29:1alex-kim", "Alex Kim", "a1e5b0c2-0000-4000-8000-00000000a1e5", "alex@acme.example");
    private static readonly TeamsUser Sam = new("29:1sam-carter", "Sam Carter", "5a3c0d1e-0000-4000-8000-0000000005a3", "sam@acme.example");
    private static readonly TeamsUser Maria = new("29:1maria-lopez", "Maria Lopez", "3a71a000-0000-4000-8000-000000003a71", "maria@acme.example");

    private static readonly object Team = new { id = "19:Xk2pA7tQz0General@thread.tacv2", name = "Acme Revenue" };
    private const string General = "19:Xk2pA7tQz0General@thread.tacv2";
    private const string Handoffs = "19:b81d4c7e5f2a4e0f9d3c@thread.tacv2";
    private const string OtherTeam = "19:OtherTeam0000@thread.tacv2";

    private const string Lead = """{"email":"jane@acme.com","firstName":"Jane","lastName":"Doe","company":"Acme GmbH","source":"webinar"}""";

    [NodeFact]
    public Task Message_Command_Reactions_CardAction_Update_AndProactive_WithJwtBothWays() => ScenarioAsync(auth: true);

    [NodeFact]
    public Task Message_Command_Reactions_CardAction_Update_AndProactive_InDevMode() => ScenarioAsync(auth: false);

    [NodeFact]
    public async Task EveryBadChannelToken_Is401_AndLeavesNoTrace()
    {
        var channel = await fixture.ChannelAsync();
        await using var host = await StartAsync(channel, auth: true);
        var (workspace, key) = await InstallAndSetUpAsync(channel, host, auth: true);
        var cardId = await PostLeadAsync(channel, host, workspace, key);
        var before = (await channel.CallsAsync()).Length;

        string[] kinds = ["none", "wrong-issuer", "wrong-audience", "expired", "bad-signature", "wrong-endorsement", "serviceurl-mismatch"];
        foreach (var token in kinds)
        {
            // A forged activity names another serviceUrl (the channel's /evil/ routes): a leak would show up there.
            var serviceUrl = token == "serviceurl-mismatch" ? channel.ServiceUrl + "evil/" : null;
            var reaction = await channel.SendAsync(new
            {
                botUrl = BotUrl(host),
                kind = "reaction",
                token,
                serviceUrl,
                from = Sam.Id,
                team = Team,
                channel = Handoffs,
                replyToId = cardId,
                reactionsAdded = new[] { new { type = "like" } },
            });
            var install = await channel.SendAsync(new
            {
                botUrl = BotUrl(host),
                kind = "install",
                token,
                serviceUrl,
                from = Alex.Id,
                team = new { id = OtherTeam, name = "Other" },
            });
            var command = await channel.SendAsync(new
            {
                botUrl = BotUrl(host),
                kind = "message",
                token,
                serviceUrl,
                from = Alex.Id,
                team = Team,
                channel = Handoffs,
                mention = true,
                text = "setup key",
            });
            foreach (var (what, answer) in new[] { ("reaction", reaction), ("install", install), ("command", command) })
            {
                Assert.StartsWith("rejected", answer.GetProperty("sdkVerdict").GetString(), StringComparison.Ordinal);
                Assert.True(answer.GetProperty("status").GetInt32() == 401,
                    $"a {what} with token '{token}' got {answer.GetProperty("status")} {answer.GetProperty("body")}; the SDK says {answer.GetProperty("sdkVerdict")}");
                Assert.Contains("application/problem+json", answer.GetProperty("contentType").GetString(), StringComparison.Ordinal);
            }
        }

        // Nothing was processed: no Connector call anywhere, no rating, no workspace for the other team, and the key
        // still works (the refused "setup key" did not replace it).
        await Task.Delay(500);
        var calls = await channel.CallsAsync();
        Assert.True(calls.Length == before, "Connector calls after bad tokens: " + string.Join("\n", calls.Skip(before)));
        Assert.Equal(0, await RatedAsync(host, workspace, key));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var workspaces = scope.ServiceProvider.GetRequiredService<IWorkspaceStore>();
            Assert.Null(await workspaces.FindAsync(BotFrameworkInboundSettings.ForTeam(OtherTeam), CancellationToken.None));
            Assert.NotNull(await workspaces.FindAsync(workspace, CancellationToken.None));
        }

        // The same reaction with a valid token does count: the 401s were about the tokens.
        await LikeAsync(channel, host, cardId, added: true);
        await Eventually.TrueAsync(async () => await RatedAsync(host, workspace, key) == 1, "the valid reaction is a rating");
    }

    private async Task ScenarioAsync(bool auth)
    {
        var channel = await fixture.ChannelAsync();
        await using var host = await StartAsync(channel, auth);

        // Install (message to the team) and an admin's command: the workspace and its webhook key, sent privately.
        var (workspace, key) = await InstallAndSetUpAsync(channel, host, auth);

        // help, typed with the bot's mention in a channel, is answered.
        var helpSent = (await channel.CallsAsync()).Length;
        await SendAsync(channel, new { botUrl = BotUrl(host), kind = "message", from = Sam.Id, team = Team, channel = Handoffs, mention = true, text = "help" });
        await UntilCallAsync(channel, c => Sent(c) && Text(c).Contains("leads", StringComparison.OrdinalIgnoreCase), "help is answered", skip: helpSent);

        // A webhook lead: a proactive Adaptive Card in the handoffs channel.
        var cardId = await PostLeadAsync(channel, host, workspace, key);

        // A like on the card is a rating; taking it back retracts it.
        await LikeAsync(channel, host, cardId, added: true);
        await Eventually.TrueAsync(async () => await RatedAsync(host, workspace, key) == 1, "the like is a rating");
        await LikeAsync(channel, host, cardId, added: false);
        await Eventually.TrueAsync(async () => await RatedAsync(host, workspace, key) == 0, "the removed like is retracted");

        // Action.Execute "claim" from the card: an invoke answered with the updated card, and the card updated in place.
        var card = (await CardCallAsync(channel)).GetProperty("body").GetProperty("attachments")[0].GetProperty("content");
        var claim = Actions(card).First(a => a.GetProperty("verb").GetString() == "claim");
        var invoke = await channel.SendAsync(new
        {
            botUrl = BotUrl(host),
            kind = "invoke",
            from = Sam.Id,
            team = Team,
            channel = Handoffs,
            replyToId = cardId,
            value = new { action = new { type = "Action.Execute", verb = "claim", data = Data(claim) }, trigger = "manual" },
        });
        Assert.Equal("accepted", invoke.GetProperty("sdkVerdict").GetString());
        Assert.Equal(200, invoke.GetProperty("status").GetInt32());
        var answer = invoke.GetProperty("body");
        Assert.True(answer.ValueKind == JsonValueKind.Object, $"the invoke answer is not JSON: {answer}");
        Assert.Equal(200, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal(CardType, answer.GetProperty("type").GetString());
        Assert.Equal("AdaptiveCard", answer.GetProperty("value").GetProperty("type").GetString());
        var update = await UntilCallAsync(channel, c => c.GetProperty("method").GetString() == "PUT", "the card is updated");
        Assert.Equal(cardId, update.GetProperty("params").GetProperty("activityId").GetString());
        Assert.Equal(CardType, update.GetProperty("body").GetProperty("attachments")[0].GetProperty("contentType").GetString());
        await Eventually.TrueAsync(async () => (await ReportAsync(host, workspace, key)).GetProperty("total").GetProperty("claimed").GetInt32() == 1, "the claim is recorded");

        // A verb TeamBot does not know is an error answer, not a failed request.
        var unknown = await channel.SendAsync(new
        {
            botUrl = BotUrl(host),
            kind = "invoke",
            from = Sam.Id,
            team = Team,
            channel = Handoffs,
            replyToId = cardId,
            value = new { action = new { type = "Action.Execute", verb = "no-such-verb", data = new { } }, trigger = "manual" },
        });
        Assert.Equal(200, unknown.GetProperty("status").GetInt32());
        Assert.Equal(400, unknown.GetProperty("body").GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.error", unknown.GetProperty("body").GetProperty("type").GetString());

        // leads quality, typed in the channel, replies with the summary.
        var before = (await channel.CallsAsync()).Length;
        await SendAsync(channel, new { botUrl = BotUrl(host), kind = "message", from = Sam.Id, team = Team, channel = Handoffs, mention = true, text = "leads quality" });
        await UntilCallAsync(channel, c => Sent(c) && Text(c).Contains("webinar", StringComparison.Ordinal), "the summary is sent", skip: before);

        await AssertEveryCallAuthenticatedAsync(channel, auth);
    }

    // ---- steps ----

    private static async Task<TestHost> StartAsync(NodeChannel channel, bool auth)
    {
        await channel.ResetAsync(auth ? AppId : null, auth ? AppPassword : null, [Alex, Sam, Maria]);
        return await TestHost.StartAsync(settings =>
        {
            if (auth)
            {
                settings["BotFramework:AppId"] = AppId;
                settings["BotFramework:AppPassword"] = AppPassword;
                settings["BotFramework:OpenIdMetadataUrl"] = channel.OpenIdMetadataUrl;
                settings["BotFramework:TokenEndpoint"] = channel.TokenEndpoint();
            }
            settings["BotFramework:Roles:Admin:0"] = Alex.AadObjectId;
            settings["BotFramework:Roles:Sales:0"] = Sam.AadObjectId;
            settings["BotFramework:Roles:Sales:1"] = Alex.AadObjectId;
            settings["BotFramework:Roles:Marketing:0"] = Maria.Email;
        });
    }

    /// <summary>Installs TeamBot in the team (a welcome to the team) and runs setup handoffs; the workspace id and key.</summary>
    private static async Task<(string Workspace, string Key)> InstallAndSetUpAsync(NodeChannel channel, TestHost host, bool auth)
    {
        await SendAsync(channel, new { botUrl = BotUrl(host), kind = "install", from = Alex.Id, team = Team });
        var welcome = await UntilCallAsync(channel, c => Sent(c) && Conversation(c) == General, "the welcome is sent to the team");
        Assert.Equal("POST", welcome.GetProperty("method").GetString());

        await SendAsync(channel, new { botUrl = BotUrl(host), kind = "message", from = Alex.Id, team = Team, channel = Handoffs, mention = true, text = "setup handoffs" });
        // The key goes privately: a 1:1 conversation with the admin, then the message in it.
        var created = await UntilCallAsync(channel, c => c.GetProperty("method").GetString() == "POST" && c.GetProperty("path").GetString() == "/v3/conversations", "a 1:1 conversation is created");
        Assert.Equal(Alex.Id, created.GetProperty("body").GetProperty("members")[0].GetProperty("id").GetString());
        Assert.False(created.GetProperty("body").TryGetProperty("isGroup", out var group) && group.GetBoolean());
        var personal = created.GetProperty("response").GetProperty("id").GetString();
        var text = created.GetProperty("body").TryGetProperty("activity", out var inline) && inline.ValueKind == JsonValueKind.Object
            ? Text(inline)
            : Text((await UntilCallAsync(channel, c => Sent(c) && Conversation(c) == personal, "the key is sent in the 1:1 conversation")).GetProperty("body"));
        var key = ApiKeyPattern().Match(text);
        var workspace = WorkspacePattern().Match(text);
        Assert.True(key.Success && workspace.Success, $"no key and workspace in the private reply: {text}");
        // The key never shows in the channel.
        Assert.DoesNotContain(await channel.CallsAsync(), c => Sent(c) && Conversation(c)!.StartsWith("19:", StringComparison.Ordinal) && Text(c).Contains(key.Value, StringComparison.Ordinal));
        return (workspace.Groups[1].Value, key.Value);
    }

    /// <summary>Posts the lead to the webhook; the activity id of the Adaptive Card sent proactively to the handoffs channel.</summary>
    private static async Task<string> PostLeadAsync(NodeChannel channel, TestHost host, string workspace, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/workspaces/{Uri.EscapeDataString(workspace)}/leads")
        {
            Content = new StringContent(Lead, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var accepted = await host.Client.SendAsync(request);
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        var card = await CardCallAsync(channel);
        var attachment = card.GetProperty("body").GetProperty("attachments")[0];
        Assert.Equal(CardType, attachment.GetProperty("contentType").GetString());
        Assert.Equal("1.5", attachment.GetProperty("content").GetProperty("version").GetString());
        Assert.Contains("Jane", attachment.GetProperty("content").GetRawText(), StringComparison.Ordinal);
        return card.GetProperty("response").GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Sends a valid activity that is not an invoke: the SDK (as a bot) accepts its token, and TeamBot answers 200 with an
    /// empty body, the Bot Framework contract for everything but invokes.
    /// </summary>
    private static async Task<JsonElement> SendAsync(NodeChannel channel, object request)
    {
        var answer = await channel.SendAsync(request);
        Assert.Equal("accepted", answer.GetProperty("sdkVerdict").GetString());
        Assert.True(answer.GetProperty("status").GetInt32() == 200, $"{answer.GetProperty("activity")} got {answer.GetProperty("status")} {answer.GetProperty("body")}");
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("body").ValueKind);
        return answer;
    }

    private static Task<JsonElement> CardCallAsync(NodeChannel channel) =>
        UntilCallAsync(channel, c => Sent(c) && Conversation(c) == Handoffs && c.GetProperty("path").GetString()!.EndsWith("/activities", StringComparison.Ordinal)
                                     && c.GetProperty("body").TryGetProperty("attachments", out var a) && a.GetArrayLength() > 0,
            "the handoff card is sent to the handoffs channel");

    private static async Task AssertEveryCallAuthenticatedAsync(NodeChannel channel, bool auth)
    {
        var calls = await channel.CallsAsync();
        Assert.NotEmpty(calls);
        foreach (var call in calls)
        {
            var path = call.GetProperty("path").GetString()!;
            Assert.True(call.GetProperty("auth").GetString() == "ok", $"{call.GetProperty("method")} {path}: {call.GetProperty("auth")}\n{channel.Log}");
            Assert.False(path.StartsWith("/evil", StringComparison.Ordinal), $"a call went to a forged serviceUrl: {path}");
            Assert.True(call.GetProperty("status").GetInt32() is >= 200 and < 300, $"{path}: {call}");
            if (auth)
            {
                Assert.Equal("Bearer", call.GetProperty("authorization").GetString());
                Assert.Equal(AppId, call.GetProperty("claims").GetProperty("appid").GetString());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, call.GetProperty("authorization").ValueKind);
            }
        }
        var tokens = await channel.TokenRequestsAsync();
        if (auth)
        {
            Assert.NotEmpty(tokens);
            Assert.All(tokens, t => Assert.Empty(t.GetProperty("problems").EnumerateArray()));
        }
        else
        {
            Assert.Empty(tokens);
        }
    }

    /// <summary>Sam's like on the card, added or taken back, as a Teams reaction activity with a valid token.</summary>
    private static Task<JsonElement> LikeAsync(NodeChannel channel, TestHost host, string cardId, bool added) => SendAsync(channel, new
    {
        botUrl = BotUrl(host),
        kind = "reaction",
        from = Sam.Id,
        team = Team,
        channel = Handoffs,
        replyToId = cardId,
        reactionsAdded = added ? new[] { new { type = "like" } } : null,
        reactionsRemoved = added ? null : new[] { new { type = "like" } },
    });

    private static async Task<int> RatedAsync(TestHost host, string workspace, string key) =>
        (await ReportAsync(host, workspace, key)).GetProperty("total").GetProperty("rated").GetInt32();

    private static async Task<JsonElement> ReportAsync(TestHost host, string workspace, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/workspaces/{Uri.EscapeDataString(workspace)}/reports/lead-quality?period=7d&by=source");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    // ---- reading the recorded calls ----

    private static string BotUrl(TestHost host) => new Uri(host.Client.BaseAddress!, "/api/messages").ToString();

    private static async Task<JsonElement> UntilCallAsync(NodeChannel channel, Func<JsonElement, bool> match, string what, int skip = 0)
    {
        JsonElement found = default;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                foreach (var call in (await channel.CallsAsync()).Skip(skip))
                {
                    if (!match(call)) continue;
                    found = call;
                    return true;
                }
                return false;
            }, what, TimeSpan.FromSeconds(15));
        }
        catch (Xunit.Sdk.FailException)
        {
            Assert.Fail($"Timed out waiting until {what}. Connector calls:\n{string.Join("\n", await channel.CallsAsync())}\nnode:\n{channel.Log}");
        }
        return found;
    }

    /// <summary>A message sent to a conversation (append or reply).</summary>
    private static bool Sent(JsonElement call) =>
        call.GetProperty("method").GetString() == "POST"
        && call.GetProperty("path").GetString() is { } path && path.StartsWith("/v3/conversations/", StringComparison.Ordinal) && path.Contains("/activities", StringComparison.Ordinal);

    private static string? Conversation(JsonElement call) =>
        call.GetProperty("params").TryGetProperty("conversationId", out var id) ? id.GetString() : null;

    /// <summary>What a call's activity says: its text and, for cards, the card's JSON.</summary>
    private static string Text(JsonElement callOrActivity)
    {
        var activity = callOrActivity.TryGetProperty("body", out var body) ? body : callOrActivity;
        if (activity.ValueKind != JsonValueKind.Object) return "";
        var text = activity.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        // textFormat xml (how TeamBot writes, for its <at> mentions) is read by Teams as markup: what a person sees.
        if (activity.TryGetProperty("textFormat", out var format) && format.GetString() == "xml")
        {
            text = WebUtility.HtmlDecode(MarkupTag().Replace(LineBreak().Replace(text, "\n"), ""));
        }
        return activity.TryGetProperty("attachments", out var a) && a.ValueKind == JsonValueKind.Array ? text + "\n" + a.GetRawText() : text;
    }

    /// <summary>Every Action.Execute in a card, wherever it sits.</summary>
    private static IEnumerable<JsonElement> Actions(JsonElement node)
    {
        if (node.ValueKind == JsonValueKind.Object)
        {
            if (node.TryGetProperty("type", out var type) && type.GetString() == "Action.Execute") yield return node;
            foreach (var property in node.EnumerateObject())
            {
                foreach (var inner in Actions(property.Value)) yield return inner;
            }
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in node.EnumerateArray())
            {
                foreach (var inner in Actions(item)) yield return inner;
            }
        }
    }

    private static JsonElement? Data(JsonElement action) => action.TryGetProperty("data", out var data) ? data : null;

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex MarkupTag();

    [GeneratedRegex(@"tb_[A-Za-z0-9_\-]{20,}")]
    private static partial Regex ApiKeyPattern();

    [GeneratedRegex(@"\(workspace ([^\s\)]+)\)")]
    private static partial Regex WorkspacePattern();
}
