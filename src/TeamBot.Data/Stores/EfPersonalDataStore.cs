using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Privacy;

namespace TeamBot.Data.Stores;

/// <summary>Finds, exports and erases leads' personal data in every table that holds it.</summary>
internal sealed class EfPersonalDataStore(TeamBotDbContext db) : IPersonalDataStore
{
    // lower() runs in SQL on both providers; addresses are stored as given, so the match ignores case there.
#pragma warning disable CA1304, CA1311, CA1862
    public async Task<IReadOnlyList<long>> FindByEmailAsync(string email, string? workspaceId, CancellationToken cancellationToken)
    {
        var query = db.Leads.AsNoTracking().Where(l => l.ErasedAt == null && l.Email != null && l.Email.ToLower() == email);
        if (workspaceId is not null) query = query.Where(l => l.WorkspaceId == workspaceId);
        return await query.OrderBy(l => l.Id).Select(l => l.Id).ToListAsync(cancellationToken);
    }
#pragma warning restore CA1304, CA1311, CA1862

    public async Task<IReadOnlyList<long>> FindReceivedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        await db.Leads.AsNoTracking()
            .Where(l => l.ErasedAt == null && l.ReceivedAt < cutoff)
            .OrderBy(l => l.ReceivedAt).ThenBy(l => l.Id)
            .Select(l => l.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<LeadExport>> ExportAsync(IReadOnlyList<long> leadIds, CancellationToken cancellationToken)
    {
        var leads = await db.Leads.AsNoTracking().Where(l => leadIds.Contains(l.Id)).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        var assignments = await db.Assignments.AsNoTracking().Where(a => leadIds.Contains(a.LeadId)).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var ratings = await db.Ratings.AsNoTracking().Where(r => leadIds.Contains(r.LeadId)).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var reasons = await db.Reasons.AsNoTracking().Where(r => leadIds.Contains(r.LeadId)).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var comments = await db.Comments.AsNoTracking().Where(c => leadIds.Contains(c.LeadId)).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var outcomes = await db.Outcomes.AsNoTracking().Where(o => leadIds.Contains(o.LeadId)).OrderBy(o => o.Id).ToListAsync(cancellationToken);

        var personIds = leads.SelectMany(l => new[] { l.AssigneeId, l.ClaimedById, l.SubmittedById })
            .Concat(assignments.Select(a => a.PersonId))
            .Concat(ratings.Select(r => (long?)r.PersonId)).Concat(reasons.Select(r => (long?)r.PersonId))
            .Concat(comments.Select(c => (long?)c.PersonId)).Concat(outcomes.Select(o => (long?)o.PersonId))
            .OfType<long>().Distinct().ToList();
        var names = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.DisplayName, cancellationToken);
        string? Name(long? id) => id is { } known ? names.GetValueOrDefault(known, $"person {known}") : null;

        return leads.Select(row =>
        {
            var lead = EfLeadStore.Map(row);
            return new LeadExport(
                lead.Id,
                lead.WorkspaceId,
                lead.ReceivedAt,
                lead.Via,
                lead.Data,
                lead.Stage,
                Name(lead.Route?.AssigneeId),
                Name(lead.ClaimedById),
                lead.ClaimedAt,
                lead.Route?.Reason,
                lead.Handoff is { } posted ? new PostedHandoff(posted.Platform, posted.PlaceId, posted.MessageId, lead.PostedAt) : null,
                assignments.Where(a => a.LeadId == row.Id)
                    .Select(a => new ExportedEvent(a.At, Name(a.PersonId), ((AssignmentKind)a.Kind).ToString().ToLowerInvariant(), a.Reason)).ToList(),
                ratings.Where(r => r.LeadId == row.Id)
                    .Select(r => new ExportedEvent(r.At, Name(r.PersonId), Ratings.Label((Rating)r.Rating), r.Emoji, RetractedAt: r.RetractedAt)).ToList(),
                reasons.Where(r => r.LeadId == row.Id).Select(r => new ExportedEvent(r.At, Name(r.PersonId), r.Code, r.Note)).ToList(),
                comments.Where(c => c.LeadId == row.Id).Select(c => new ExportedEvent(c.At, Name(c.PersonId), "comment", c.Text)).ToList(),
                outcomes.Where(o => o.LeadId == row.Id)
                    .Select(o => new ExportedEvent(o.At, Name(o.PersonId), ((LeadStage)o.Stage).ToString().ToLowerInvariant(), o.Note, o.Amount)).ToList());
        }).ToList();
    }

