using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace TeamBot.Data;

/// <summary>TeamBot's database. The provider (SQLite or PostgreSQL) and its migrations are chosen by the host.</summary>
public sealed class TeamBotDbContext(DbContextOptions<TeamBotDbContext> options) : DbContext(options)
{
    internal DbSet<WorkspaceRow> Workspaces => Set<WorkspaceRow>();
    internal DbSet<PersonRow> People => Set<PersonRow>();
    internal DbSet<LeadRow> Leads => Set<LeadRow>();
    internal DbSet<AssignmentRow> Assignments => Set<AssignmentRow>();
    internal DbSet<PostedMessageRow> PostedMessages => Set<PostedMessageRow>();
    internal DbSet<RatingRow> Ratings => Set<RatingRow>();
    internal DbSet<ReasonRow> Reasons => Set<ReasonRow>();
    internal DbSet<CommentRow> Comments => Set<CommentRow>();
    internal DbSet<OutcomeRow> Outcomes => Set<OutcomeRow>();
    internal DbSet<ReasonOptionRow> ReasonOptions => Set<ReasonOptionRow>();
    internal DbSet<OutboxRow> Outbox => Set<OutboxRow>();
    internal DbSet<RoutingCursorRow> RoutingCursors => Set<RoutingCursorRow>();
    internal DbSet<InstallationRow> Installation => Set<InstallationRow>();
    internal DbSet<HolidayRow> Holidays => Set<HolidayRow>();
    internal DbSet<RoleMappingRow> RoleMappings => Set<RoleMappingRow>();
    internal DbSet<ChatAddressRow> ChatAddresses => Set<ChatAddressRow>();
    internal DbSet<StandupRow> Standups => Set<StandupRow>();
    internal DbSet<StandupRunRow> StandupRuns => Set<StandupRunRow>();
    internal DbSet<StandupAnswerRow> StandupAnswers => Set<StandupAnswerRow>();
    internal DbSet<DigestScheduleRow> DigestSchedules => Set<DigestScheduleRow>();
    internal DbSet<DigestRow> Digests => Set<DigestRow>();
    internal DbSet<RejectionAlertRow> RejectionAlerts => Set<RejectionAlertRow>();
    internal DbSet<GoalRow> Goals => Set<GoalRow>();
    internal DbSet<GoalUpdateRow> GoalUpdates => Set<GoalUpdateRow>();
    internal DbSet<ReportDayRow> ReportDays => Set<ReportDayRow>();
    internal DbSet<ReportDirtyDayRow> ReportDirtyDays => Set<ReportDirtyDayRow>();

    internal bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    internal bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (IsSqlite)
        {
            // SQLite has no time type: store UTC instants as Unix milliseconds so that they sort and compare in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
        }
        else
        {
            // PostgreSQL's timestamptz takes UTC only; instants computed in a workspace's zone carry its offset.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WorkspaceRow>(e =>
        {
            e.ToTable("workspaces");
            e.HasKey(w => w.Id);
            e.Property(w => w.Id).HasMaxLength(100);
        });

        modelBuilder.Entity<PersonRow>(e =>
        {
            e.ToTable("people");
            e.HasIndex(p => new { p.WorkspaceId, p.PlatformUserId }).IsUnique();
        });

        modelBuilder.Entity<LeadRow>(e =>
        {
            e.ToTable("leads");
            e.HasIndex(l => new { l.WorkspaceId, l.ExternalId }).IsUnique();
            // SQLite finds recent dedupe keys in memory (RecentLeadKeys): each new lead's hash went into this index at a random
            // place, so that inserting a group of leads wrote ten times the pages the leads themselves took.
            if (!IsSqlite) e.HasIndex(l => new { l.WorkspaceId, l.DedupeKey, l.ReceivedAt });
            e.HasIndex(l => new { l.WorkspaceId, l.ReceivedAt });
            // Only posted leads have a thread to be found by. Unfiltered, every new lead added an all-NULL key, and on SQLite
            // that one more page in each insert's statement journal took it past its 64 KiB in memory to a temporary file.
            e.HasIndex(l => new { l.HandoffPlatform, l.WorkspaceId, l.ThreadPlace }).HasFilter("thread_place IS NOT NULL");
            // Only leads whose SLA clock runs: the recovery sweep at start (and every few minutes) reads them all, and
            // without the filter SQLite scans every lead for the few that match.
            e.HasIndex(l => l.SlaDueAt).HasFilter("sla_due_at IS NOT NULL");
            // A rep's open leads, for round robin's cap: claimed ones, and assigned ones nobody claimed (stage 4 is Won). New
            // leads are in neither, so the webhook's inserts do not touch them.
            e.HasIndex(l => new { l.WorkspaceId, l.ClaimedById }).HasFilter("stage < 4 AND claimed_by_id IS NOT NULL").HasDatabaseName("ix_leads_open_claimed");
            e.HasIndex(l => new { l.WorkspaceId, l.AssigneeId }).HasFilter("stage < 4 AND claimed_by_id IS NULL AND assignee_id IS NOT NULL").HasDatabaseName("ix_leads_open_assigned");
            e.Property(l => l.Score).HasPrecision(9, 2);
        });

