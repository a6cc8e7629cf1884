using System.Globalization;
using System.Text;
using TeamBot.Core.Chat;
using TeamBot.Core.Feedback;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Reports;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Commands;

/// <summary>/leads: hand off, claim, rate, explain, record outcomes, ask why, and ask how good the leads were.</summary>
public sealed class LeadCommands(
    ILeadStore leads,
    IPeopleStore people,
    IOutboxStore outbox,
    IUnitOfWork unitOfWork,
    OutboxSignal signal,
    ISlaScheduler slaScheduler,
    SlaDeadlines slaDeadlines,
    FeedbackService feedback,
    LeadIntake intake,
    LeadQualityReports reports,
    LeadSnapshots snapshots,
    HandoffCards cards,
    TimeProvider clock)
{
    public async Task<ChatReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        switch (command.Subcommand)
        {
            case "quality":
                return await QualityAsync(context, cancellationToken);
            case "handoff":
                return await HandoffAsync(context, cancellationToken);
        }

        var (lead, problem) = await FindLeadAsync(context, cancellationToken);
        if (lead is null) return ChatReply.Private(problem!);
        var person = context.Person;

        return command.Subcommand switch
        {
            "claim" => await feedback.ClaimAsync(lead, person, FeedbackSource.Command, cancellationToken) ?? ChatReply.Private("Done."),
            "release" => await feedback.ReleaseAsync(lead, person, FeedbackSource.Command, cancellationToken) ?? ChatReply.Private("Done."),
            "rate" => Ratings.TryParse(command.Option("rating")!, out var rating)
                ? await feedback.RateAsync(lead, person, rating, FeedbackSource.Command, null, cancellationToken) ?? ChatReply.Private("Done.")
                : ChatReply.Private("Rate with great, good, meh, poor or reject."),
            "reason" => await feedback.GiveReasonAsync(lead, person, command.Option("reason")!, command.Option("note"), cancellationToken),
            "outcome" => await feedback.RecordOutcomeAsync(lead, person, command.Option("outcome")!, command.Option("amount"), command.Option("note"), cancellationToken),
            "why" => await WhyAsync(context, lead, cancellationToken),
            "show" => await ShowAsync(lead, cancellationToken),
            "assign" => await AssignAsync(context, lead, command.Option("rep")!, cancellationToken),
            _ => ChatReply.Private($"There is no {command.FullName} command. Try /help."),
        };
    }

    private async Task<ChatReply> QualityAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var command = context.Command;
        if (!ReportPeriod.TryParse(command.Option("period"), clock.GetUtcNow(), context.Workspace.TimeZone, out var period, out var error))
        {
            return ChatReply.Private(error);
        }
        if (!LeadQualityReports.TryParseGrouping(command.Option("by"), out var by))
        {
            return ChatReply.Private($"'{command.Option("by")}' is not a grouping: use source, campaign, segment or rep.");
        }
        var report = await reports.BuildAsync(context.Workspace.Id, period, by, cancellationToken);
        return ChatReply.PublicCard(LeadQualityCard.Render(report));
    }

    private async Task<ChatReply> HandoffAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (LeadIntake.Refusal(context.Workspace) is { } refusal) return ChatReply.Private(refusal);
        var draft = new LeadDraft();
        foreach (var (name, value) in context.Command.Options)
        {
            if (LeadFields.TryGet(name, out var field)) draft.Set(field, value);
        }
        var errors = new FieldErrors();
        var data = draft.Validate("", errors);
        if (data is null)
        {
            return ChatReply.Private("I could not hand that lead off:\n" + string.Join("\n", errors.All.Select(e => $"• {e.Path} {e.Message}")));
        }

        var outcome = (await intake.SubmitAsync(context.Workspace.Id, [new NewLead(data, IntakeChannel.Chat, context.Person.Id)], cancellationToken))[0];
        return outcome.Duplicate
            ? ChatReply.Private($"That lead is already here as lead #{outcome.LeadId}, so no second handoff was made.")
            : ChatReply.Private($"Handed off as lead #{outcome.LeadId} ({data.DisplayName}). It will appear in #{context.Workspace.Places.Handoffs} in a moment.");
    }

    private async Task<ChatReply> WhyAsync(CommandContext context, Lead lead, CancellationToken cancellationToken)
    {
        var history = await leads.GetAssignmentRecordsAsync(lead.Id, cancellationToken);
        var text = new StringBuilder($"Lead #{lead.Id} ({lead.Data.DisplayName}{(lead.Data.Company is null ? "" : ", " + lead.Data.Company)}):");
        if (history.Count == 0) text.Append("\nIt has not been routed yet: it is waiting to be posted.");
        var zone = context.Workspace.TimeZone;
        foreach (var record in history)
        {
            var at = TimeZoneInfo.ConvertTime(record.At, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"\n• {at}: {record.Reason}");
        }
        return ChatReply.Public(text.ToString());
    }

    private async Task<ChatReply> ShowAsync(Lead lead, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.LoadAsync(lead.Id, cancellationToken);
        if (snapshot is null) return ChatReply.Private($"Lead #{lead.Id} no longer exists.");
        var card = cards.Render(snapshot) with { Actions = [], Choices = [] };
        return new ChatReply(new OutgoingMessage(Card: card), ReplyVisibility.Private);
    }

    private async Task<ChatReply> AssignAsync(CommandContext context, Lead lead, string repText, CancellationToken cancellationToken)
    {
        var everyone = await people.ListAsync(context.Workspace.Id, cancellationToken);
        var (rep, error) = PersonLookup.Find(everyone, repText);
        if (rep is null) return ChatReply.Private(error!);
        if (!rep.Is(TeamRoles.Sales)) return ChatReply.Private($"{rep.DisplayName} is not a sales rep, so they cannot take leads.");
        if (lead.ClaimedById is { } holder && holder != rep.Id)
        {
            var name = (await people.FindAsync(holder, cancellationToken))?.DisplayName ?? "another rep";
            return ChatReply.Private($"Lead #{lead.Id} is claimed by {name}; they need to release it first (/leads release).");
        }

        var now = clock.GetUtcNow();
        var due = await slaDeadlines.DueAsync(lead.WorkspaceId, now, cancellationToken);
        var reason = $"Assigned to {rep.DisplayName} by {context.Person.DisplayName}.";
        await unitOfWork.InTransactionAsync(async ct =>
        {
            var place = lead.Route?.PlaceId ?? context.Workspace.Places.Handoffs;
            await leads.SetRouteAsync(lead.Id, new LeadRoute(rep.Id, [], place, reason, now), reroute: true, ct);
            if (lead.ClaimedById is null && lead.Handoff is not null) await leads.RestartSlaAsync(lead.Id, due, ct);
            await outbox.EnqueueOnceAsync(lead.WorkspaceId, new RefreshCard(lead.Id), now, ct);
            await outbox.EnqueueAsync(lead.WorkspaceId, new PostInThread(lead.Id, "👉 " + reason, [rep.Id]), now, ct);
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
        if (lead.ClaimedById is null && lead.Handoff is not null && due is { } dueAt) await slaScheduler.ScheduleAsync(lead.Id, dueAt, cancellationToken);
        return ChatReply.Private($"Lead #{lead.Id} is now assigned to {rep.DisplayName}.");
    }

    private async Task<(Lead? Lead, string? Problem)> FindLeadAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var given = context.Command.Option("lead");
        Lead? lead;
        if (given is null)
        {
            lead = await leads.FindByThreadAsync(context.Place, cancellationToken);
            if (lead is null) return (null, "Which lead? Add lead:<number>, or run the command in the lead's thread.");
        }
        else
        {
            if (!long.TryParse(given.Trim().TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return (null, $"'{given}' is not a lead number; use the number on the card, e.g. lead:42.");
            }
            lead = await leads.GetAsync(id, cancellationToken);
        }
        return lead is null || lead.WorkspaceId != context.Workspace.Id
            ? (null, $"There is no lead #{given?.Trim().TrimStart('#')} in this workspace.")
            : (lead, null);
    }
}
