using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TeamBot.Chat.Local;
using TeamBot.Core;
using TeamBot.Core.Feedback;
using TeamBot.Core.Goals;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Privacy;
using TeamBot.Core.Standups;
using TeamBot.Core.Workspaces;

namespace TeamBot.Host.Composition;

/// <summary>Start-up checks of every option, with messages that name the configuration key and say what is wrong.</summary>
internal static partial class OptionsValidation
{
    public static IEnumerable<string> Storage(StorageOptions o)
    {
        if (o.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            yield return "Storage:ConnectionString is required when Storage:Provider is Postgres, e.g. Host=127.0.0.1;Database=teambot;Username=teambot;Password=… (environment variable Storage__ConnectionString).";
        }
        if (string.IsNullOrWhiteSpace(o.DataDirectory)) yield return "Storage:DataDirectory must name a folder.";
    }

    public static IEnumerable<string> Intake(IntakeSettings o)
    {
        if (o.MaxLeadsPerRequest is < 1 or > 10_000) yield return $"Intake:MaxLeadsPerRequest must be between 1 and 10000 (got {o.MaxLeadsPerRequest}).";
        if (o.MaxBodyBytes is < 1024 or > 100 * 1024 * 1024) yield return $"Intake:MaxBodyBytes must be between 1024 and 104857600 (got {o.MaxBodyBytes}).";
        if (o.DedupeWindowDays is < 0 or > 3650) yield return $"Intake:DedupeWindowDays must be between 0 and 3650 (got {o.DedupeWindowDays}).";
        if (o.SignatureToleranceSeconds is < 30 or > 3600) yield return $"Intake:SignatureToleranceSeconds must be between 30 and 3600 (got {o.SignatureToleranceSeconds}).";
        if (o.MaxQueuedLeads < o.MaxLeadsPerRequest || o.MaxQueuedLeads > 1_000_000)
        {
            yield return $"Intake:MaxQueuedLeads must be between Intake:MaxLeadsPerRequest ({o.MaxLeadsPerRequest}) and 1000000 (got {o.MaxQueuedLeads}): a request of the largest size must fit.";
        }
        var busy = (int)Data.Sqlite.SqliteStorage.BusyTimeout.TotalSeconds;
        if (o.WriteTimeoutSeconds < 1 || o.WriteTimeoutSeconds >= busy)
        {
            yield return $"Intake:WriteTimeoutSeconds must be at least 1 and less than the database's busy timeout of {busy} seconds (got {o.WriteTimeoutSeconds}).";
        }
        if (o.RetryAfterSeconds is < 1 or > 3600) yield return $"Intake:RetryAfterSeconds must be between 1 and 3600 (got {o.RetryAfterSeconds}).";
    }

