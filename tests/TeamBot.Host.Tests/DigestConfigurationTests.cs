namespace TeamBot.Host.Tests;

/// <summary>Digest and alert options are checked at start, defaults and each workspace's own, with messages that name the key.</summary>
public sealed class DigestConfigurationTests
{
    [Fact]
    public async Task Start_WithBadDigestAndAlertOptions_NamesEachKey()
    {
        var settings = TestHost.DefaultSettings();
        settings["Digest:Day"] = "Funday";
        settings["Digest:Time"] = "9am";
        settings["Digest:BaseUrl"] = "ftp://bot";
        settings["Workspaces:local:Digest:Channel"] = "nowhere";
        settings["Alerts:RejectionRate"] = "30";
        settings["Alerts:MinLeads"] = "0";

        var problems = await ConfigurationTests.StartupProblemsAsync(settings);

        Assert.Contains("Digest:Day 'Funday' must be a day of the week, e.g. Monday or Mon.", problems);
        Assert.Contains("Digest:Time '9am' must be a local time HH:mm, e.g. 09:00.", problems);
        Assert.Contains("Digest:BaseUrl 'ftp://bot' must be an absolute http(s) address, e.g. http://127.0.0.1:5080.", problems);
        Assert.Contains("Workspaces:local:Digest:Channel 'nowhere' is not one of the local channels (handoffs, marketing, general).", problems);
        Assert.Contains("Alerts:RejectionRate must be between 0 and 1 (a share: 0.3 is 30%); got 30.", problems);
        Assert.Contains("Alerts:MinLeads must be between 1 and 10000 (got 0).", problems);
        Assert.DoesNotContain(problems, p => p.StartsWith("Workspaces:local:Digest:Day", StringComparison.Ordinal));
    }
}
