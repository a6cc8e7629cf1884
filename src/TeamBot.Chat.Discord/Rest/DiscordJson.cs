using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamBot.Chat.Discord.Rest;

/// <summary>How TeamBot writes and reads Discord JSON: snake_case names, nulls left out, snowflakes as strings.</summary>
internal static class DiscordJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>A snowflake from a JSON string (or number); null when absent.</summary>
    public static ulong? Id(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String when ulong.TryParse(v.GetString(), out var id) => id,
            JsonValueKind.Number when v.TryGetUInt64(out var id) => id,
            _ => null,
        } : null;

    /// <summary>A permission bit set, which Discord sends as a decimal string; null when absent.</summary>
    public static ulong? Bits(JsonElement parent, string name) => Id(parent, name);

    public static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static int? Number(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    public static bool Flag(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public static JsonElement? Child(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;
}