        modelBuilder.Entity<AssignmentRow>(e =>
        {
            e.ToTable("assignments");
            e.HasIndex(a => a.LeadId);
        });

        modelBuilder.Entity<PostedMessageRow>(e =>
        {
            e.ToTable("posted_messages");
            e.HasKey(p => new { p.Platform, p.WorkspaceId, p.PlaceId, p.MessageId });
            e.HasIndex(p => new { p.LeadId, p.Kind });
            e.HasIndex(p => new { p.WorkspaceId, p.Subject }).HasFilter("subject IS NOT NULL").HasDatabaseName("ix_posted_messages_subject");
            e.HasIndex(p => new { p.Platform, p.WorkspaceId, p.ThreadPlace }).HasFilter("thread_place IS NOT NULL").HasDatabaseName("ix_posted_messages_thread");
            e.Property(p => p.Subject).HasMaxLength(200);
        });

        modelBuilder.Entity<RatingRow>(e =>
        {
            e.ToTable("ratings");
            e.HasIndex(r => new { r.LeadId, r.PersonId });
        });

        modelBuilder.Entity<ReasonRow>(e =>
        {
            e.ToTable("reasons");
            e.HasIndex(r => r.LeadId);
        });

        modelBuilder.Entity<CommentRow>(e =>
        {
            e.ToTable("comments");
            e.HasIndex(c => c.LeadId);
        });

        modelBuilder.Entity<OutcomeRow>(e =>
        {
            e.ToTable("outcomes");
            e.HasIndex(o => o.LeadId);
            e.Property(o => o.Amount).HasPrecision(18, 2);
        });

        modelBuilder.Entity<ReasonOptionRow>(e =>
        {
            e.ToTable("reason_options");
            e.HasKey(r => new { r.WorkspaceId, r.Code });
        });

        modelBuilder.Entity<OutboxRow>(e =>
        {
            e.ToTable("outbox");
            // Only pending entries are indexed: the table keeps delivered ones for a while.
            e.HasIndex(o => new { o.DueAt, o.Id }).HasFilter("completed_at IS NULL AND failed_at IS NULL").HasDatabaseName("ix_outbox_pending");
            e.HasIndex(o => new { o.Kind, o.LeadId }).HasFilter("completed_at IS NULL AND failed_at IS NULL").HasDatabaseName("ix_outbox_pending_lead");
            e.HasIndex(o => o.LockedBy).HasFilter("locked_by IS NOT NULL").HasDatabaseName("ix_outbox_locked_by");
            e.HasIndex(o => new { o.LeadId, o.Id }).HasFilter("completed_at IS NULL AND failed_at IS NULL").HasDatabaseName("ix_outbox_pending_by_lead");
            e.HasIndex(o => new { o.Sequence, o.Id }).HasFilter("sequence IS NOT NULL AND completed_at IS NULL AND failed_at IS NULL").HasDatabaseName("ix_outbox_pending_by_sequence");
            e.Property(o => o.Sequence).HasMaxLength(200);
        });

        modelBuilder.Entity<InstallationRow>(e =>
        {
            e.ToTable("installation");
            e.Property(i => i.Id).ValueGeneratedNever();
        });

        modelBuilder.Entity<RoutingCursorRow>(e =>
        {
            e.ToTable("routing_cursors");
            e.HasKey(r => new { r.WorkspaceId, r.Rotation });
        });

        modelBuilder.Entity<HolidayRow>(e =>
        {
            e.ToTable("holidays");
            e.HasKey(h => new { h.WorkspaceId, h.Date });
            e.Property(h => h.Name).HasMaxLength(100);
        });

        modelBuilder.Entity<RoleMappingRow>(e =>
        {
            e.ToTable("role_mappings");
            e.HasKey(r => new { r.WorkspaceId, r.PlatformRoleId });
            e.Property(r => r.PlatformRoleId).HasMaxLength(100);
        });

