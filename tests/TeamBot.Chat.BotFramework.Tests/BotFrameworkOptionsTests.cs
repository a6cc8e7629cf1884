using Microsoft.Extensions.Configuration;

namespace TeamBot.Chat.BotFramework.Tests;

public sealed class BotFrameworkOptionsTests
{
    private const string AppId = "5b2f6c1e-8d4a-4c3e-9f7a-1e2d3c4b5a69";
    private const string TenantId = "0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c";

    [Fact]
    public void Defaults_PointAtMicrosoftAndLeaveTheBotOff()
    {
        var o = new BotFrameworkOptions();

        Assert.False(o.Enabled);
        Assert.Equal("https://login.botframework.com/v1/.well-known/openidconfiguration", o.OpenIdMetadataUrl);
        Assert.Equal("https://api.botframework.com", o.TokenIssuer);
        Assert.Equal("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token", o.EffectiveTokenEndpoint);
        Assert.Equal(["https://api.botframework.com"], o.TrustedIssuers);
        Assert.Empty(BotFrameworkOptions.Validate(o));
    }

    [Fact]
    public void Bind_FromTheDocumentedKeys_SetsEveryValue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BotFramework:AppId"] = AppId,
            ["BotFramework:AppPassword"] = "s3cret",
            ["BotFramework:TenantId"] = TenantId,
            ["BotFramework:OpenIdMetadataUrl"] = "http://127.0.0.1:5000/v1/.well-known/openidconfiguration",
            ["BotFramework:TokenIssuer"] = "https://channel.test",
            ["BotFramework:TokenEndpoint"] = "http://127.0.0.1:5000/token",
        }).Build();

        var o = configuration.GetSection(BotFrameworkOptions.Section).Get<BotFrameworkOptions>()!;

        Assert.True(o.Enabled);
        Assert.Equal((AppId, "s3cret", TenantId), (o.AppId, o.AppPassword, o.TenantId));
        Assert.Equal("http://127.0.0.1:5000/v1/.well-known/openidconfiguration", o.OpenIdMetadataUrl);
        Assert.Equal("https://channel.test", o.TokenIssuer);
        Assert.Equal("http://127.0.0.1:5000/token", o.EffectiveTokenEndpoint);
        Assert.Empty(BotFrameworkOptions.Validate(o));
    }

    [Fact]
    public void ASingleTenantBot_GetsTokensFromItsTenantAndTrustsItsIssuers()
    {
        var o = new BotFrameworkOptions { AppId = AppId, AppPassword = "s3cret", TenantId = TenantId };

        Assert.Equal($"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token", o.EffectiveTokenEndpoint);
        Assert.Equal(["https://api.botframework.com", $"https://sts.windows.net/{TenantId}/", $"https://login.microsoftonline.com/{TenantId}/v2.0"], o.TrustedIssuers);
    }

    [Fact]
    public void Validate_WithABadValueForEachKey_NamesEveryKey()
    {
        var o = new BotFrameworkOptions
        {
            AppId = "my-bot",
            TenantId = "contoso.onmicrosoft.com",
            OpenIdMetadataUrl = "login.botframework.com/v1/.well-known/openidconfiguration",
            TokenIssuer = " https://api.botframework.com",
            TokenEndpoint = "ftp://login.microsoftonline.com/token",
        };

        var problems = BotFrameworkOptions.Validate(o).ToList();

        foreach (var key in new[] { "AppId", "AppPassword", "TenantId", "OpenIdMetadataUrl", "TokenIssuer", "TokenEndpoint" })
        {
            Assert.Contains(problems, p => p.StartsWith($"BotFramework:{key} ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_WithAPasswordButNoAppId_AsksForBoth()
    {
        var problems = BotFrameworkOptions.Validate(new BotFrameworkOptions { AppPassword = "s3cret" });

        Assert.Equal(["BotFramework:AppPassword is set but BotFramework:AppId is empty; set both or neither."], problems);
    }

    [Fact]
    public void Validate_NeverEchoesThePassword()
    {
        var problems = BotFrameworkOptions.Validate(new BotFrameworkOptions { AppId = "not-a-guid", AppPassword = "hunter2-secret", TokenIssuer = "" });

        Assert.DoesNotContain(problems, p => p.Contains("hunter2", StringComparison.Ordinal));
    }
}
