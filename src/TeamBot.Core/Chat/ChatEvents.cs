namespace TeamBot.Core.Chat;

/// <summary>A platform-neutral inbound event. Adapters translate their payloads into these and nothing else reaches Core.</summary>
public abstract record ChatEvent(PlaceRef Place, ChatUser User);

/// <summary>A slash command, typed or native.</summary>
public sealed record CommandInvoked(PlaceRef Place, ChatUser User, ChatCommand Command) : ChatEvent(Place, User);

public sealed record ReactionChanged(MessageRef Message, ChatUser User, string Emoji, bool Added) : ChatEvent(Message.Place, User);

public sealed record CardActionInvoked(MessageRef Message, ChatUser User, string ActionId, string? Value) : ChatEvent(Message.Place, User);

/// <summary>A plain message in a thread (commands in threads arrive as <see cref="CommandInvoked"/>).</summary>
public sealed record ThreadMessagePosted(PlaceRef Thread, ChatUser User, string MessageId, string Text) : ChatEvent(Thread, User);

/// <summary>A plain message sent to TeamBot in a direct conversation (commands arrive as <see cref="CommandInvoked"/>).</summary>
public sealed record DirectMessagePosted(PlaceRef Place, ChatUser User, string MessageId, string Text) : ChatEvent(Place, User);

/// <summary>A plain message, in a thread or a direct conversation, whose author changed its text.</summary>
public sealed record MessageEdited(PlaceRef Place, ChatUser User, string MessageId, string Text) : ChatEvent(Place, User);

/// <summary>Someone joined or left, or the bot was installed somewhere.</summary>
public sealed record MemberChanged(PlaceRef Place, ChatUser User, bool Joined) : ChatEvent(Place, User);

/// <summary>A parsed command: <c>/leads quality period:30d by:source</c> is name "leads", subcommand "quality".</summary>
public sealed record ChatCommand(string Name, string? Subcommand, IReadOnlyDictionary<string, string> Options, string Text)
{
    public string? Option(string name) => Options.TryGetValue(name, out var v) ? v : null;

    public string FullName => Subcommand is null ? "/" + Name : $"/{Name} {Subcommand}";
}
