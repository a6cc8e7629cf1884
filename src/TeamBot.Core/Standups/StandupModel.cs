namespace TeamBot.Core.Standups;

/// <summary>Where answers go: replies in a thread under the prompt, or direct messages to TeamBot.</summary>
public enum AnswerMode
{
    Thread = 0,
    Dm = 1,
}

/// <summary>
/// A scheduled stand-up. <see cref="NextOccurrence"/> is the local date and time of the next prompt (its key) and
/// <see cref="NextAt"/> the instant it happens; both are null while paused.
/// </summary>
public sealed record Standup(
    long Id,
    string WorkspaceId,
    string Name,
    string Channel,
    IReadOnlyList<string> Participants,
    StandupSchedule Schedule,
    string TimeZoneId,
    IReadOnlyList<string> Questions,
    TimeSpan Window,
    AnswerMode Mode,
    TimeSpan? RemindBefore,
    bool TagPublicly,
    bool Paused,
    string? NextOccurrence,
    DateTimeOffset? NextAt,
    long CreatedBy,
    DateTimeOffset CreatedAt)
{
    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>The index of the blockers question (answers to it are called out in the summary), or -1.</summary>
    public int BlockersQuestion => Questions.ToList().FindLastIndex(q => q.Contains("blocker", StringComparison.OrdinalIgnoreCase));
}

public enum RunState
{
    /// <summary>Prompt posted, answers being collected.</summary>
    Open = 0,

    /// <summary>The window closed and the summary was posted.</summary>
    Closed = 1,

    /// <summary>Not a working day of the workspace (work week or holiday): nothing was posted.</summary>
    SkippedDayOff = 2,

    /// <summary>TeamBot was not running at prompt time and the grace period had passed: nothing was posted; the next summary says so.</summary>
    Missed = 3,
}

/// <summary>Someone who was not asked, and why ("away until 2026-12-02", "not a work day").</summary>
public sealed record ExcludedPerson(long PersonId, string Why);

