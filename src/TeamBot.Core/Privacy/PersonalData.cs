using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using TeamBot.Core.Leads;

namespace TeamBot.Core.Privacy;

/// <summary>Bound from <c>Privacy</c>.</summary>
public sealed class PrivacySettings
{
    /// <summary>Leads received longer ago than this many days have their personal data erased; 0 keeps leads forever.</summary>
    public int RetentionDays { get; set; }

    /// <summary>How often the retention purge runs.</summary>
    public TimeSpan PurgeEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Leads erased per transaction by the retention purge.</summary>
    public int PurgeBatchSize { get; set; } = 200;

    public bool RetentionEnabled => RetentionDays > 0;
}

/// <summary>Everything TeamBot holds about the person behind an e-mail address: the answer to an access request.</summary>
public sealed record PersonalDataExport(string Email, string? Workspace, DateTimeOffset ExportedAt, IReadOnlyList<LeadExport> Leads)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // The document is read by people and tools, not embedded in HTML: keep accents and symbols as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options);
}

/// <summary>One lead with its history; people (reps) are named as the workspace knows them.</summary>
public sealed record LeadExport(
    long Id,
    string Workspace,
    DateTimeOffset ReceivedAt,
    IntakeChannel Via,
    LeadData Data,
    LeadStage Stage,
    string? AssignedTo,
    string? ClaimedBy,
    DateTimeOffset? ClaimedAt,
    string? RouteReason,
    PostedHandoff? Handoff,
    IReadOnlyList<ExportedEvent> Assignments,
    IReadOnlyList<ExportedEvent> Ratings,
    IReadOnlyList<ExportedEvent> Reasons,
    IReadOnlyList<ExportedEvent> Comments,
    IReadOnlyList<ExportedEvent> Outcomes);

/// <summary>Where the lead's handoff card was posted.</summary>
public sealed record PostedHandoff(string Platform, string Place, string MessageId, DateTimeOffset? PostedAt);

/// <summary>A line of a lead's history: who, when, what (a rating, a reason code, an outcome), and any text or amount.</summary>
public sealed record ExportedEvent(DateTimeOffset At, string? Person, string What, string? Text = null, decimal? Amount = null, DateTimeOffset? RetractedAt = null);

/// <summary>
/// A lead whose personal data was just erased: a posted card is edited to its redacted form, and what TeamBot posted in its
/// thread (<paramref name="ThreadPosts"/>: notes that may quote reasons and outcomes, reason prompts) is edited to say it was erased.
/// </summary>
public sealed record ErasedLead(long LeadId, string WorkspaceId, bool Posted, IReadOnlyList<Chat.MessageRef> ThreadPosts);

/// <summary>What <c>forget</c> did: leads erased, messages TeamBot posted about them (cards, thread notes) being edited, workspaces touched.</summary>
public sealed record ForgetResult(int Leads, int Posts, IReadOnlyList<string> Workspaces);

/// <summary>The personal data of leads, wherever the database holds it.</summary>
public interface IPersonalDataStore
{
    /// <summary>Leads (not yet erased) with this e-mail address in any case, in the workspace when given; oldest first.</summary>
    Task<IReadOnlyList<long>> FindByEmailAsync(string email, string? workspaceId, CancellationToken cancellationToken);

    /// <summary>Leads (not yet erased) received before <paramref name="cutoff"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<long>> FindReceivedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<LeadExport>> ExportAsync(IReadOnlyList<long> leadIds, CancellationToken cancellationToken);

    /// <summary>
    /// Erases the leads' personal data: identity and free-text fields of the leads, their comments, the notes of their reasons
    /// and outcomes, and their outbox entries (with any other entry whose text holds <paramref name="email"/>). What counts
    /// (source, campaign, segment, country, size, score, stage, ratings, amounts, times) stays, so reports keep their numbers.
    /// </summary>
    Task<IReadOnlyList<ErasedLead>> EraseAsync(IReadOnlyList<long> leadIds, string? email, DateTimeOffset at, CancellationToken cancellationToken);
}
