using System.Threading.Channels;

namespace TeamBot.Chat.Local;

/// <summary>A change the page should show: a message created or updated, or a reaction changed.</summary>
public sealed record LocalChatEvent(string Type, string Channel, string MessageId, string? ThreadOf);

/// <summary>Fans changes out to every open page (server-sent events). Slow readers lose old events, never block writers.</summary>
public sealed class LocalChatEvents
{
    private readonly List<Channel<LocalChatEvent>> _subscribers = [];
    private readonly Lock _lock = new();

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<LocalChatEvent>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock) _subscribers.Add(channel);
        return new Subscription(this, channel);
    }

    public void Publish(LocalChatEvent change)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(change);
        }
    }

    private void Remove(Channel<LocalChatEvent> channel)
    {
        lock (_lock) _subscribers.Remove(channel);
        channel.Writer.TryComplete();
    }

    public sealed class Subscription(LocalChatEvents owner, Channel<LocalChatEvent> channel) : IDisposable
    {
        public ChannelReader<LocalChatEvent> Reader => channel.Reader;

        public void Dispose() => owner.Remove(channel);
    }
}
