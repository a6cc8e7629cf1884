namespace TeamBot.Chat.BotFramework.Activities;

/// <summary>
/// Teams reaction types as the emoji TeamBot's reaction map reads (Core's <c>ReactionMap</c>: 🙋 claim, 🔥 great,
/// 👍 good, 🤷 meh, 👎 poor, 🚫 reject). Teams' six classic reactions carry a word, not an emoji, so they are named here:
/// <list type="table">
/// <item><term>like</term><description>👍 good</description></item>
/// <item><term>heart</term><description>🔥 great</description></item>
/// <item><term>laugh</term><description>🤷 meh</description></item>
/// <item><term>surprised</term><description>🤷 meh</description></item>
/// <item><term>sad</term><description>👎 poor</description></item>
/// <item><term>angry</term><description>🚫 reject</description></item>
/// </list>
/// No classic reaction means claim; claiming in Teams is the card's button. Any other type (newer Teams clients allow
/// more emoji) is passed on as Teams spelled it, so Core finds no meaning in it unless the map is configured with that
/// spelling. This table is fixed for now; making it configurable, like the reaction map, is a later step.
/// </summary>
public static class TeamsReactions
{
    public static readonly IReadOnlyDictionary<string, string> Emoji = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["like"] = "👍",
        ["heart"] = "🔥",
        ["laugh"] = "🤷",
        ["surprised"] = "🤷",
        ["sad"] = "👎",
        ["angry"] = "🚫",
    };

    /// <summary>The emoji for a Teams reaction type, or the type itself when the table does not name it.</summary>
    public static string ToEmoji(string type) => Emoji.GetValueOrDefault(type, type);
}
