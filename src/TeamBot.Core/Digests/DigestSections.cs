namespace TeamBot.Core.Digests;

/// <summary>The span a digest covers: [From, To), in UTC; the workspace's time zone decides where its days begin.</summary>
public sealed record DigestWindow(string WorkspaceId, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// Something worth raising when the teams meet; the digest shows the three with the highest weight. Weights run
/// from 0 to 1 for every feature alike: 0.9 and up "act on it", about 0.7 "a problem", about 0.5 "good to know".
/// </summary>
public sealed record TalkingPoint(string Text, double Weight);

/// <summary>A bar for the digest page and the chat's text bars: a value against a maximum (a target, or the largest value).</summary>
public sealed record DigestBar(string Label, double Value, double Max, string? Note = null);

/// <summary>A part of the digest contributed by another feature (goal progress, stand-up blockers and highlights).</summary>
public sealed record DigestSection(
    string Key,
    string Title,
    IReadOnlyList<string> Lines,
    IReadOnlyList<TalkingPoint> TalkingPoints,
    IReadOnlyList<DigestBar> Bars);

/// <summary>A feature that has something to say in the weekly digest.</summary>
public interface IDigestContributor
{
    /// <summary>Where the section goes among the contributed ones (lower first).</summary>
    int Order { get; }

    /// <summary>The section for the window, or null when there is nothing to say.</summary>
    Task<DigestSection?> ContributeAsync(DigestWindow window, CancellationToken cancellationToken);
}
