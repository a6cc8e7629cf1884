using System.Reflection;

namespace TeamBot.Host.Tests;

/// <summary>The dependency rules of STYLE.md: Core stands alone; adapters depend on Core only; Data knows no platform.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(TeamBot.Core.Chat.ChatInbox).Assembly;
    private static readonly Assembly Data = typeof(TeamBot.Data.TeamBotDbContext).Assembly;
    private static readonly Assembly Local = typeof(TeamBot.Chat.Local.LocalChatPlatform).Assembly;
    private static readonly Assembly Discord = typeof(TeamBot.Chat.Discord.DiscordOptions).Assembly;
    private static readonly Assembly BotFramework = typeof(TeamBot.Chat.BotFramework.BotFrameworkOptions).Assembly;

    [Fact]
    public void Core_ReferencesOnlyTheBclHumanizerAndAbstractions()
    {
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references, name => Assert.True(
            name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard" || name == "Humanizer"
            || (name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && name.EndsWith(".Abstractions", StringComparison.Ordinal)),
            $"TeamBot.Core must not reference {name}"));
    }

    [Fact]
    public void ChatAdapters_DependOnCoreOnly_NotOnDataOrEachOther()
    {
        foreach (var adapter in new[] { Local, Discord, BotFramework })
        {
            // Core at most: the compiler drops a reference that no code uses yet (the Discord protocol layer needs none).
            var references = adapter.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("TeamBot", StringComparison.Ordinal)).ToList();
            Assert.All(references, name => Assert.Equal("TeamBot.Core", name));
        }
    }

    [Fact]
    public void Data_KnowsNoChatPlatform()
    {
        var references = Data.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("TeamBot", StringComparison.Ordinal)).ToList();

        Assert.Equal(["TeamBot.Core"], references);
    }
}