    public static IEnumerable<string> Routing(string prefix, RoutingSettings o, LocalChatOptions? local)
    {
        if (o.SlaMinutes is < 0 or > 10_080) yield return $"{prefix}:SlaMinutes must be between 0 (off) and 10080 (a week); got {o.SlaMinutes}.";
        if (o.MaxOpenLeadsPerRep < 1) yield return $"{prefix}:MaxOpenLeadsPerRep must be at least 1 (got {o.MaxOpenLeadsPerRep}).";
        if (o.RulesFallback == RoutingMode.Rules) yield return $"{prefix}:RulesFallback must be OpenClaim or RoundRobin.";
        if (o.Mode == RoutingMode.Rules && o.Rules.Count == 0) yield return $"{prefix}:Mode is Rules, but {prefix}:Rules is empty.";
        var people = local?.People.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < o.Rules.Count; i++)
        {
            var rule = o.Rules[i];
            var key = $"{prefix}:Rules:{i}";
            if (string.IsNullOrWhiteSpace(rule.Name)) yield return $"{key}:Name is required, so that \"/leads why\" can name the rule.";
            var targets = (rule.Rep is { Length: > 0 } ? 1 : 0) + (rule.Pool.Count > 0 ? 1 : 0) + (rule.Channel is { Length: > 0 } ? 1 : 0);
            if (targets != 1) yield return $"{key} must send the lead to exactly one of Rep, Pool or Channel.";
            if (people is not null)
            {
                foreach (var id in new[] { rule.Rep }.Concat(rule.Pool).OfType<string>().Where(id => id.Length > 0 && !people.Contains(id)))
                {
                    yield return $"{key} names '{id}', who is not in Local:People.";
                }
                if (rule.Channel is { Length: > 0 } channel && !local!.EffectiveChannels.Contains(channel))
                {
                    yield return $"{key}:Channel '{channel}' is not one of the local channels ({string.Join(", ", local.EffectiveChannels)}).";
                }
            }
        }
    }

    public static IEnumerable<string> Calendar(string prefix, CalendarSettings o)
    {
        if (!AvailabilityText.TryParseDays(o.WorkWeek, out _)) yield return $"{prefix}:WorkWeek '{o.WorkWeek}' must look like Mon-Fri, Sun-Thu or Mon,Wed,Fri.";
        if (!AvailabilityText.TryParseHours(o.WorkHours, out var start, out var end) || end <= start)
        {
            yield return $"{prefix}:WorkHours '{o.WorkHours}' must look like 09:00-18:00 and end after it starts.";
        }
        for (var i = 0; i < o.Holidays.Count; i++)
        {
            if (!Holiday.TryParse(o.Holidays[i], out var holiday)) yield return $"{prefix}:Holidays:{i} '{o.Holidays[i]}' must be a date YYYY-MM-DD, optionally followed by a name (2026-12-25 Christmas).";
            else if (holiday.Name is { Length: > 100 }) yield return $"{prefix}:Holidays:{i}: the name may be at most 100 characters.";
        }
    }

    public static IEnumerable<string> Feedback(FeedbackSettings o)
    {
        string? problem = null;
        try
        {
            _ = new ReactionMap(o.Reactions);
        }
        catch (ArgumentException ex)
        {
            problem = "Feedback:Reactions: " + ex.Message.Split(" (Parameter", 2)[0];
        }
        if (problem is not null) yield return problem;
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < o.Reasons.Count; i++)
        {
            var reason = o.Reasons[i];
            if (!ReasonCode().IsMatch(reason.Code)) yield return $"Feedback:Reasons:{i}:Code '{reason.Code}' must be 1 to 40 lowercase letters, digits and dashes.";
            else if (!codes.Add(reason.Code)) yield return $"Feedback:Reasons:{i}:Code '{reason.Code}' appears twice.";
            if (string.IsNullOrWhiteSpace(reason.Label)) yield return $"Feedback:Reasons:{i}:Label is required.";
        }
    }

    public static IEnumerable<string> Dispatch(DispatchSettings o)
    {
        if (o.QueueNoticeThreshold < 1) yield return "Dispatch:QueueNoticeThreshold must be at least 1.";
        if (o.BatchSize is < 1 or > 1000) yield return "Dispatch:BatchSize must be between 1 and 1000.";
        if (o.MaxRetryDelay < TimeSpan.FromSeconds(1)) yield return "Dispatch:MaxRetryDelay must be at least 00:00:01.";
        if (o.Lease < TimeSpan.FromSeconds(5)) yield return "Dispatch:Lease must be at least 00:00:05, longer than one dispatch pass.";
    }

    public static IEnumerable<string> Goals(GoalSettings o)
    {
        if (!Ratings.TryParse(o.SqlRating ?? "", out _))
        {
            yield return $"Goals:SqlRating '{o.SqlRating}' must be a rating: great, good, meh, poor or reject (a lead counts as an SQL at this rating or better).";
        }
    }

    public static IEnumerable<string> Privacy(PrivacySettings o)
    {
        if (o.RetentionDays is < 0 or > 36_500) yield return "Privacy:RetentionDays must be between 0 (keep leads forever) and 36500.";
        if (o.PurgeEvery < TimeSpan.FromMinutes(1)) yield return "Privacy:PurgeEvery must be at least 00:01:00.";
        if (o.PurgeBatchSize is < 1 or > 1000) yield return "Privacy:PurgeBatchSize must be between 1 and 1000.";
    }

    public static IEnumerable<string> Scheduler(SchedulerOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Name) || o.Name.Length > 100) yield return "Scheduler:Name must be 1 to 100 characters.";
    }

    public static IEnumerable<string> RateLimits(RateLimitOptions o)
    {
        if (o.PerKeyPerSecond is < 0 or > 1_000_000) yield return $"RateLimits:PerKeyPerSecond must be between 0 (off) and 1000000 (got {o.PerKeyPerSecond}).";
        if (o.PerKeyPerSecond > 0 && (o.Burst < 1 || o.Burst > 1_000_000)) yield return $"RateLimits:Burst must be between 1 and 1000000 (got {o.Burst}).";
    }

    public static IEnumerable<string> Reports(ReportOptions o)
    {
        if (o.TotalsRefreshEvery < TimeSpan.FromSeconds(1) || o.TotalsRefreshEvery > TimeSpan.FromHours(1))
        {
            yield return $"Reports:TotalsRefreshEvery must be between 00:00:01 and 01:00:00 (got {o.TotalsRefreshEvery}).";
        }
    }

    public static IEnumerable<string> Standups(StandupSettings o)
    {
        if (o.GracePeriod < TimeSpan.Zero || o.GracePeriod > TimeSpan.FromHours(24)) yield return $"Standups:GracePeriod must be between 00:00:00 and 1.00:00:00 (got {o.GracePeriod}).";
        if (o.DefaultWindow < TimeSpan.FromMinutes(5) || o.DefaultWindow > TimeSpan.FromHours(24)) yield return $"Standups:DefaultWindow must be between 00:05:00 and 1.00:00:00 (got {o.DefaultWindow}).";
        if (o.LateAnswersFor < TimeSpan.Zero || o.LateAnswersFor > TimeSpan.FromDays(7)) yield return $"Standups:LateAnswersFor must be between 00:00:00 and 7.00:00:00 (got {o.LateAnswersFor}).";
    }

    public static IEnumerable<string> Local(LocalChatOptions o)
    {
        if (!o.Enabled) yield break;
        if (!AvailabilityText.IsTimeZone(o.TimeZone)) yield return $"Local:TimeZone '{o.TimeZone}' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).";
        if (o.PostsPerSecond is < 0.1 or > 1000) yield return $"Local:PostsPerSecond must be between 0.1 and 1000 (got {o.PostsPerSecond}).";
        var channels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var channel in o.EffectiveChannels)
        {
            if (!Slug().IsMatch(channel)) yield return $"Local:Channels: '{channel}' must be lowercase letters, digits, dashes or underscores.";
            else if (!channels.Add(channel)) yield return $"Local:Channels: '{channel}' appears twice.";
        }
        if (o.AccessToken is { Length: > 0 and < 16 }) yield return "Local:AccessToken must be at least 16 characters: it is the local chat's only login.";
        if (o.People.Count == 0) yield return "Local:People is empty: add at least one person (config/teambot.json has an example).";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < o.People.Count; i++)
        {
            var p = o.People[i];
            var key = $"Local:People:{i}";
            if (!Slug().IsMatch(p.Id) || p.Id == LocalChatOptions.BotId) yield return $"{key}:Id '{p.Id}' must be a short lowercase id such as 'sam' (and not '{LocalChatOptions.BotId}').";
            else if (!ids.Add(p.Id)) yield return $"{key}:Id '{p.Id}' appears twice.";
            if (string.IsNullOrWhiteSpace(p.Name)) yield return $"{key}:Name is required.";
            foreach (var role in p.Roles.Where(r => !TeamRolesText.TryParse(r, out _))) yield return $"{key}:Roles: '{role}' is not a role; use sales, marketing or admin.";
            if (p.TimeZone is { } zone && !AvailabilityText.IsTimeZone(zone)) yield return $"{key}:TimeZone '{zone}' is not a known IANA time zone.";
            if (p.WorkHours is { } hours && !AvailabilityText.TryParseHours(hours, out _, out _)) yield return $"{key}:WorkHours '{hours}' must look like 09:00-18:00.";
            if (p.WorkDays is { } days && !AvailabilityText.TryParseDays(days, out _)) yield return $"{key}:WorkDays '{days}' must look like Mon-Fri, Sun-Thu or Mon,Wed,Fri.";
        }
    }

    public static IEnumerable<string> Workspaces(
        IReadOnlyDictionary<string, WorkspaceOptions> workspaces, LocalChatOptions? local, Func<string, RoutingSettings> mergedRouting)
    {
        foreach (var (id, o) in workspaces)
        {
            if (o.ApiKey is { } key && key.Length < 16) yield return $"Workspaces:{id}:ApiKey must be at least 16 characters.";
            if (o.SigningSecret is { } secret && secret.Length < 16) yield return $"Workspaces:{id}:SigningSecret must be at least 16 characters.";
            if (o.Routing is not null)
            {
                // What counts is the workspace's routing as it will run: the defaults with its own settings laid over them.
                foreach (var error in Routing($"Workspaces:{id}:Routing", mergedRouting(id), id == LocalChatOptions.WorkspaceId ? local : null)) yield return error;
            }
            if (o.Calendar is not null)
            {
                // A workspace's calendar keys are checked as it sets them; the defaults are checked under Calendar.
                foreach (var error in Calendar($"Workspaces:{id}:Calendar", o.Calendar)) yield return error;
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,39}$")]
    private static partial Regex Slug();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex ReasonCode();
}

/// <summary>Runs one of the checks above for the options pattern, so that <c>ValidateOnStart</c> reports it.</summary>
internal sealed class DelegateValidator<T>(Func<T, IEnumerable<string>> check) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var errors = check(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
