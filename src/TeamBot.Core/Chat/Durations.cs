using Humanizer;
using Humanizer.Localisation;

namespace TeamBot.Core.Chat;

/// <summary>Durations the way a person says them: "14 minutes", "2 hours, 5 minutes", "just now".</summary>
public static class Durations
{
    public static string Spoken(TimeSpan span, int precision = 1) =>
        span < TimeSpan.FromSeconds(1)
            ? "under a second"
            : span.Humanize(precision, minUnit: TimeUnit.Second, maxUnit: TimeUnit.Day);

    public static string Ago(TimeSpan span) => span < TimeSpan.FromSeconds(1) ? "just now" : Spoken(span) + " ago";
}
