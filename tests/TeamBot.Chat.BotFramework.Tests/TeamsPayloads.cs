using System.Text.Json;

namespace TeamBot.Chat.BotFramework.Tests;

/// <summary>Activities shaped as Teams sends them (PROTOCOLS B2 and B8), with ids of the kinds Teams uses.</summary>
internal static class TeamsPayloads
{
    public const string AppId = "5b2f6c1e-8d4a-4c3e-9f7a-1e2d3c4b5a69";
    public const string Bot = "28:" + AppId;
    public const string Tenant = "0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c";
    public const string Team = "19:Kx1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c@thread.tacv2";
    public const string Channel = "19:3f0c9b2a7e1d4c8b9a6f5e4d3c2b1a0f@thread.tacv2";
    public const string ThreadId = Channel + ";messageid=1763630000000";
    public const string Personal = "a:1Xq9Zt2PbYw7vN3kLm8sRcD4eF5gH6jK7lM8nO9pQ0rS1tU2vW3xY4zA5bC6dE7f";
    public const string Sam = "29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrrA8vM";
    public const string SamAad = "6b1f3a2c-1d4e-4f5a-8b6c-7d8e9f0a1b2c";
    public const string ServiceUrl = "https://smba.trafficmanager.net/emea/";

    /// <summary>Sam's channel message "@TeamBot /leads quality period:30d", as Teams sends it: the mention in text and as an entity.</summary>
    public const string ChannelMention = $$"""
        {
          "text": "<at>TeamBot</at> /leads quality period:30d\n",
          "textFormat": "plain",
          "attachments": [{"contentType": "text/html", "content": "<div><div><span itemscope=\"\" itemtype=\"http://schema.skype.com/Mention\" itemid=\"0\">TeamBot</span> /leads quality period:30d</div></div>"}],
          "type": "message",
          "timestamp": "2026-11-20T09:15:31.402Z",
          "localTimestamp": "2026-11-20T10:15:31.402+01:00",
          "id": "1763630131402",
          "channelId": "msteams",
          "serviceUrl": "{{ServiceUrl}}",
          "from": {"id": "{{Sam}}", "name": "Sam Rivera", "aadObjectId": "{{SamAad}}"},
          "conversation": {"isGroup": true, "conversationType": "channel", "tenantId": "{{Tenant}}", "id": "{{Channel}}"},
          "recipient": {"id": "{{Bot}}", "name": "TeamBot"},
          "entities": [
            {"mentioned": {"id": "{{Bot}}", "name": "TeamBot"}, "text": "<at>TeamBot</at>", "type": "mention"},
            {"locale": "en-US", "country": "US", "platform": "Web", "timezone": "Europe/Berlin", "type": "clientInfo"}
          ],
          "channelData": {
            "teamsChannelId": "{{Channel}}",
            "teamsTeamId": "{{Team}}",
            "channel": {"id": "{{Channel}}"},
            "team": {"id": "{{Team}}"},
            "tenant": {"id": "{{Tenant}}"}
          },
          "locale": "en-US",
          "localTimezone": "Europe/Berlin"
        }
        """;

    /// <summary>
    /// A message from <paramref name="from"/> with <paramref name="text"/> (a JSON string's content, unescaped here) in a
    /// channel, thread or personal chat; <paramref name="mentions"/> are (id, name) pairs whose <c>&lt;at&gt;name&lt;/at&gt;</c>
    /// entities are attached; the text should contain them.
    /// </summary>
    public static string Message(string text, string conversationId, string conversationType = "channel", string from = Sam,
        string? fromRole = null, bool tenantInConversation = true, IEnumerable<(string Id, string Name)>? mentions = null, string? valueJson = null)
    {
        var personal = conversationType == "personal";
        var entities = string.Join(",", (mentions ?? []).Select(m =>
            $$"""{"mentioned":{"id":{{Str(m.Id)}},"name":{{Str(m.Name)}}},"text":{{Str($"<at>{m.Name}</at>")}},"type":"mention"}"""));
        var channelData = personal
            ? $$"""{"tenant":{"id":"{{Tenant}}"} }"""
            : $$"""{"teamsChannelId":"{{Channel}}","teamsTeamId":"{{Team}}","channel":{"id":"{{Channel}}"},"team":{"id":"{{Team}}"},"tenant":{"id":"{{Tenant}}"} }""";
        return $$"""
            {
              "text": {{Str(text)}},
              "textFormat": "plain",
              "type": "message",
              "timestamp": "2026-11-20T09:20:00.000Z",
              "id": "1763630400000",
              "channelId": "msteams",
              "serviceUrl": "{{ServiceUrl}}",
              "from": {"id": {{Str(from)}}, "name": "Sam Rivera", "aadObjectId": "{{SamAad}}"{{(fromRole is null ? "" : $", \"role\": {Str(fromRole)}")}}},
              "conversation": {"isGroup": {{(personal ? "false" : "true")}}, "conversationType": "{{conversationType}}", {{(tenantInConversation ? $"\"tenantId\": \"{Tenant}\", " : "")}}"id": {{Str(conversationId)}}},
              "recipient": {"id": "{{Bot}}", "name": "TeamBot"},
              "entities": [{{entities}}],
              {{(valueJson is null ? "" : $"\"value\": {valueJson},")}}
              "channelData": {{channelData}}
            }
            """;
    }

