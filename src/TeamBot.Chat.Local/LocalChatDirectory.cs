using TeamBot.Core;
using TeamBot.Core.Chat;

namespace TeamBot.Chat.Local;

/// <summary>The local chat's channels, people and pace, from its options.</summary>
public sealed class LocalChatDirectory
{
    private readonly Dictionary<string, LocalPerson> _people;
    private readonly HashSet<string> _channels;

    public LocalChatDirectory(LocalChatOptions options)
    {
        Options = options;
        _people = options.People.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _channels = options.EffectiveChannels.ToHashSet(StringComparer.Ordinal);
        var perSecond = Math.Max(1, (int)Math.Round(options.PostsPerSecond));
        Pace = new PostingPace(perSecond, TimeSpan.FromSeconds(1));
    }

    public LocalChatOptions Options { get; }

    public PostingPace Pace { get; }

    public string BotName => Options.BotName;

    public ChatUser Bot => new(LocalChatOptions.BotId, BotName, IsBot: true);

    public IReadOnlyList<LocalPerson> People => Options.People;

    public IReadOnlyList<string> Channels => Options.EffectiveChannels;

    public LocalPerson? Person(string? id) => id is not null && _people.TryGetValue(id, out var person) ? person : null;

    /// <summary>A configured channel, or a person's direct messages with the bot (<c>@id</c>).</summary>
    public bool IsChannel(string channel) =>
        _channels.Contains(channel) || (channel.StartsWith('@') && _people.ContainsKey(channel[1..]));

    public static TeamRoles RolesOf(LocalPerson person) =>
        person.Roles.Aggregate(TeamRoles.None, (all, name) => TeamRolesText.TryParse(name, out var role) ? all | role : all);

    public static ChatUser UserOf(LocalPerson person) => new(person.Id, person.Name, RolesOf(person), Email: person.Email);
}
