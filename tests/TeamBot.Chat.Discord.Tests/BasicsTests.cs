using System.Globalization;

namespace TeamBot.Chat.Discord.Tests;

public sealed class BasicsTests
{
    [Fact]
    public void Intents_AreTheFourTeamBotNeeds_PlusMessageContentOnlyWhenConfigured()
    {
        Assert.Equal(5633, (int)TeamBotIntents.For(messageContent: false));
        Assert.Equal(38401, (int)TeamBotIntents.For(messageContent: true));
    }

    [Fact]
    public void Snowflake_GivesItsCreationTime()
    {
        Assert.Equal(DateTimeOffset.Parse("2016-04-30T11:18:25.796Z", CultureInfo.InvariantCulture), Snowflake.Timestamp(175928847299117063));
        Assert.Equal(175928847298985984UL, Snowflake.AtTime(Snowflake.Timestamp(175928847299117063)));
    }

    [Theory]
    [InlineData(175928847299117063UL, 1, 0)]
    [InlineData(175928847299117063UL, 2, 0)] // 41944705796 is even
    [InlineData(175928847299117063UL, 3, 2)] // 41944705796 % 3
    [InlineData(175928847299117063UL, 16, 4)] // 41944705796 % 16
    public void ShardFor_IsTheTimestampPartModuloTheShardCount(ulong guildId, int shards, int expected)
    {
        Assert.Equal(41944705796UL, guildId >> 22);
        Assert.Equal(expected, Snowflake.ShardFor(guildId, shards));
    }

    [Fact]
    public void Options_Defaults_AreValidAndOffWithoutAToken()
    {
        var options = new DiscordOptions();

        Assert.Empty(DiscordOptions.Validate(options));
        Assert.False(options.Enabled);
        Assert.Equal("https://discord.com/api/v10", options.ApiBaseUrl);
        Assert.Null(options.GatewayUrl);
        Assert.Null(options.ShardCount);
        Assert.False(options.MessageContent);
    }

    [Fact]
    public void Options_Problems_NameTheirKeys()
    {
        var problems = DiscordOptions.Validate(new DiscordOptions
        {
            Token = "Bot abc",
            ApiBaseUrl = "https://discord.com/api",
            GatewayUrl = "https://gateway.discord.gg",
            ShardCount = 0,
        }).ToList();

        Assert.Collection(problems,
            p => Assert.StartsWith("Discord:Token", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Discord:Token", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Discord:ApiBaseUrl", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Discord:GatewayUrl", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Discord:ShardCount", p, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("abc", StringComparison.Ordinal));
    }
}
