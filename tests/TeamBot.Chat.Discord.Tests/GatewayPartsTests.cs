using System.Text.Json;
using TeamBot.Chat.Discord.Gateway;
using TeamBot.Chat.Discord.Rest;
using TeamBot.Testing;

namespace TeamBot.Chat.Discord.Tests;

public sealed class GatewayPartsTests
{
    private static GatewayEvent? Decode(string type, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return GatewayEventDecoder.Decode(type, doc.RootElement);
    }

    [Fact]
    public void ReactionAdd_InAGuild_HasMemberRolesAndAUnicodeEmoji()
    {
        var e = (ReactionEvent)Decode("MESSAGE_REACTION_ADD", """
            {"user_id":"1","channel_id":"2","message_id":"3","guild_id":"4","member":{"roles":["50","51"],"user":{"id":"1"}},
             "emoji":{"id":null,"name":"🔥"},"message_author_id":"9","burst":false,"type":0}
            """)!;

        Assert.Equal(new ReactionEvent(true, 1, 2, 3, 4, new DiscordEmoji("🔥"), e.MemberRoles, 9, false, new DiscordUser(1, "")), e);
        Assert.Equal([50UL, 51UL], e.MemberRoles);
        Assert.False(e.Emoji.IsCustom);
    }

    [Fact]
    public void ReactionRemove_HasNoMember_AndACustomEmojiKeepsItsId()
    {
        var e = (ReactionEvent)Decode("MESSAGE_REACTION_REMOVE", """
            {"user_id":"1","channel_id":"2","message_id":"3","guild_id":"4","emoji":{"id":"777","name":"hot_lead","animated":true},"burst":false,"type":0}
            """)!;

        Assert.False(e.Added);
        Assert.Null(e.MemberRoles);
        Assert.Null(e.MessageAuthorId);
        Assert.Equal(new DiscordEmoji("hot_lead", 777, true), e.Emoji);
        Assert.True(e.Emoji.IsCustom);
    }

    [Fact]
    public void Reaction_WithADeletedCustomEmoji_HasANullName()
    {
        var e = (ReactionEvent)Decode("MESSAGE_REACTION_ADD", """{"user_id":"1","channel_id":"2","message_id":"3","emoji":{"id":"777","name":null}}""")!;

        Assert.Null(e.Emoji.Name);
        Assert.Equal(777UL, e.Emoji.Id);
        Assert.Null(e.GuildId);
    }

    [Fact]
    public void InteractionCreate_TakesTheUserFromMemberInGuildsAndFromUserInDms()
    {
        var guild = (InteractionCreatedEvent)Decode("INTERACTION_CREATE", """
            {"id":"1","token":"t","type":2,"application_id":"6","guild_id":"4","channel_id":"2","member":{"roles":["50"],"user":{"id":"8","username":"sam"}},"data":{"name":"leads"}}
            """)!;
        var dm = (InteractionCreatedEvent)Decode("INTERACTION_CREATE", """
            {"id":"1","token":"t","type":3,"application_id":"6","channel_id":"2","user":{"id":"9","username":"ana"},"data":{"custom_id":"claim:1"}}
            """)!;

        Assert.Equal((8UL, "sam", 2), (guild.User.Id, guild.User.Username, guild.Type));
        Assert.Equal([50UL], guild.MemberRoles);
        Assert.Equal("leads", guild.Data.GetProperty("name").GetString());
        Assert.Equal((9UL, "ana", 3), (dm.User.Id, dm.User.Username, dm.Type));
        Assert.Null(dm.MemberRoles);
    }

    [Fact]
    public void UnknownEvents_AreIgnored() => Assert.Null(Decode("GUILD_MEMBER_UPDATE", "{}"));

