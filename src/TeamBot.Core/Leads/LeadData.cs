namespace TeamBot.Core.Leads;

/// <summary>A lead's fields as a sender gave them, validated. Every intake path (webhook, CSV, chat) produces this.</summary>
public sealed record LeadData
{
    public string? ExternalId { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Company { get; init; }
    public string? Title { get; init; }
    public string? Phone { get; init; }
    public string? Source { get; init; }
    public string? Campaign { get; init; }
    public string? Segment { get; init; }
    public string? Country { get; init; }

    /// <summary>As given: "250", "51-200" or "1000+".</summary>
    public string? CompanySize { get; init; }

    /// <summary>The lower bound of <see cref="CompanySize"/>, for routing rules.</summary>
    public int? CompanySizeMin { get; init; }

    public decimal? Score { get; init; }
    public string? Reason { get; init; }
    public string? Url { get; init; }
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    public string DisplayName
    {
        get
        {
            var name = string.Join(' ', new[] { FirstName, LastName }.Where(p => !string.IsNullOrWhiteSpace(p)));
            return name.Length > 0 ? name : Email ?? Phone ?? ExternalId ?? "Unnamed lead";
        }
    }
}

/// <summary>How a lead arrived.</summary>
public enum IntakeChannel
{
    Webhook = 0,
    Csv = 1,
    Chat = 2,
}