        modelBuilder.Entity<ChatAddressRow>(e =>
        {
            e.ToTable("chat_addresses");
            e.HasKey(a => new { a.Platform, a.WorkspaceId, a.PlaceId });
            e.Property(a => a.Platform).HasMaxLength(40);
            e.Property(a => a.PlaceId).HasMaxLength(300);
            e.HasIndex(a => new { a.Platform, a.WorkspaceId, a.UpdatedAt });
        });

        modelBuilder.Entity<GoalRow>(e =>
        {
            e.ToTable("goals");
            e.HasIndex(g => new { g.WorkspaceId, g.ArchivedAt });
            e.Property(g => g.Name).HasMaxLength(100);
            e.Property(g => g.Metric).HasMaxLength(40);
            e.Property(g => g.OwnerIds).HasMaxLength(2000);
            e.Property(g => g.Target).HasPrecision(18, 4);
            e.Property(g => g.StartValue).HasPrecision(18, 4);
        });

        modelBuilder.Entity<GoalUpdateRow>(e =>
        {
            e.ToTable("goal_updates");
            e.HasIndex(u => new { u.GoalId, u.At });
            e.Property(u => u.Value).HasPrecision(18, 4);
            e.Property(u => u.Note).HasMaxLength(200);
        });

        modelBuilder.Entity<StandupRow>(e =>
        {
            e.ToTable("standups");
            // Names are unique among the workspace's stand-ups that are not deleted.
            e.HasIndex(s => new { s.WorkspaceId, s.NameKey }).IsUnique().HasFilter("deleted_at IS NULL").HasDatabaseName("ix_standups_name");
            e.Property(s => s.Name).HasMaxLength(60);
            e.Property(s => s.NameKey).HasMaxLength(60);
            e.Property(s => s.NextOccurrence).HasMaxLength(40);
        });

        modelBuilder.Entity<StandupRunRow>(e =>
        {
            e.ToTable("standup_runs");
            // One run per occurrence: a prompt timer that fires twice, or on two instances, posts once.
            e.HasIndex(r => new { r.StandupId, r.Occurrence }).IsUnique();
            e.HasIndex(r => new { r.WorkspaceId, r.PostedAt });
            e.HasIndex(r => r.State);
            e.Property(r => r.Occurrence).HasMaxLength(40);
        });

        modelBuilder.Entity<StandupAnswerRow>(e =>
        {
            e.ToTable("standup_answers");
            e.HasIndex(a => new { a.RunId, a.PersonId, a.MessageId }).IsUnique();
            e.HasIndex(a => new { a.WorkspaceId, a.PersonId, a.MessageId });
            e.Property(a => a.MessageId).HasMaxLength(200);
        });

        modelBuilder.Entity<DigestScheduleRow>(e =>
        {
            e.ToTable("digest_schedules");
            e.HasKey(d => d.WorkspaceId);
        });

        modelBuilder.Entity<DigestRow>(e =>
        {
            e.ToTable("digests");
            // One scheduled digest per workspace and week, however often its timer fires.
            e.HasIndex(d => new { d.WorkspaceId, d.WeekStart }).IsUnique();
        });

        modelBuilder.Entity<RejectionAlertRow>(e =>
        {
            e.ToTable("rejection_alerts");
            // One alert per source (or campaign) and week.
            e.HasIndex(a => new { a.WorkspaceId, a.Kind, a.Key, a.WeekStart }).IsUnique();
            e.Property(a => a.Kind).HasMaxLength(20);
            e.Property(a => a.Key).HasMaxLength(200);
        });

        modelBuilder.Entity<ReportDayRow>(e =>
        {
            e.ToTable("report_days");
            // A report reads one grouping's whole days over a range, and a few hours of the days at its edges.
            e.HasKey(r => new { r.WorkspaceId, r.Grouping, r.Part, r.Day });
        });

        modelBuilder.Entity<ReportDirtyDayRow>(e =>
        {
            e.ToTable("report_dirty_days");
            e.HasKey(r => new { r.WorkspaceId, r.Day });
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties()) property.SetColumnName(SnakeCase(property.Name));
        }
    }

    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v);

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(),
        v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}

/// <summary>Keeps one compiled model per provider, since the SQLite model stores times differently.</summary>
internal sealed class ProviderModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) => (context.GetType(), context.Database.ProviderName, designTime);
}
