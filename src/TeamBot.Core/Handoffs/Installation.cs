namespace TeamBot.Core.Handoffs;

/// <summary>
/// This database's identity. Idempotency keys sent to platforms carry it, so that a new database (a switch
/// from SQLite to PostgreSQL, say) never collides with posts an earlier one made on the same platform.
/// </summary>
public sealed class Installation
{
    /// <summary>Set at start from the database; a short random text.</summary>
    public string Key { get; set; } = "teambot";

    public string IdempotencyKey(string what) => $"{Key}:{what}";
}
