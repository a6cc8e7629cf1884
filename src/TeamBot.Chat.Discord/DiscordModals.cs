using System.Text.Json;
using TeamBot.Chat.Discord.Messages;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Discord;

/// <summary>
/// The text a card control asks for (<see cref="CardInput"/>), asked on Discord with a modal. The modal's custom_id is the
/// control's custom_id, and for a select <c>"^"</c> and the picked option's value, so the submit names the control again
/// without TeamBot keeping any state between the click and the submit.
/// </summary>
public static class DiscordModals
{
    public const string TextInputId = "text";
    public const int MaxTitle = 45;
    public const int MaxText = 1000;
    private const char SelectedSeparator = '^';

    /// <summary>The modal for a control that asks for text; null when its name and choice do not fit in one custom_id.</summary>
    public static ModalData? For(string customId, string? selectedValue, DiscordControl control)
    {
        ArgumentNullException.ThrowIfNull(customId);
        ArgumentNullException.ThrowIfNull(control);
        var id = selectedValue is null ? customId : customId + SelectedSeparator + selectedValue;
        if (id.Length > Messages.MessageLimits.CustomId) return null;
        var input = control.Input ?? new CardInput("", Required: false);
        var label = string.IsNullOrWhiteSpace(input.Prompt) ? "Details" : DiscordCards.Cut(input.Prompt.Trim(), DiscordCards.MaxPrompt);
        var subject = control.Value ?? control.ActionId;
        var title = DiscordCards.Cut(char.ToUpperInvariant(subject[0]) + subject[1..], MaxTitle);
        return new ModalData(id, title, [new ModalRow([new TextInput(TextInputId, label, TextInput.Paragraph) { Required = input.Required, MaxLength = MaxText }])]);
    }

    /// <summary>
    /// What a modal submit means: the control it was opened for and the value to act with ("value:text", or the text alone
    /// for a control without a value; the value alone when optional text was left empty). Null when it is not TeamBot's.
    /// </summary>
    public static (DiscordControl Control, string? Value)? ReadSubmit(JsonElement data)
    {
        var customId = DiscordJson.Text(data, "custom_id") ?? "";
        var separator = customId.IndexOf(SelectedSeparator, StringComparison.Ordinal);
        var control = separator < 0
            ? DiscordCards.ParseCustomId(customId)
            : DiscordCards.ParseCustomId(customId[..separator], customId[(separator + 1)..]);
        if (control is null || !control.AsksForInput) return null;
        var text = FindText(data)?.Trim() ?? "";
        if (text.Length == 0 && control.Input?.Required == true) return null;
        var value = control.Value is null ? (text.Length == 0 ? null : text) : text.Length == 0 ? control.Value : $"{control.Value}:{text}";
        return (control, value);
    }

    /// <summary>The submitted text input, in an action row (type 1) or a label (type 18), wherever it sits.</summary>
    private static string? FindText(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                if (FindText(item) is { } found) return found;
            }
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object) return null;
        if (DiscordJson.Text(element, "custom_id") == TextInputId && DiscordJson.Text(element, "value") is { } value) return value;
        foreach (var child in new[] { "components", "component" })
        {
            if (element.TryGetProperty(child, out var nested) && FindText(nested) is { } found) return found;
        }
        return null;
    }
}
