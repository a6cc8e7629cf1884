namespace TeamBot.Data;

// Database rows. Stores map them to Core's records; nothing outside TeamBot.Data sees them.

internal sealed class WorkspaceRow
{
    public string Id { get; set; } = "";
    public string Platform { get; set; } = "";
    public string Name { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string HandoffsPlace { get; set; } = "";
    public string MarketingPlace { get; set; } = "";
    public string GeneralPlace { get; set; } = "";
    public byte[]? ApiKeyHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LeftAt { get; set; }
}

internal sealed class PersonRow
{
    public long Id { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string PlatformUserId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? Email { get; set; }
    public int Roles { get; set; }
    public string TimeZone { get; set; } = "UTC";
    public int WorkStartMinutes { get; set; }
    public int WorkEndMinutes { get; set; }
    public int WorkDays { get; set; }
    public DateOnly? AwayUntil { get; set; }
}

internal sealed class LeadRow
{
    public long Id { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string? ExternalId { get; set; }
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Company { get; set; }
    public string? Title { get; set; }
    public string? Phone { get; set; }
    public string? Source { get; set; }
    public string? Campaign { get; set; }
    public string? Segment { get; set; }
    public string? Country { get; set; }
    public string? CompanySize { get; set; }
    public int? CompanySizeMin { get; set; }
    public decimal? Score { get; set; }
    public string? Reason { get; set; }
    public string? Url { get; set; }
    public string? FieldsJson { get; set; }
    public string? DedupeKey { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public int Via { get; set; }
    public long? SubmittedById { get; set; }

    public long? AssigneeId { get; set; }
    public string? PoolIds { get; set; }
    public string? RoutePlace { get; set; }
    public string? RouteReason { get; set; }
    public DateTimeOffset? RoutedAt { get; set; }
    public int Reroutes { get; set; }

    public long? ClaimedById { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }

    public string? HandoffPlatform { get; set; }
    public string? HandoffPlace { get; set; }
    public string? HandoffMessageId { get; set; }
    public string? ThreadPlace { get; set; }
    public DateTimeOffset? PostedAt { get; set; }

    public DateTimeOffset? SlaDueAt { get; set; }
    public int SlaStage { get; set; }
    public int Stage { get; set; }

    /// <summary>When the lead's personal data was erased (on request or by retention); the row stays for the counts.</summary>
    public DateTimeOffset? ErasedAt { get; set; }
}

internal sealed class AssignmentRow
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public int Kind { get; set; }
    public long? PersonId { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

internal sealed class PostedMessageRow
{
    public string Platform { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string PlaceId { get; set; } = "";
    public string MessageId { get; set; } = "";
    public int Kind { get; set; }
    public long? LeadId { get; set; }
    public long? PersonId { get; set; }
    public string? Subject { get; set; }
    public string? ThreadPlace { get; set; }
}

internal sealed class RatingRow
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public long PersonId { get; set; }
    public int Rating { get; set; }
    public int Source { get; set; }
    public string? Emoji { get; set; }
    public DateTimeOffset At { get; set; }
    public DateTimeOffset? RetractedAt { get; set; }
}

internal sealed class ReasonRow
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public long PersonId { get; set; }
    public string Code { get; set; } = "";
    public string? Note { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class CommentRow
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public long PersonId { get; set; }
    public string Text { get; set; } = "";
    public string? MessageId { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class OutcomeRow
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public long PersonId { get; set; }
    public int Stage { get; set; }
    public decimal? Amount { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class ReasonOptionRow
{
    public string WorkspaceId { get; set; } = "";
    public string Code { get; set; } = "";
    public string Label { get; set; } = "";
    public int Position { get; set; }
    public bool Removed { get; set; }
}

internal sealed class OutboxRow
{
    public long Id { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string Kind { get; set; } = "";
    public long? LeadId { get; set; }
    public string? Sequence { get; set; }
    public string Payload { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>Who is delivering the entry right now, and until when; nobody else takes it meanwhile.</summary>
    public string? LockedBy { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
}

internal sealed class InstallationRow
{
    public int Id { get; set; }
    public string Key { get; set; } = "";
}

internal sealed class RoutingCursorRow
{
    public string WorkspaceId { get; set; } = "";
    public string Rotation { get; set; } = "";
    public long PersonId { get; set; }
}

internal sealed class HolidayRow
{
    public string WorkspaceId { get; set; } = "";
    public DateOnly Date { get; set; }
    public string? Name { get; set; }
}

/// <summary>How a platform reaches a place on its own initiative (see <c>IChatAddressStore</c>).</summary>
internal sealed class ChatAddressRow
{
    public string Platform { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string PlaceId { get; set; } = "";
    public string Address { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A platform role id and the TeamBot roles (flags) it gives in a workspace.</summary>
internal sealed class RoleMappingRow
{
    public string WorkspaceId { get; set; } = "";
    public string PlatformRoleId { get; set; } = "";
    public int Roles { get; set; }
}

internal sealed class GoalRow
{
    public long Id { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Metric { get; set; } = "";
    public decimal Target { get; set; }
    public decimal? StartValue { get; set; }
    public DateOnly FirstDay { get; set; }
    public DateOnly LastDay { get; set; }

    /// <summary>The owners' person ids, comma-separated.</summary>
    public string OwnerIds { get; set; } = "";
    public long CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long? ArchivedById { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
}

internal sealed class GoalUpdateRow
{
    public long Id { get; set; }
    public long GoalId { get; set; }
    public decimal Value { get; set; }
    public long PersonId { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class StandupRow
{
    public long Id { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>The name in lower case: names are unique without regard to case.</summary>
    public string NameKey { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Participants { get; set; } = "";
    public string Schedule { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string Questions { get; set; } = "";
    public long WindowSeconds { get; set; }
    public int Mode { get; set; }
    public long? RemindBeforeSeconds { get; set; }
    public bool TagPublicly { get; set; }
    public bool Paused { get; set; }
    public string? NextOccurrence { get; set; }
    public DateTimeOffset? NextAt { get; set; }
    public long CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

internal sealed class StandupRunRow
{
    public long Id { get; set; }
    public long StandupId { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string Occurrence { get; set; } = "";
    public int State { get; set; }
    public DateTimeOffset ScheduledAt { get; set; }
    public DateTimeOffset? PostedAt { get; set; }
    public DateTimeOffset? ClosesAt { get; set; }
    public DateTimeOffset? RemindAt { get; set; }
    public bool Reminded { get; set; }
    public int Mode { get; set; }

    /// <summary>Person ids as ",12,15," so that "was this person asked?" is a LIKE in SQL.</summary>
    public string Asked { get; set; } = ",";
    public string? ExcludedJson { get; set; }
    public string? Summary { get; set; }
    public bool MissReported { get; set; }
}

internal sealed class StandupAnswerRow
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public string WorkspaceId { get; set; } = "";
    public long PersonId { get; set; }
    public string MessageId { get; set; } = "";
    public string Text { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public bool Late { get; set; }
}

internal sealed class DigestScheduleRow
{
    public string WorkspaceId { get; set; } = "";
    public DateTimeOffset? DueAt { get; set; }
}

internal sealed class DigestRow
{
    public long Id { get; set; }
    public string WorkspaceId { get; set; } = "";
    public DateOnly WeekStart { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset PostedAt { get; set; }
}

internal sealed class RejectionAlertRow
{
    public long Id { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Key { get; set; } = "";
    public DateOnly WeekStart { get; set; }
    public int Leads { get; set; }
    public int Rejected { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

/// <summary>
/// The report totals of one UTC day, or of one hour of it, for one grouping: every group's sums of
/// <see cref="Core.Reports.QualityTally"/>, in one blob (see <see cref="Stores.ReportTotalsBlob"/>). A day's rows
/// are rebuilt together from its leads (see <see cref="Stores.EfReportTotals"/>).
/// </summary>
internal sealed class ReportDayRow
{
    public string WorkspaceId { get; set; } = "";
    /// <summary>A <see cref="Core.Reports.ReportGrouping"/>.</summary>
    public int Grouping { get; set; }
    /// <summary>0 for the whole day; 1 to 24 for the hour that starts at <c>Part - 1</c> o'clock UTC.</summary>
    public int Part { get; set; }
    /// <summary>Days since 1970-01-01 UTC.</summary>
    public int Day { get; set; }
    public byte[] Totals { get; set; } = [];
}

/// <summary>A UTC day whose report totals are out of date: written to by database triggers on every change to its leads.</summary>
internal sealed class ReportDirtyDayRow
{
    public string WorkspaceId { get; set; } = "";
    public int Day { get; set; }
    /// <summary>Counts the changes, so a rebuild that raced a change can tell (it clears the day only if none came since).</summary>
    public long Changes { get; set; }
}