    public async Task<IReadOnlyList<ErasedLead>> EraseAsync(IReadOnlyList<long> leadIds, string? email, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var erased = await db.Leads.AsNoTracking().Where(l => leadIds.Contains(l.Id) && l.ErasedAt == null)
            .Select(l => new { l.Id, l.WorkspaceId, Posted = l.HandoffMessageId != null })
            .ToListAsync(cancellationToken);
        var ids = erased.Select(e => e.Id).ToList();
        if (ids.Count == 0) return [];
        var threadPosts = (await db.PostedMessages.AsNoTracking()
                .Where(p => p.LeadId != null && ids.Contains(p.LeadId.Value) && (p.Kind == (int)PostedKind.ThreadNote || p.Kind == (int)PostedKind.ReasonPrompt))
                .ToListAsync(cancellationToken))
            .ToLookup(p => p.LeadId!.Value, p => new MessageRef(p.Platform, p.WorkspaceId, p.PlaceId, p.MessageId));

        // Who the person is, and everything said about them in free text, goes; what counts (source, campaign, segment,
        // country, size, score, routing, stage, times) stays for the reports. The SLA clock stops: nobody chases an erased lead.
        await db.Leads.Where(l => ids.Contains(l.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.ExternalId, (string?)null)
            .SetProperty(l => l.Email, (string?)null)
            .SetProperty(l => l.FirstName, (string?)null)
            .SetProperty(l => l.LastName, (string?)null)
            .SetProperty(l => l.Company, (string?)null)
            .SetProperty(l => l.Title, (string?)null)
            .SetProperty(l => l.Phone, (string?)null)
            .SetProperty(l => l.Reason, (string?)null)
            .SetProperty(l => l.Url, (string?)null)
            .SetProperty(l => l.FieldsJson, (string?)null)
            .SetProperty(l => l.DedupeKey, (string?)null)
            .SetProperty(l => l.SlaDueAt, (DateTimeOffset?)null)
            .SetProperty(l => l.ErasedAt, at), cancellationToken);
        await db.Comments.Where(c => ids.Contains(c.LeadId)).ExecuteDeleteAsync(cancellationToken);
        await db.Reasons.Where(r => ids.Contains(r.LeadId) && r.Note != null).ExecuteUpdateAsync(s => s.SetProperty(r => r.Note, (string?)null), cancellationToken);
        await db.Outcomes.Where(o => ids.Contains(o.LeadId) && o.Note != null).ExecuteUpdateAsync(s => s.SetProperty(o => o.Note, (string?)null), cancellationToken);

        // Outbox entries of these leads: pending ones (a handoff not posted yet, a thread note) are no longer wanted,
        // delivered ones are history that holds their text. Notes about a lead that name the address (a failed post's
        // notice to marketing) go too. Card edits are enqueued afterwards by the caller.
        await db.Outbox.Where(o => o.LeadId != null && ids.Contains(o.LeadId.Value)).ExecuteDeleteAsync(cancellationToken);
        if (email is not null)
        {
            var escaped = JsonSerializer.Serialize(email)[1..^1];
#pragma warning disable CA1304, CA1311, CA1862 // lower() in SQL
            await db.Outbox.Where(o => o.Payload.ToLower().Contains(escaped)).ExecuteDeleteAsync(cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        }
        return erased.Select(e => new ErasedLead(e.Id, e.WorkspaceId, e.Posted, [.. threadPosts[e.Id]])).ToList();
    }
}
