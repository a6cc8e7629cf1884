using System.Globalization;

namespace TeamBot.Chat.Discord.Messages;

/// <summary>Discord's documented limits on one message (legacy components).</summary>
public static class MessageLimits
{
    public const int Content = 2000;
    public const int Embeds = 10;
    public const int Title = 256;
    public const int Description = 4096;
    public const int Fields = 25;
    public const int FieldName = 256;
    public const int FieldValue = 1024;
    public const int Footer = 2048;
    public const int Author = 256;
    public const int TotalEmbedText = 6000;
    public const int ActionRows = 5;
    public const int ButtonsPerRow = 5;
    public const int CustomId = 100;
    public const int ButtonLabel = 80;
    public const int Url = 512;
    public const int SelectOptions = 25;
    public const int SelectOptionText = 100;
    public const int NonceLength = 25;

    /// <summary>Every limit <paramref name="body"/> breaks, each as a sentence naming the field. Empty when Discord will accept it.</summary>
    public static IReadOnlyList<string> Check(DiscordMessageBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var problems = new List<string>();
        void Max(string? text, int limit, string what)
        {
            if (text is not null && text.Length > limit) problems.Add(string.Create(CultureInfo.InvariantCulture, $"{what} has {text.Length} characters; the limit is {limit}."));
        }

        if (body.AllowedMentions is null) problems.Add("allowed_mentions must be set on every message.");
        Max(body.Content, Content, "content");
        if (body.Nonce is { Length: > NonceLength }) problems.Add($"nonce is longer than {NonceLength} characters.");
        var embeds = body.Embeds ?? [];
        if (embeds.Count > Embeds) problems.Add($"{embeds.Count} embeds; the limit is {Embeds}.");
        var total = 0;
        for (var i = 0; i < embeds.Count; i++)
        {
            var e = embeds[i];
            Max(e.Title, Title, $"embeds[{i}].title");
            Max(e.Description, Description, $"embeds[{i}].description");
            Max(e.Footer?.Text, Footer, $"embeds[{i}].footer.text");
            Max(e.Author?.Name, Author, $"embeds[{i}].author.name");
            Max(e.Url, Url, $"embeds[{i}].url");
            var fields = e.Fields ?? [];
            if (fields.Count > Fields) problems.Add($"embeds[{i}] has {fields.Count} fields; the limit is {Fields}.");
            for (var f = 0; f < fields.Count; f++)
            {
                Max(fields[f].Name, FieldName, $"embeds[{i}].fields[{f}].name");
                Max(fields[f].Value, FieldValue, $"embeds[{i}].fields[{f}].value");
                if (fields[f].Name.Length == 0 || fields[f].Value.Length == 0) problems.Add($"embeds[{i}].fields[{f}] needs a name and a value.");
                total += fields[f].Name.Length + fields[f].Value.Length;
            }
            total += (e.Title?.Length ?? 0) + (e.Description?.Length ?? 0) + (e.Footer?.Text.Length ?? 0) + (e.Author?.Name.Length ?? 0);
        }
        if (total > TotalEmbedText) problems.Add($"the embeds hold {total} characters of text together; the limit is {TotalEmbedText}.");
        CheckComponents(body.Components ?? [], problems, Max);
        return problems;
    }

    private static void CheckComponents(IReadOnlyList<Component> rows, List<string> problems, Action<string?, int, string> max)
    {
        if (rows.Count > ActionRows) problems.Add($"{rows.Count} action rows; the limit is {ActionRows}.");
        var customIds = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Type != ComponentType.ActionRow)
            {
                problems.Add($"components[{r}] must be an action row.");
                continue;
            }
            var children = row.Components ?? [];
            var selects = children.Count(c => c.Type == ComponentType.StringSelect);
            var buttons = children.Count(c => c.Type == ComponentType.Button);
            if (children.Count == 0) problems.Add($"components[{r}] is an empty action row.");
            if (selects > 0 && children.Count > 1) problems.Add($"components[{r}] holds a select with other components; a select needs a row of its own.");
            if (buttons > ButtonsPerRow) problems.Add($"components[{r}] has {buttons} buttons; the limit is {ButtonsPerRow}.");
            for (var c = 0; c < children.Count; c++)
            {
                var child = children[c];
                var path = $"components[{r}].components[{c}]";
                if (child.Type == ComponentType.ActionRow) problems.Add($"{path} is an action row inside an action row.");
                if (child.Type == ComponentType.Button && child.Style == ButtonStyle.Link)
                {
                    if (string.IsNullOrEmpty(child.Url)) problems.Add($"{path} is a link button without a url.");
                    if (child.CustomId is not null) problems.Add($"{path} is a link button with a custom_id.");
                    max(child.Url, Url, $"{path}.url");
                }
                else if (child.CustomId is not { } id || id.Length is < 1 or > CustomId)
                {
                    problems.Add($"{path}.custom_id must have 1 to {CustomId} characters.");
                }
                else if (!customIds.Add(id))
                {
                    problems.Add($"{path}.custom_id '{id}' is used twice in one message.");
                }
                if (child.Type == ComponentType.Button) max(child.Label, ButtonLabel, $"{path}.label");
                if (child.Type == ComponentType.StringSelect) CheckSelect(child, path, problems, max);
            }
        }
    }

    private static void CheckSelect(Component select, string path, List<string> problems, Action<string?, int, string> max)
    {
        var options = select.Options ?? [];
        if (options.Count is < 1 or > SelectOptions) problems.Add($"{path} has {options.Count} options; a select needs 1 to {SelectOptions}.");
        max(select.Placeholder, 150, $"{path}.placeholder");
        for (var o = 0; o < options.Count; o++)
        {
            max(options[o].Label, SelectOptionText, $"{path}.options[{o}].label");
            max(options[o].Value, SelectOptionText, $"{path}.options[{o}].value");
            max(options[o].Description, SelectOptionText, $"{path}.options[{o}].description");
        }
        if (options.Select(o => o.Value).Distinct(StringComparer.Ordinal).Count() != options.Count) problems.Add($"{path} has two options with the same value.");
    }
}

/// <summary>A message body that breaks Discord's limits; sending it would only earn a 400.</summary>
public sealed class DiscordMessageInvalidException : Exception
{
    public DiscordMessageInvalidException(IReadOnlyList<string> problems)
        : base("The Discord message breaks its limits: " + string.Join(" ", problems))
    {
        Problems = problems;
    }

    public DiscordMessageInvalidException() : this([])
    {
    }

    public DiscordMessageInvalidException(string message) : base(message)
    {
        Problems = [message];
    }

    public DiscordMessageInvalidException(string message, Exception inner) : base(message, inner)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; } = [];
}
