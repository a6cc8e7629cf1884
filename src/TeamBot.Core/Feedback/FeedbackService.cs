using System.Globalization;
using TeamBot.Core.Chat;
using TeamBot.Core.Handoffs;
using TeamBot.Core.Leads;
using TeamBot.Core.Workspaces;

namespace TeamBot.Core.Feedback;

/// <summary>What reps do with a handoff: claim, release, rate, give reasons, record outcomes and comment.</summary>
public sealed class FeedbackService(
    ILeadStore leads,
    IFeedbackStore feedback,
    IPeopleStore people,
    IOutboxStore outbox,
    IPostedMessageStore postedMessages,
    IUnitOfWork unitOfWork,
    OutboxSignal signal,
    ISlaScheduler slaScheduler,
    SlaDeadlines slaDeadlines,
    Digests.RejectionAlerts rejectionAlerts,
    TimeProvider clock)
{
    /// <summary>The leads whose card refresh waits for the end of <see cref="RefreshingCardsOnceAsync"/>; null otherwise.</summary>
    private Dictionary<long, string>? _cardsToRefresh;

    /// <summary>
    /// Runs changes that share one transaction and asks for each changed lead's card refresh once, at the end: the card
    /// is drawn from all of them, and the outbox is read once per lead instead of once per change.
    /// </summary>
    public async Task<T> RefreshingCardsOnceAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        _cardsToRefresh = [];
        try
        {
            var result = await work();
            var leads = _cardsToRefresh;
            _cardsToRefresh = null;
            var now = clock.GetUtcNow();
            if (leads.Count > 0) await outbox.EnqueueOnceAllAsync([.. leads.Select(l => (l.Value, (OutboxMessage)new RefreshCard(l.Key)))], now, cancellationToken);
            return result;
        }
        finally
        {
            _cardsToRefresh = null;
        }
    }

    private Task RefreshCardAsync(Lead lead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_cardsToRefresh is null) return outbox.EnqueueOnceAsync(lead.WorkspaceId, new RefreshCard(lead.Id), now, cancellationToken);
        _cardsToRefresh.TryAdd(lead.Id, lead.WorkspaceId);
        return Task.CompletedTask;
    }

    /// <summary>The leads whose handoff cards these messages are (see <see cref="IFeedbackStore.FindHandoffLeadsAsync"/>).</summary>
    public Task<IReadOnlyDictionary<MessageRef, Lead>> FindHandoffLeadsAsync(IReadOnlyCollection<MessageRef> messages, CancellationToken cancellationToken) =>
        messages.Count == 0 ? Task.FromResult<IReadOnlyDictionary<MessageRef, Lead>>(new Dictionary<MessageRef, Lead>()) : feedback.FindHandoffLeadsAsync(messages, cancellationToken);

    public async Task<ChatReply?> ClaimAsync(Lead lead, Person person, FeedbackSource source, CancellationToken cancellationToken)
    {
        if (!person.Is(TeamRoles.Sales)) return NotSales(person, "claim leads");
        if (lead.ClaimedById == person.Id) return ChatReply.Private($"You already have lead #{lead.Id}.");
        if (lead.ClaimedById is { } holder) return await AlreadyClaimedAsync(lead.Id, holder, cancellationToken);
        if (lead.Route?.AssigneeId is { } assignee && assignee != person.Id)
        {
            var name = (await people.FindAsync(assignee, cancellationToken))?.DisplayName ?? "another rep";
            return ChatReply.Refused($"Lead #{lead.Id} is assigned to {name}. Ask them, or an admin can reassign it with /leads assign lead:{lead.Id} rep:<name>.");
        }
        if (lead.Route is { Pool.Count: > 0 } pooled && !pooled.Pool.Contains(person.Id))
        {
            return ChatReply.Refused($"Lead #{lead.Id} is for the reps of its routing pool only. {pooled.Reason}");
        }

        var now = clock.GetUtcNow();
        var after = Durations.Spoken(now - (lead.PostedAt ?? lead.ReceivedAt));
        var won = await unitOfWork.InTransactionAsync(async ct =>
        {
            if (!await leads.TryClaimAsync(lead.Id, person.Id, now, ct)) return false;
            var kind = source == FeedbackSource.Reaction ? AssignmentKind.ClaimedByReaction : AssignmentKind.Claimed;
            await leads.AddAssignmentRecordAsync(new AssignmentRecord(lead.Id, kind, person.Id, $"Claimed by {person.DisplayName}, {after} after handoff.", now), ct);
            await RefreshCardAsync(lead, now, ct);
            await outbox.EnqueueAsync(lead.WorkspaceId, new PostInThread(lead.Id, $"🙋 {person.DisplayName} claimed this lead.", []), now, ct);
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);

        if (!won)
        {
            var current = await leads.GetAsync(lead.Id, cancellationToken);
            return current?.ClaimedById is { } winner && winner != person.Id
                ? await AlreadyClaimedAsync(lead.Id, winner, cancellationToken)
                : ChatReply.Private($"You already have lead #{lead.Id}.");
        }
        return source == FeedbackSource.Reaction
            ? null
            : ChatReply.Private($"You claimed lead #{lead.Id} ({lead.Data.DisplayName}). Record what happens with the card's outcome menu or /leads outcome.");
    }

    public async Task<ChatReply?> ReleaseAsync(Lead lead, Person person, FeedbackSource source, CancellationToken cancellationToken)
    {
        if (lead.ClaimedById != person.Id)
        {
            return source == FeedbackSource.Reaction ? null : ChatReply.Private($"You do not hold lead #{lead.Id}, so there is nothing to release.");
        }
        var now = clock.GetUtcNow();
        var due = await slaDeadlines.DueAsync(lead.WorkspaceId, now, cancellationToken);
        var released = await unitOfWork.InTransactionAsync(async ct =>
        {
            if (!await leads.TryReleaseAsync(lead.Id, person.Id, ct)) return false;
            await leads.RestartSlaAsync(lead.Id, due, ct);
            await leads.AddAssignmentRecordAsync(new AssignmentRecord(lead.Id, AssignmentKind.Released, person.Id, $"Released by {person.DisplayName}.", now), ct);
            await RefreshCardAsync(lead, now, ct);
            await outbox.EnqueueAsync(lead.WorkspaceId, new PostInThread(lead.Id, $"↩️ {person.DisplayName} released this lead; it can be claimed again.", []), now, ct);
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
        if (released && due is { } dueAt) await slaScheduler.ScheduleAsync(lead.Id, dueAt, cancellationToken);
        return source == FeedbackSource.Reaction || !released ? null : ChatReply.Private($"You released lead #{lead.Id}; it can be claimed again.");
    }

    public async Task<ChatReply?> RateAsync(Lead lead, Person person, Rating rating, FeedbackSource source, string? emoji, CancellationToken cancellationToken)
    {
        if (!person.Is(TeamRoles.Sales)) return NotSales(person, "rate leads");
        var now = clock.GetUtcNow();
        var askReason = false;
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await feedback.AddRatingAsync(lead.Id, person.Id, rating, source, emoji, now, ct);
            await RefreshCardAsync(lead, now, ct);
            if (Ratings.NeedsReason(rating))
            {
                // One question per rep and lead: not again once they gave a reason or were already asked.
                var reasons = await feedback.GetReasonsAsync(lead.Id, ct);
                askReason = reasons.All(r => r.PersonId != person.Id)
                            && !await postedMessages.AnyAsync(lead.Id, PostedKind.ReasonPrompt, person.Id, ct)
                            && !await outbox.IsPendingAsync(OutboxCodec.Kind(new PostReasonPrompt(lead.Id, person.Id, rating)), lead.Id, person.Id, ct);
                if (askReason) await outbox.EnqueueAsync(lead.WorkspaceId, new PostReasonPrompt(lead.Id, person.Id, rating), now, ct);
            }
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
        if (rating == Rating.Reject) await rejectionAlerts.CheckAsync(lead.WorkspaceId, cancellationToken);
        if (source == FeedbackSource.Reaction) return null;
        return ChatReply.Private($"You rated lead #{lead.Id} {Ratings.Label(rating)}." + (askReason ? " Please pick a reason in its thread." : ""));
    }

    /// <summary>A rating reaction was removed: the rating it gave no longer counts.</summary>
    public async Task<ChatReply?> RetractAsync(Lead lead, Person person, string emoji, CancellationToken cancellationToken)
    {
        if (!person.Is(TeamRoles.Sales)) return null;
        var now = clock.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            if (await feedback.RetractRatingAsync(lead.Id, person.Id, emoji, now, ct))
            {
                await RefreshCardAsync(lead, now, ct);
            }
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
        return null;
    }

    /// <summary>Records why a lead was poor or rejected. <paramref name="choice"/> is a reason code or label.</summary>
    public async Task<ChatReply> GiveReasonAsync(Lead lead, Person person, string choice, string? note, CancellationToken cancellationToken)
    {
        if (!person.Is(TeamRoles.Sales)) return NotSales(person, "give reasons for lead ratings");
        var mine = (await feedback.GetCurrentRatingsAsync(lead.Id, cancellationToken)).FirstOrDefault(r => r.PersonId == person.Id);
        if (mine is null || !Ratings.NeedsReason(mine.Rating))
        {
            return ChatReply.Private($"A reason explains a poor or rejected lead. Rate lead #{lead.Id} poor or reject first (/leads rate lead:{lead.Id} rating:reject), then give the reason.");
        }
        var options = await feedback.ListReasonOptionsAsync(lead.WorkspaceId, cancellationToken);
        var option = options.FirstOrDefault(o => string.Equals(o.Code, choice.Trim(), StringComparison.OrdinalIgnoreCase)
                                                 || LeadFields.Loose(o.Label) == LeadFields.Loose(choice));
        if (option is null)
        {
            return ChatReply.Private($"'{choice}' is not one of this workspace's reasons. Choose one of: " +
                                     string.Join(", ", options.Select(o => $"{o.Code} ({o.Label})")) + ".");
        }
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (option.Code == FeedbackSettings.OtherCode && note is null)
        {
            return ChatReply.Private($"Please say what was wrong: /leads reason lead:{lead.Id} reason:other note:\"...\"");
        }
        if (note is not null && LeadDraft.CheckText(note, 500, multiline: true) is { } problem)
        {
            return ChatReply.Private("The note " + problem);
        }

        var now = clock.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await feedback.AddReasonAsync(new ReasonRecord(lead.Id, person.Id, option.Code, note, now), ct);
            await RefreshCardAsync(lead, now, ct);
            await outbox.EnqueueAsync(lead.WorkspaceId, new PostInThread(lead.Id,
                $"📝 {person.DisplayName}'s reason: {option.Label}" + (note is null ? "" : $" ({note})"), []), now, ct);
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
        await rejectionAlerts.CheckAsync(lead.WorkspaceId, cancellationToken);
        return ChatReply.Private("Thanks! Your reason goes back to marketing.");
    }

    public async Task<ChatReply> RecordOutcomeAsync(Lead lead, Person person, string outcome, string? amountText, string? note, CancellationToken cancellationToken)
    {
        if (!person.Is(TeamRoles.Sales) && !person.Is(TeamRoles.Admin)) return NotSales(person, "record outcomes");
        if (!TryParseStage(outcome, out var stage))
        {
            return ChatReply.Private($"'{outcome}' is not an outcome. Use contacted, meeting, opportunity, won or lost.");
        }
        if (lead.ClaimedById is null && !person.Is(TeamRoles.Admin))
        {
            return ChatReply.Private($"Claim lead #{lead.Id} first: its outcomes belong to the rep who has it.");
        }
        if (lead.ClaimedById is { } holder && holder != person.Id && !person.Is(TeamRoles.Admin))
        {
            var name = (await people.FindAsync(holder, cancellationToken))?.DisplayName ?? "another rep";
            return ChatReply.Private($"Lead #{lead.Id} belongs to {name}; only they or an admin can record its outcome.");
        }

        decimal? amount = null;
        if (!string.IsNullOrWhiteSpace(amountText))
        {
            if (!TryParseAmount(amountText, out var parsed))
            {
                return ChatReply.Private($"'{amountText}' is not an amount. Write it like 12000, 12,500.50 or 12k.");
            }
            amount = parsed;
        }
        if (stage is LeadStage.Won or LeadStage.Opportunity && amount is null)
        {
            var word = stage == LeadStage.Won ? "won" : "opportunity";
            return ChatReply.Private($"An outcome of {word} needs an amount: /leads outcome lead:{lead.Id} outcome:{word} amount:12000");
        }
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is not null && LeadDraft.CheckText(note, 500, multiline: true) is { } problem) return ChatReply.Private("The note " + problem);

        var now = clock.GetUtcNow();
        var described = Describe(stage, amount, note);
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await feedback.AddOutcomeAsync(new OutcomeRecord(lead.Id, person.Id, stage, amount, note, now), ct);
            await leads.SetStageAsync(lead.Id, stage, ct);
            await RefreshCardAsync(lead, now, ct);
            await outbox.EnqueueAsync(lead.WorkspaceId, new PostInThread(lead.Id, $"📈 {person.DisplayName} recorded: {described}.", []), now, ct);
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
        return ChatReply.Private($"Recorded for lead #{lead.Id}: {described}.");
    }

    /// <summary>A plain reply in a lead's thread is kept as a comment on the lead; the bot marks it with 📝.</summary>
    public async Task CommentAsync(Lead lead, Person person, ThreadMessagePosted message, CancellationToken cancellationToken)
    {
        var text = message.Text.Trim();
        if (text.Length == 0) return;
        if (text.Length > 4000) text = text[..4000];
        var now = clock.GetUtcNow();
        await unitOfWork.InTransactionAsync(async ct =>
        {
            await feedback.AddCommentAsync(new CommentRecord(lead.Id, person.Id, text, message.MessageId, now), ct);
            var posted = new MessageRef(message.Thread.Platform, message.Thread.Workspace, message.Thread.Id, message.MessageId);
            await outbox.EnqueueAsync(lead.WorkspaceId, new AddBotReaction(posted, "📝"), now, ct);
            return true;
        }, cancellationToken);
        unitOfWork.AfterCommit(signal.Notify);
    }

    public static bool TryParseStage(string text, out LeadStage stage)
    {
        stage = LeadFields.Loose(text) switch
        {
            "contacted" or "contact" or "called" or "emailed" => LeadStage.Contacted,
            "meeting" or "meetingbooked" or "meet" or "demo" => LeadStage.Meeting,
            "opportunity" or "opp" or "opportunitycreated" => LeadStage.Opportunity,
            "won" or "closedwon" or "win" => LeadStage.Won,
            "lost" or "closedlost" or "lose" => LeadStage.Lost,
            _ => LeadStage.New,
        };
        return stage != LeadStage.New;
    }

    public static bool TryParseAmount(string text, out decimal amount)
    {
        var t = text.Trim().Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).TrimStart('$', '€', '£');
        var multiplier = 1m;
        if (t.EndsWith('k') || t.EndsWith('K')) (multiplier, t) = (1_000m, t[..^1]);
        else if (t.EndsWith('m') || t.EndsWith('M')) (multiplier, t) = (1_000_000m, t[..^1]);
        var ok = decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount) && amount >= 0 && amount < 1_000_000_000_000m / multiplier;
        amount = ok ? amount * multiplier : 0;
        return ok;
    }

    private static string Describe(LeadStage stage, decimal? amount, string? note) => stage switch
    {
        LeadStage.Contacted => "contacted",
        LeadStage.Meeting => "meeting booked",
        LeadStage.Opportunity => "opportunity" + HandoffCards.Amount(amount).Replace(":", " of", StringComparison.Ordinal),
        LeadStage.Won => "won" + HandoffCards.Amount(amount).Replace(":", ",", StringComparison.Ordinal),
        _ => "lost" + (note is null ? "" : $" ({note})"),
    };

    private async Task<ChatReply> AlreadyClaimedAsync(long leadId, long holder, CancellationToken cancellationToken)
    {
        var lead = await leads.GetAsync(leadId, cancellationToken);
        var name = (await people.FindAsync(holder, cancellationToken))?.DisplayName ?? "another rep";
        var when = lead?.ClaimedAt is { } at ? " " + Durations.Ago(clock.GetUtcNow() - at) : "";
        return ChatReply.Refused($"Lead #{leadId} was already claimed by {name}{when}.");
    }

    private static ChatReply NotSales(Person person, string what)
    {
        var roles = TeamRolesText.Names(person.Roles);
        var youAre = roles.Count == 0 ? "you have no TeamBot role yet" : "you are set up as " + string.Join(" and ", roles);
        return ChatReply.Refused($"Only sales reps can {what}; {youAre}. Your action was not counted. Ask an admin if your role is wrong.");
    }
}
