namespace TeamBot.Chat.Discord.Rest;

/// <summary>
/// An emoji as Discord names it: a Unicode emoji has only a name (the character); a custom emoji has a name and
/// an id. In reaction events the name of a deleted custom emoji is null.
/// </summary>
public sealed record DiscordEmoji(string? Name, ulong? Id = null, bool Animated = false)
{
    public bool IsCustom => Id is not null;

    /// <summary>The path segment for reaction routes: the percent-encoded UTF-8 bytes, or <c>name:id</c> for a custom emoji.</summary>
    public string ToPathSegment()
    {
        if (Id is { } id) return $"{Uri.EscapeDataString(Name ?? "_")}:{id}";
        if (string.IsNullOrEmpty(Name)) throw new InvalidOperationException("A Unicode emoji needs its character as the name.");
        return Uri.EscapeDataString(Name);
    }

    public override string ToString() => Id is { } id ? $"{Name}:{id}" : Name ?? "";
}