    [Fact]
    public void GuildCreate_GivesTheGuildsNameAndActiveThreads_AndMessageUpdate_IsAnEdit()
    {
        var guild = Assert.IsType<GuildAvailableEvent>(Decode("GUILD_CREATE", """{"id":"11","name":"Acme","threads":[{"id":"21"},{"id":"22"}]}"""));
        Assert.Equal((11UL, "Acme", false), (guild.Id, guild.Name, guild.Unavailable));
        Assert.Equal([21UL, 22UL], guild.ThreadIds);
        Assert.True(Assert.IsType<GuildAvailableEvent>(Decode("GUILD_CREATE", """{"id":"11","unavailable":true}""")).Unavailable);
        Assert.Equal(21UL, Assert.IsType<ThreadCreatedEvent>(Decode("THREAD_CREATE", """{"id":"21","guild_id":"11"}""")).Id);

        var edit = Assert.IsType<MessageCreatedEvent>(Decode("MESSAGE_UPDATE", """{"id":"5","channel_id":"21","guild_id":"11","author":{"id":"7","username":"sam"},"content":"new text"}"""));
        Assert.True(edit.Edited);
        Assert.Equal("new text", edit.Content);
        Assert.False(Assert.IsType<MessageCreatedEvent>(Decode("MESSAGE_CREATE", """{"id":"5","channel_id":"21","author":{"id":"7","username":"sam"},"content":"x"}""")).Edited);
    }

    [Fact]
    public void Ready_ListsTheShardsGuilds_OrNullWhenItHasNoList()
    {
        const string Session = """{"session_id":"s","resume_gateway_url":"wss://r","user":{"id":"5","username":"bot","bot":true},"application":{"id":"6"}""";
        var ready = Assert.IsType<ReadyEvent>(Decode("READY", Session + ""","guilds":[{"id":"11","unavailable":true},{"id":"12","unavailable":true}]}"""));
        Assert.Equal([11UL, 12UL], ready.GuildIds);
        Assert.Equal(6UL, ready.ApplicationId);
        Assert.Null(Assert.IsType<ReadyEvent>(Decode("READY", Session + "}")).GuildIds);
    }

    [Fact]
    public void GuildDelete_TellsARemovalFromAnOutage_AndThreadDelete_GivesTheThread()
    {
        Assert.Equal(new GuildGoneEvent(11, Unavailable: false), Decode("GUILD_DELETE", """{"id":"11"}"""));
        Assert.Equal(new GuildGoneEvent(11, Unavailable: true), Decode("GUILD_DELETE", """{"id":"11","unavailable":true}"""));
        Assert.Equal(new ThreadDeletedEvent(21), Decode("THREAD_DELETE", """{"id":"21","guild_id":"11","parent_id":"31","type":11}"""));
    }

    [Fact]
    public void SendLimiter_Holds120Per60Seconds_KeepingRoomForHeartbeats()
    {
        var clock = new ManualClock();
        var limiter = new GatewaySendLimiter(clock);

        for (var i = 0; i < 110; i++) Assert.Equal(TimeSpan.Zero, limiter.TryTake(heartbeat: false));
        Assert.True(limiter.TryTake(heartbeat: false) > TimeSpan.Zero);
        for (var i = 0; i < 10; i++) Assert.Equal(TimeSpan.Zero, limiter.TryTake(heartbeat: true));
        Assert.Equal(TimeSpan.FromSeconds(60), limiter.TryTake(heartbeat: true));

        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.Zero, limiter.TryTake(heartbeat: false));
    }

    [Fact]
    public void FramesOver4096Bytes_AreRefused()
    {
        GatewaySendLimiter.CheckSize(4096);
        Assert.Throws<ArgumentException>(() => GatewaySendLimiter.CheckSize(4097));
    }

    [Fact]
    public async Task IdentifyGate_HoldsWhileNoSessionStartsRemain()
    {
        var clock = new ManualTimeProvider();
        var gate = new IdentifyGate(clock);

        var wait = gate.WaitAsync(0, new SessionStartLimit(1000, 0, TimeSpan.FromMinutes(30), 1), CancellationToken.None);
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task IdentifyGate_StartsShardsInMaxConcurrencyBuckets5SecondsApart()
    {
        var clock = new ManualTimeProvider { AutoAdvance = true };
        var gate = new IdentifyGate(clock);
        var limit = new SessionStartLimit(1000, 900, TimeSpan.Zero, 2);
        var start = clock.GetUtcNow();
        var started = new List<(int Shard, TimeSpan At)>();

        for (var shard = 0; shard < 6; shard++)
        {
            await gate.WaitAsync(shard, limit, CancellationToken.None);
            started.Add((shard, clock.GetUtcNow() - start));
        }

        Assert.Equal([(0, TimeSpan.Zero), (1, TimeSpan.Zero), (2, TimeSpan.FromSeconds(5)), (3, TimeSpan.FromSeconds(5)), (4, TimeSpan.FromSeconds(10)), (5, TimeSpan.FromSeconds(10))], started);
    }
}
