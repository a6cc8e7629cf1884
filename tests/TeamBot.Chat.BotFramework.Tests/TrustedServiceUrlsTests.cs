using TeamBot.Chat.BotFramework.Connector;

namespace TeamBot.Chat.BotFramework.Tests;

public sealed class TrustedServiceUrlsTests
{
    private const string Trusted = "https://smba.trafficmanager.net/emea/";

    [Theory]
    [InlineData("https://smba.trafficmanager.net/emea/")]
    [InlineData("https://smba.trafficmanager.net/emea")]
    [InlineData("HTTPS://SMBA.TrafficManager.NET/emea/")]
    [InlineData("https://smba.trafficmanager.net:443/emea")]
    public void IsTrusted_ForTheSameServiceUrlWrittenAnotherWay_IsTrue(string serviceUrl)
    {
        var trusted = new TrustedServiceUrls();
        trusted.Trust(Trusted);

        Assert.True(trusted.IsTrusted(serviceUrl));
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/")]
    [InlineData("https://smba.trafficmanager.net/")]
    [InlineData("http://smba.trafficmanager.net/emea/")]
    [InlineData("https://smba.trafficmanager.net:8443/emea/")]
    [InlineData("https://smba.trafficmanager.net.evil.example/emea/")]
    [InlineData("not a url")]
    [InlineData("")]
    public void IsTrusted_ForAnotherServiceUrl_IsFalse(string serviceUrl)
    {
        var trusted = new TrustedServiceUrls();
        trusted.Trust(Trusted);

        Assert.False(trusted.IsTrusted(serviceUrl));
    }

    [Fact]
    public void Trust_ANonHttpUrl_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TrustedServiceUrls().Trust("ftp://smba.trafficmanager.net/emea/"));
    }
}