    /// <summary>A messageReaction on the bot's card 1763630000000 in the channel.</summary>
    public static string Reaction(string[] added, string[] removed) => $$"""
        {
          "reactionsAdded": {{Reactions(added)}},
          "reactionsRemoved": {{Reactions(removed)}},
          "type": "messageReaction",
          "timestamp": "2026-11-20T09:21:07.118Z",
          "id": "f:2c5c9c1b-6d0e-4a55-a8a8-9d3b6c7d1e2f",
          "channelId": "msteams",
          "serviceUrl": "{{ServiceUrl}}",
          "from": {"id": "{{Sam}}", "aadObjectId": "{{SamAad}}"},
          "conversation": {"isGroup": true, "conversationType": "channel", "tenantId": "{{Tenant}}", "id": "{{ThreadId}}"},
          "recipient": {"id": "{{Bot}}", "name": "TeamBot"},
          "channelData": {"channel": {"id": "{{Channel}}"}, "team": {"id": "{{Team}}"}, "tenant": {"id": "{{Tenant}}"}, "legacy": {"replyToId": "1:1abc"} },
          "replyToId": "1763630000000"
        }
        """;

    /// <summary>An <c>adaptiveCard/action</c> invoke (Action.Execute) on the bot's card 1763630000000.</summary>
    public static string CardAction(string verb, string dataJson) => $$"""
        {
          "name": "adaptiveCard/action",
          "type": "invoke",
          "timestamp": "2026-11-20T09:22:45.001Z",
          "localTimestamp": "2026-11-20T10:22:45.001+01:00",
          "id": "f:8d9e0f1a-2b3c-4d5e-6f7a-8b9c0d1e2f3a",
          "channelId": "msteams",
          "serviceUrl": "{{ServiceUrl}}",
          "from": {"id": "{{Sam}}", "name": "Sam Rivera", "aadObjectId": "{{SamAad}}"},
          "conversation": {"isGroup": true, "conversationType": "channel", "tenantId": "{{Tenant}}", "id": "{{ThreadId}}"},
          "recipient": {"id": "{{Bot}}", "name": "TeamBot"},
          "entities": [{"locale": "en-US", "country": "US", "platform": "Windows", "timezone": "Europe/Berlin", "type": "clientInfo"}],
          "channelData": {"channel": {"id": "{{Channel}}"}, "team": {"id": "{{Team}}"}, "tenant": {"id": "{{Tenant}}"}, "source": {"name": "message"} },
          "replyToId": "1763630000000",
          "value": {"action": {"type": "Action.Execute", "id": "rate-great", "verb": {{Str(verb)}}, "data": {{dataJson}}}, "trigger": "manual"},
          "locale": "en-US"
        }
        """;

    /// <summary>The bot installed in a team (or, with <paramref name="member"/>, someone else joining).</summary>
    public static string MembersAdded(string member, bool removed = false) => $$"""
        {
          "{{(removed ? "membersRemoved" : "membersAdded")}}": [{"id": {{Str(member)}}}],
          "type": "conversationUpdate",
          "timestamp": "2026-11-20T08:00:00.000Z",
          "id": "f:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
          "channelId": "msteams",
          "serviceUrl": "{{ServiceUrl}}",
          "from": {"id": "{{Sam}}", "aadObjectId": "{{SamAad}}"},
          "conversation": {"isGroup": true, "conversationType": "channel", "tenantId": "{{Tenant}}", "id": "{{Team}}"},
          "recipient": {"id": "{{Bot}}", "name": "TeamBot"},
          "channelData": {"team": {"aadGroupId": "d1c2b3a4-0000-4000-8000-000000000001", "name": "Sales", "id": "{{Team}}"}, "eventType": "{{(removed ? "teamMemberRemoved" : "teamMemberAdded")}}", "tenant": {"id": "{{Tenant}}"} }
        }
        """;

    private static string Reactions(string[] types) => "[" + string.Join(",", types.Select(t => $$"""{"type":{{Str(t)}}}""")) + "]";

    private static string Str(string value) => JsonSerializer.Serialize(value);
}
