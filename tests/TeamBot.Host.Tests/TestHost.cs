using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Tests;

/// <summary>
/// The real TeamBot web host on a free loopback port, with its own data folder. Stopping keeps the folder,
/// so a test can restart the bot on the same data.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string ApiKey = "test-key-0123456789abcdef";

    private WebApplication? _app;

    private TestHost(string directory, Dictionary<string, string?> settings)
    {
        Directory = directory;
        Settings = settings;
    }

    public string Directory { get; }

    public Dictionary<string, string?> Settings { get; }

    public HttpClient Client { get; private set; } = null!;

    /// <summary>When set, the bot's clock (Quartz still runs on the real one: tests fire its jobs by hand).</summary>
    public TimeProvider? Clock { get; init; }

    public IServiceProvider Services => _app!.Services;

    /// <summary>Replaces or adds services after TeamBot's own (e.g. a faster interaction deadline).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>Four people: Maria (marketing), Sam and Ana (sales), Alex (admin and sales).</summary>
    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["TEAMBOT_LOCAL_API_KEY"] = ApiKey,
        ["Local:TimeZone"] = "Europe/Berlin",
        ["Local:PostsPerSecond"] = "1000",
        // Tests run at any hour of any day: SLA timers count every minute unless a test says otherwise.
        ["Routing:SlaClock"] = "Always",
        ["Local:People:0:Id"] = "maria",
        ["Local:People:0:Name"] = "Maria Lopez",
        ["Local:People:0:Roles:0"] = "marketing",
        ["Local:People:1:Id"] = "sam",
        ["Local:People:1:Name"] = "Sam Carter",
        ["Local:People:1:Roles:0"] = "sales",
        ["Local:People:2:Id"] = "ana",
        ["Local:People:2:Name"] = "Ana Silva",
        ["Local:People:2:Roles:0"] = "sales",
        ["Local:People:3:Id"] = "alex",
        ["Local:People:3:Name"] = "Alex Kim",
        ["Local:People:3:Roles:0"] = "admin",
        ["Local:People:3:Roles:1"] = "sales",
    };

    public static async Task<TestHost> StartAsync(Action<Dictionary<string, string?>>? configure = null, TimeProvider? clock = null, Action<IServiceCollection>? services = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "teambot-host-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var settings = DefaultSettings();
        configure?.Invoke(settings);
        var host = new TestHost(directory, settings) { Clock = clock, ConfigureServices = services };
        await host.StartAgainAsync();
        return host;
    }

    /// <summary>Builds the host from the current settings and waits until /healthz says it is ready.</summary>
    public async Task StartAgainAsync()
    {
        _app = TeamBotHost.BuildServer(["--urls", "http://127.0.0.1:0", "--contentRoot", Directory],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(Settings);
                if (Clock is not null) builder.Services.AddSingleton(Clock);
                ConfigureServices?.Invoke(builder.Services);
            });
        await TeamBotHost.InitializeAsync(_app.Services, CancellationToken.None);
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.TrueAsync(async () => (await Client.GetAsync("/healthz")).IsSuccessStatusCode, "the host reports healthy");
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
        SqliteConnection.ClearAllPools();
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder's own clean-up.
        }
    }

    // ---- the workspace API ----

    public Task<HttpResponseMessage> PostLeadsAsync(string json, string? key = ApiKey, string workspace = "local", Action<HttpRequestMessage>? tweak = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/workspaces/{workspace}/leads")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        tweak?.Invoke(request);
        return Client.SendAsync(request);
    }

    public async Task<JsonElement> GetReportAsync(string query = "period=7d&by=source")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/workspaces/local/reports/lead-quality?{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var response = await Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    // ---- the local chat API ----

    public async Task<JsonElement[]> MessagesAsync(string channel = "handoffs")
    {
        var body = await Client.GetFromJsonAsync<JsonElement>($"/api/local/channels/{Uri.EscapeDataString(channel)}/messages");
        return body.GetProperty("messages").EnumerateArray().ToArray();
    }

    public async Task<JsonElement> SayAsync(string channel, string user, string text)
    {
        var response = await Client.PostAsJsonAsync($"/api/local/channels/{Uri.EscapeDataString(channel)}/messages", new { user, text });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> ReplyAsync(string messageId, string user, string text)
    {
        var response = await Client.PostAsJsonAsync($"/api/local/messages/{messageId}/replies", new { user, text });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> EditAsync(string messageId, string user, string text)
    {
        var response = await Client.PatchAsJsonAsync($"/api/local/messages/{messageId}", new { user, text });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> ReactAsync(string messageId, string emoji, string user, bool add = true)
    {
        var path = $"/api/local/messages/{messageId}/reactions/{Uri.EscapeDataString(emoji)}?user={user}";
        var response = add ? await Client.PutAsync(path, null) : await Client.DeleteAsync(path);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> ActAsync(string messageId, string user, string action, string? value = null)
    {
        var response = await Client.PostAsJsonAsync($"/api/local/messages/{messageId}/actions", new { user, action, value });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>One value read straight from the bot's database (teambot.db, read-only, beside the running bot).</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "teambot.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The handoff card messages in #handoffs, by lead number.</summary>
    public Task<Dictionary<long, JsonElement>> HandoffCardsAsync() => HandoffCardsAsync(Client);

    /// <summary>The handoff cards in #handoffs of the bot behind <paramref name="client"/>; a lead posted twice fails the test.</summary>
    public static async Task<Dictionary<long, JsonElement>> HandoffCardsAsync(HttpClient client)
    {
        var body = await client.GetFromJsonAsync<JsonElement>("/api/local/channels/handoffs/messages");
        var cards = new Dictionary<long, JsonElement>();
        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            if (message.GetProperty("card").ValueKind != JsonValueKind.Object) continue;
            var footer = message.GetProperty("card").GetProperty("footer").GetString() ?? "";
            if (!footer.StartsWith("Lead #", StringComparison.Ordinal)) continue;
            var id = long.Parse(footer[6..footer.IndexOf(' ', 6)], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(cards.TryAdd(id, message), $"lead {id} was posted twice");
        }
        return cards;
    }

    public static string? Field(JsonElement message, string name) =>
        message.GetProperty("card").GetProperty("fields").EnumerateArray()
            .Where(f => f.GetProperty("name").GetString() == name)
            .Select(f => f.GetProperty("value").GetString())
            .FirstOrDefault();
}

/// <summary>Waits for something the bot does in the background, polling instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    public static async Task<JsonElement> ElementAsync(Func<Task<JsonElement?>> read, string what, TimeSpan? timeout = null)
    {
        JsonElement? value = null;
        await TrueAsync(async () => (value = await read()) is not null, what, timeout);
        return value!.Value;
    }

    /// <summary>Waits until <paramref name="read"/> finds something, and returns it.</summary>
    public static async Task<T> FoundAsync<T>(Func<T?> read, string what, TimeSpan? timeout = null) where T : class
    {
        T? found = null;
        await TrueAsync(() => Task.FromResult((found = read()) is not null), what, timeout);
        return found!;
    }
}
