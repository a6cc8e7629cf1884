using TeamBot.Core.Handoffs;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Chat;

/// <summary>
/// A plain message that is not about a lead: a reply in the thread of one of TeamBot's notes (<see cref="Note"/>
/// says which), or a message sent to TeamBot directly (<see cref="Note"/> is null). <see cref="Edited"/> is set when
/// the author changed an earlier message; <see cref="MessageId"/> is the same as when it was first posted.
/// </summary>
public sealed record ConversationMessage(
    Workspace Workspace,
    Person Person,
    PlaceRef Place,
    string MessageId,
    string Text,
    PostedMessage? Note,
    bool Edited);

/// <summary>What a feature did with a conversation message: it took it, and may answer the author privately.</summary>
public sealed record ConversationHandled(ChatReply? Reply);

/// <summary>A feature that listens to conversation messages (stand-up answers, for one). Returns null for messages that are not its own.</summary>
public interface IConversationHandler
{
    Task<ConversationHandled?> HandleAsync(ConversationMessage message, CancellationToken cancellationToken);
}
