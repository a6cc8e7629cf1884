using TeamBot.Core.Chat;

namespace TeamBot.Core.Leads;

/// <summary>A lead and where it stands in the handoff.</summary>
public sealed record Lead
{
    public required long Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required LeadData Data { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public IntakeChannel Via { get; init; }
    public long? SubmittedById { get; init; }

    /// <summary>Where routing sent it; null until the handoff is routed.</summary>
    public LeadRoute? Route { get; init; }

    public long? ClaimedById { get; init; }
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>The handoff message, once posted.</summary>
    public MessageRef? Handoff { get; init; }
    public string? ThreadPlaceId { get; init; }
    public DateTimeOffset? PostedAt { get; init; }

    public DateTimeOffset? SlaDueAt { get; init; }
    public int SlaStage { get; init; }
    public int Reroutes { get; init; }

    /// <summary>The latest outcome recorded; a later outcome corrects an earlier one (won, then lost).</summary>
    public LeadStage Stage { get; init; }

    /// <summary>When the lead's personal data was erased; it then counts in reports but says nothing about the person.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    public bool IsErased => ErasedAt is not null;

    public bool IsClaimed => ClaimedById is not null;

    public PlaceRef? Thread => Handoff is null || ThreadPlaceId is null
        ? null
        : new PlaceRef(Handoff.Platform, Handoff.Workspace, ThreadPlaceId);
}

/// <summary>Where a lead was routed and why. <see cref="AssigneeId"/> is null for an open claim; a pool lists who may claim.</summary>
public sealed record LeadRoute(long? AssigneeId, IReadOnlyList<long> Pool, string PlaceId, string Reason, DateTimeOffset At);

/// <summary>Outcomes a rep records, in funnel order. Lost ends the funnel.</summary>
public enum LeadStage
{
    New = 0,
    Contacted = 1,
    Meeting = 2,
    Opportunity = 3,
    Won = 4,
    Lost = 5,
}

public sealed record NewLead(LeadData Data, IntakeChannel Via, long? SubmittedById);

/// <summary>What became of one submitted lead.</summary>
public sealed record IntakeOutcome(long LeadId, bool Duplicate, string? ExternalId);

/// <summary>What counts as "the same lead": the same external id ever, or the same email and company within the window.</summary>
public sealed record DedupePolicy(TimeSpan Window);

/// <summary>A line in a lead's routing history, which "/leads why" tells.</summary>
public sealed record AssignmentRecord(long LeadId, AssignmentKind Kind, long? PersonId, string Reason, DateTimeOffset At);

public enum AssignmentKind
{
    Routed = 0,
    Claimed = 1,
    Released = 2,
    Rerouted = 3,
    Escalated = 4,
    Reminded = 5,

    /// <summary>
    /// Claimed with the claim reaction (rather than a button or a command): removing that reaction releases the lead,
    /// including a removal TeamBot only learns of later, when it reconciles reactions.
    /// </summary>
    ClaimedByReaction = 6,
}

public interface ILeadStore
{
    /// <summary>Stores the leads that are not duplicates, in order; a lead repeated inside the batch is a duplicate of the first.</summary>
    Task<IReadOnlyList<IntakeOutcome>> AddAsync(string workspaceId, IReadOnlyList<NewLead> leads, DedupePolicy dedupe, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Lead?> GetAsync(long leadId, CancellationToken cancellationToken);

    Task<Lead?> FindByThreadAsync(PlaceRef thread, CancellationToken cancellationToken);

    /// <summary>
    /// The workspace's newest leads whose number starts with <paramref name="text"/> or whose name, company or email
    /// contains it (any case); all the newest when it is empty. For autocompletion: at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<Lead>> SearchAsync(string workspaceId, string text, int limit, CancellationToken cancellationToken);

    Task SetRouteAsync(long leadId, LeadRoute route, bool reroute, CancellationToken cancellationToken);

    /// <summary>Claims the lead for <paramref name="personId"/> if nobody holds it. Exactly one concurrent caller wins.</summary>
    Task<bool> TryClaimAsync(long leadId, long personId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Releases the lead if <paramref name="personId"/> holds it.</summary>
    Task<bool> TryReleaseAsync(long leadId, long personId, CancellationToken cancellationToken);

    /// <summary>Records the posted handoff and starts the SLA clock when <paramref name="slaDueAt"/> is given.</summary>
    Task RecordHandoffAsync(long leadId, MessageRef message, string threadPlaceId, DateTimeOffset postedAt, DateTimeOffset? slaDueAt, CancellationToken cancellationToken);

    /// <summary>Moves the SLA clock from <paramref name="fromStage"/> to <paramref name="toStage"/> if nobody else did; false when it already moved.</summary>
    Task<bool> TryAdvanceSlaAsync(long leadId, int fromStage, int toStage, DateTimeOffset? newDueAt, CancellationToken cancellationToken);

    /// <summary>Starts the SLA clock again at stage 0 (after a release), or stops it with null.</summary>
    Task RestartSlaAsync(long leadId, DateTimeOffset? dueAt, CancellationToken cancellationToken);

    Task SetStageAsync(long leadId, LeadStage stage, CancellationToken cancellationToken);

    Task AddAssignmentRecordAsync(AssignmentRecord record, CancellationToken cancellationToken);

    Task<IReadOnlyList<AssignmentRecord>> GetAssignmentRecordsAsync(long leadId, CancellationToken cancellationToken);

    /// <summary>Posted, unclaimed leads whose SLA clock is running, read as they are consumed.</summary>
    IAsyncEnumerable<(long LeadId, DateTimeOffset DueAt)> ReadRunningSlaAsync(CancellationToken cancellationToken);
}