/// <summary>
/// One occurrence of a stand-up. <see cref="Occurrence"/> (the local date and time, or <c>manual:…</c> for
/// <c>/standup run</c>) is unique per stand-up, so that a prompt fires at most once.
/// </summary>
public sealed record StandupRun(
    long Id,
    long StandupId,
    string WorkspaceId,
    string Occurrence,
    RunState State,
    DateTimeOffset ScheduledAt,
    DateTimeOffset? PostedAt,
    DateTimeOffset? ClosesAt,
    DateTimeOffset? RemindAt,
    bool Reminded,
    AnswerMode Mode,
    IReadOnlyList<long> Asked,
    IReadOnlyList<ExcludedPerson> Excluded,
    string? Summary = null,
    bool MissReported = false)
{
    public string Subject => SubjectFor(Id);

    public static string SubjectFor(long runId) => "standup-run:" + runId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParseSubject(string? subject, out long runId)
    {
        runId = 0;
        return subject is not null && subject.StartsWith("standup-run:", StringComparison.Ordinal)
               && long.TryParse(subject.AsSpan("standup-run:".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out runId);
    }
}

/// <summary>One message a person sent as their answer. Several messages of one person make up their answer.</summary>
public sealed record StandupAnswer(long RunId, long PersonId, string MessageId, string Text, DateTimeOffset At, DateTimeOffset? EditedAt, bool Late);

/// <summary>A run with its stand-up's name and its answers, for summaries and the digest.</summary>
public sealed record RunWithAnswers(Standup Standup, StandupRun Run, IReadOnlyList<StandupAnswer> Answers);

public interface IStandupStore
{
    /// <summary>Adds a stand-up; null when the workspace already has one with that name.</summary>
    Task<long?> AddAsync(Standup standup, CancellationToken cancellationToken);

    Task UpdateAsync(Standup standup, CancellationToken cancellationToken);

    Task<Standup?> GetAsync(long id, CancellationToken cancellationToken);

    Task<Standup?> FindByNameAsync(string workspaceId, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Standup>> ListAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>Every stand-up that is not paused, in every workspace (the recovery sweep).</summary>
    Task<IReadOnlyList<Standup>> ListActiveAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the stand-up; its past runs stay for the digest.</summary>
    Task<bool> DeleteAsync(long id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Moves the next occurrence on, only if it still is <paramref name="expected"/>: whoever moves it owns the occurrence.</summary>
    Task<bool> TryAdvanceAsync(long standupId, string? expected, string? nextOccurrence, DateTimeOffset? nextAt, CancellationToken cancellationToken);

    /// <summary>Records a run; null when this occurrence of the stand-up already has one.</summary>
    Task<long?> AddRunAsync(StandupRun run, CancellationToken cancellationToken);

    Task<StandupRun?> GetRunAsync(long runId, CancellationToken cancellationToken);

    /// <summary>Open runs of every workspace (the recovery sweep).</summary>
    Task<IReadOnlyList<StandupRun>> ListOpenRunsAsync(CancellationToken cancellationToken);

    /// <summary>Missed runs of a stand-up not yet told about in a summary.</summary>
    Task<IReadOnlyList<StandupRun>> ListUnreportedMissesAsync(long standupId, CancellationToken cancellationToken);

    Task MarkMissesReportedAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken);

    Task<bool> TryMarkRemindedAsync(long runId, CancellationToken cancellationToken);

    /// <summary>Closes an open run with its summary; false when it was closed already.</summary>
    Task<bool> TryCloseAsync(long runId, string summary, CancellationToken cancellationToken);

    Task SetSummaryAsync(long runId, string summary, CancellationToken cancellationToken);

    /// <summary>The most recent direct-message run that asked this person and was posted after <paramref name="since"/>; open runs first.</summary>
    Task<StandupRun?> FindDirectRunAsync(string workspaceId, long personId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Adds an answer message, or changes its text when the message is already recorded.</summary>
    Task SaveAnswerAsync(StandupAnswer answer, CancellationToken cancellationToken);

    /// <summary>The answer a message was recorded as (for edits), or null.</summary>
    Task<StandupAnswer?> FindAnswerAsync(string workspaceId, long personId, string messageId, CancellationToken cancellationToken);

    Task<IReadOnlyList<StandupAnswer>> ListAnswersAsync(long runId, CancellationToken cancellationToken);

    /// <summary>Runs of the workspace posted in [from, to), with their answers.</summary>
    Task<IReadOnlyList<RunWithAnswers>> ListRunsPostedAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>Fires stand-up prompts and run steps at their time; implementations must survive restarts.</summary>
public interface IStandupScheduler
{
    /// <summary>Sets the stand-up's prompt timer, replacing any earlier one. Failures are logged; the sweep repairs them.</summary>
    Task SchedulePromptAsync(long standupId, DateTimeOffset at, CancellationToken cancellationToken);

    Task CancelPromptAsync(long standupId, CancellationToken cancellationToken);

    /// <summary>Sets a run's timer (its reminder, then its close), replacing any earlier one.</summary>
    Task ScheduleRunAsync(long runId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Sets the prompt timer only if the stand-up has none (the sweep after a restart).</summary>
    Task EnsurePromptAsync(long standupId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Sets a run's timer only if it has none.</summary>
    Task EnsureRunAsync(long runId, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>Bound from <c>Standups</c>.</summary>
public sealed class StandupSettings
{
    /// <summary>A prompt TeamBot could not post at its time (it was down) is posted late within this; later, it is skipped and the next summary says so.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The answer window when a stand-up does not set one.</summary>
    public TimeSpan DefaultWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How long after a direct-message prompt a DM still counts as a (late) answer to it.</summary>
    public TimeSpan LateAnswersFor { get; set; } = TimeSpan.FromHours(24);
}
