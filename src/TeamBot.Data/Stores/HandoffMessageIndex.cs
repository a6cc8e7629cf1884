using System.Collections.Concurrent;
using TeamBot.Core.Chat;

namespace TeamBot.Data.Stores;

/// <summary>
/// Which lead each handoff card is, remembered for the life of the process (one per host, as it is per database). A
/// posted message is written once and never changed or deleted, so what is remembered stays true; only ids are kept,
/// never a lead's data, so erasing a person's data needs nothing here. Messages that are not (yet) known as a handoff are
/// not remembered: a card may be recorded a moment after the first reaction on it.
/// </summary>
internal sealed class HandoffMessageIndex
{
    /// <summary>At most this many cards are remembered; past that, the index starts over (reads fill it again).</summary>
    internal const int Capacity = 100_000;

    private readonly ConcurrentDictionary<MessageRef, long> _leads = new();

    public bool TryGet(MessageRef message, out long leadId) => _leads.TryGetValue(message, out leadId);

    public void Remember(MessageRef message, long leadId)
    {
        if (_leads.Count >= Capacity) _leads.Clear();
        _leads[message] = leadId;
    }
}
