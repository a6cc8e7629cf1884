namespace TeamBot.Core.Feedback;

/// <summary>Bound from <c>Feedback</c>. Empty collections mean the defaults.</summary>
public sealed class FeedbackSettings
{
    /// <summary>Emoji to meaning: claim, great, good, meh, poor or reject.</summary>
    public Dictionary<string, string> Reactions { get; set; } = [];

    /// <summary>The reason list a new workspace starts with; admins manage it afterwards with /reasons.</summary>
    public List<ReasonOptionSettings> Reasons { get; set; } = [];

    public IReadOnlyList<ReasonOption> EffectiveReasons =>
        Reasons.Count == 0
            ? DefaultReasons
            : Reasons.Select((r, i) => new ReasonOption(r.Code, r.Label, i)).ToList();

    public static readonly IReadOnlyList<ReasonOption> DefaultReasons =
    [
        new("wrong-persona", "Wrong persona", 0),
        new("no-budget", "No budget", 1),
        new("bad-contact-data", "Bad contact data", 2),
        new("duplicate", "Duplicate", 3),
        new("spam", "Student, competitor or spam", 4),
        new("not-ready", "Not ready yet", 5),
        new(OtherCode, "Other", 6),
    ];

    /// <summary>The reason that always asks for free text.</summary>
    public const string OtherCode = "other";
}

public sealed class ReasonOptionSettings
{
    public string Code { get; set; } = "";
    public string Label { get; set; } = "";
}
