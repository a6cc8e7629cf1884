using System.Buffers.Binary;
using System.Text.Json.Nodes;
using TeamBot.Core.Commands;

namespace TeamBot.Chat.BotFramework.Tests.Cards;

/// <summary>The Teams app in config/teams stays valid and in step with the command catalog.</summary>
public sealed class ManifestTests
{
    private const string Placeholder = "${{BOT_APP_ID}}";

    private static readonly string TeamsDir = Path.Combine(RepositoryRoot(), "config", "teams");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TeamBot.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("TeamBot.sln not found above " + AppContext.BaseDirectory);
    }

    private static JsonObject Manifest() => JsonNode.Parse(File.ReadAllText(Path.Combine(TeamsDir, "manifest.json")))!.AsObject();

    private static JsonObject Bot() => Manifest()["bots"]!.AsArray().Single()!.AsObject();

    [Fact]
    public void Manifest_IsJsonOfACurrentSchema_WithTheAppIdPlaceholderAsAppAndBotId()
    {
        var manifest = Manifest();

        Assert.Equal("1.17", (string?)manifest["manifestVersion"]);
        Assert.Contains("/v1.17/", (string?)manifest["$schema"], StringComparison.Ordinal);
        Assert.Equal(Placeholder, (string?)manifest["id"]);
        Assert.Equal(Placeholder, (string?)Bot()["botId"]);
        Assert.InRange(((string?)manifest["name"]!["short"])!.Length, 1, 30);
        Assert.InRange(((string?)manifest["description"]!["short"])!.Length, 1, 80);
        Assert.InRange(((string?)manifest["description"]!["full"])!.Length, 1, 4000);
    }

    [Fact]
    public void Bot_IsInstallableInTeamsAndPersonalChats_NotGroupChats_WithACommandListForEach()
    {
        var bot = Bot();

        // Group chats are not served: their members may come from outside the team whose data TeamBot would show.
        Assert.Equal(["team", "personal"], bot["scopes"]!.AsArray().Select(s => (string?)s));
        var listed = bot["commandLists"]!.AsArray().SelectMany(l => l!["scopes"]!.AsArray().Select(s => (string?)s)).Order();
        Assert.Equal(["personal", "team"], listed);
    }

    [Fact]
    public void CommandLists_HoldOnlyCatalogCommands_AtMostTenPerList_WithinTheTitleAndDescriptionLimits()
    {
        foreach (var list in Bot()["commandLists"]!.AsArray())
        {
            var commands = list!["commands"]!.AsArray();
            Assert.InRange(commands.Count, 1, 10);
            var titles = commands.Select(c => (string)c!["title"]!).ToList();
            Assert.Equal(titles.Count, titles.Distinct().Count());
            foreach (var command in commands)
            {
                var title = (string)command!["title"]!;
                var description = (string)command["description"]!;
                Assert.InRange(title.Length, 1, 32);
                Assert.InRange(description.Length, 1, 128);
                var words = title.Split(' ');
                Assert.InRange(words.Length, 1, 2);
                var spec = CommandCatalog.All.SingleOrDefault(c => c.Name == words[0] && c.Subcommand == (words.Length == 2 ? words[1] : null));
                Assert.True(spec is not null, $"'{title}' is not a command of the catalog");
                Assert.Equal(spec!.Description, description);
            }
        }
    }

    [Fact]
    public void CommandLists_EachOfferHelp()
    {
        Assert.All(Bot()["commandLists"]!.AsArray(), l => Assert.Contains(l!["commands"]!.AsArray(), c => (string?)c!["title"] == "help"));
    }

    [Theory]
    [InlineData("color", 192)]
    [InlineData("outline", 32)]
    public void Icons_ArePngsOfTheSizeTeamsAsksFor(string icon, int size)
    {
        var file = (string)Manifest()["icons"]![icon]!;
        var bytes = File.ReadAllBytes(Path.Combine(TeamsDir, file));

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4));
        var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4));
        Assert.Equal((size, size), (width, height));
    }

    [Fact]
    public void OutlineIcon_HasAnAlphaChannel_ForWhiteOnTransparent()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TeamsDir, "outline.png"));

        Assert.Equal(6, bytes[25]); // IHDR color type 6: RGBA
    }
}
