using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Workspaces;

namespace TeamBot.Host.Tests;

/// <summary>
/// The HTTP permission matrix: every route, asked with no key, a wrong key, another workspace's key and the right key.
/// Every refusal is a problem with its reason and changes nothing; the right key works; one workspace never sees another's data.
/// </summary>
public sealed class HttpPermissionTests
{
    internal const string OtherWorkspace = "acme";
    internal const string OtherKey = "acme-key-0123456789abcdef";
    private const string WrongKey = "wrong-key-0123456789abcdef";
    private const string Stranger = "evil.example";

    /// <summary>Who may use a route.</summary>
    internal enum Access
    {
        /// <summary>Anyone (health, a stylesheet).</summary>
        Public,

        /// <summary>The workspace's API key as a bearer header.</summary>
        WorkspaceKey,

        /// <summary>From this machine by an allowed name, or with the workspace's key.</summary>
        DigestPage,

        /// <summary>The local chat: from this machine by an allowed name, or with its access token when it has one.</summary>
        LocalChat,

        /// <summary>The local chat's sign-in form: anyone may try; only the token signs in.</summary>
        LocalLogin,

        /// <summary>A Bot Framework channel token, or (without an app id) a development tool on this machine.</summary>
        BotFramework,
    }

    internal sealed record Route(string Method, string Pattern, Access Access, Func<string, HttpRequestMessage> Request, HttpStatusCode Success);

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Json(HttpMethod method, string path, object body) =>
        new(method, path) { Content = JsonContent.Create(body) };

    /// <summary>Every route TeamBot serves. A new route fails <see cref="EveryRoute_IsInTheMatrix"/> until it is added here.</summary>
    internal static readonly Route[] Routes =
    [
        new("GET", "/healthz", Access.Public, _ => Get("/healthz"), HttpStatusCode.OK),
        new("POST", "/api/v1/workspaces/{workspace}/leads", Access.WorkspaceKey,
            w => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/workspaces/{w}/leads")
            {
                Content = new StringContent("""{"email":"matrix@acme.com","company":"Acme"}""", Encoding.UTF8, "application/json"),
            },
            HttpStatusCode.Accepted),
        new("GET", "/api/v1/workspaces/{workspace}/reports/lead-quality", Access.WorkspaceKey,
            w => Get($"/api/v1/workspaces/{w}/reports/lead-quality?period=7d&by=source"), HttpStatusCode.OK),
        new("GET", "/api/v1/workspaces/{workspace}/goals", Access.WorkspaceKey, w => Get($"/api/v1/workspaces/{w}/goals"), HttpStatusCode.OK),
        new("GET", "/api/v1/workspaces/{workspace}/digests/latest", Access.WorkspaceKey, w => Get($"/api/v1/workspaces/{w}/digests/latest"), HttpStatusCode.OK),
        new("GET", "/digest/digest.css", Access.Public, _ => Get("/digest/digest.css"), HttpStatusCode.OK),
        new("GET", "/digest/{workspace}/latest", Access.DigestPage, w => Get($"/digest/{w}/latest"), HttpStatusCode.OK),
        new("GET", "/login", Access.LocalLogin, _ => Get("/login"), HttpStatusCode.OK),
        new("POST", "/login", Access.LocalLogin,
            _ => new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new FormUrlEncodedContent([new("token", WrongKey)]) }, HttpStatusCode.OK),
        new("GET", "/", Access.LocalChat, _ => Get("/"), HttpStatusCode.OK),
        new("GET", "/app.js", Access.LocalChat, _ => Get("/app.js"), HttpStatusCode.OK),
        new("GET", "/app.css", Access.LocalChat, _ => Get("/app.css"), HttpStatusCode.OK),
        new("GET", "/favicon.ico", Access.LocalChat, _ => Get("/favicon.ico"), HttpStatusCode.NoContent),
        new("GET", "/api/local/config", Access.LocalChat, _ => Get("/api/local/config"), HttpStatusCode.OK),
        new("GET", "/api/local/people", Access.LocalChat, _ => Get("/api/local/people"), HttpStatusCode.OK),
        new("GET", "/api/local/channels", Access.LocalChat, _ => Get("/api/local/channels"), HttpStatusCode.OK),
        new("GET", "/api/local/channels/{channel}/messages", Access.LocalChat, _ => Get("/api/local/channels/general/messages"), HttpStatusCode.OK),
        new("POST", "/api/local/channels/{channel}/messages", Access.LocalChat,
            _ => Json(HttpMethod.Post, "/api/local/channels/general/messages", new { user = "maria", text = "hello" }), HttpStatusCode.Created),
        new("POST", "/api/local/messages/{id:long}/replies", Access.LocalChat,
            _ => Json(HttpMethod.Post, "/api/local/messages/1/replies", new { user = "maria", text = "a reply" }), HttpStatusCode.Created),
        new("PATCH", "/api/local/messages/{id:long}", Access.LocalChat,
            _ => Json(HttpMethod.Patch, "/api/local/messages/1", new { user = "maria", text = "hello again" }), HttpStatusCode.OK),
        new("PUT", "/api/local/messages/{id:long}/reactions/{emoji}", Access.LocalChat,
            _ => new HttpRequestMessage(HttpMethod.Put, "/api/local/messages/1/reactions/%F0%9F%91%8D?user=sam"), HttpStatusCode.OK),
        new("DELETE", "/api/local/messages/{id:long}/reactions/{emoji}", Access.LocalChat,
            _ => new HttpRequestMessage(HttpMethod.Delete, "/api/local/messages/1/reactions/%F0%9F%91%8D?user=sam"), HttpStatusCode.OK),
        new("POST", "/api/local/messages/{id:long}/actions", Access.LocalChat,
            _ => Json(HttpMethod.Post, "/api/local/messages/1/actions", new { user = "sam", action = "claim" }), HttpStatusCode.BadRequest),
        new("GET", "/api/local/events", Access.LocalChat, _ => Get("/api/local/events"), HttpStatusCode.OK),
        new("POST", "/api/messages", Access.BotFramework,
            _ => Json(HttpMethod.Post, "/api/messages", new { type = "message", channelId = "emulator", serviceUrl = "http://127.0.0.1:9/", text = "hi" }),
            HttpStatusCode.OK),
    ];

    [Fact]
    public async Task EveryRoute_IsInTheMatrix()
    {
        await using var host = await TestHost.StartAsync();

        var served = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal).ToList();
        var inMatrix = Routes.Select(r => $"{r.Method} {r.Pattern}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(inMatrix, served);
    }

    [Fact]
    public async Task WorkspaceApi_RefusesEveryoneButTheWorkspacesOwnKey_AndChangesNothing()
    {
        await using var host = await StartWithTwoWorkspacesAsync();
        var before = await SettledFingerprintAsync(host);

        foreach (var route in Routes.Where(r => r.Access is Access.WorkspaceKey or Access.DigestPage))
        {
            // The digest page is open on this machine: asked by another name, it is a key-only route like the others.
            var host2 = route.Access == Access.DigestPage ? Stranger : null;
            await Refused(host, route, "local", key: null, host2, route.Access == Access.DigestPage ? 403 : 401, "API key required", "Only from this machine");
            await Refused(host, route, "local", WrongKey, host2, route.Access == Access.DigestPage ? 403 : 401, "Invalid API key", "Only from this machine");
            await Refused(host, route, "local", OtherKey, host2, route.Access == Access.DigestPage ? 403 : 401, "Invalid API key", "Only from this machine");
            await Refused(host, route, OtherWorkspace, TestHost.ApiKey, host2, route.Access == Access.DigestPage ? 403 : 401, "Invalid API key", "Only from this machine");
            await Refused(host, route, "nobody", TestHost.ApiKey, host2, route.Access == Access.DigestPage ? 403 : 401, "Invalid API key", "Only from this machine");
        }
        Assert.Equal(before, await Fingerprint(host));

        foreach (var route in Routes.Where(r => r.Access is Access.WorkspaceKey or Access.DigestPage))
        {
            using var request = route.Request("local");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.ApiKey);
            if (route.Access == Access.DigestPage) request.Headers.Host = Stranger;
            var response = await host.Client.SendAsync(request);
            Assert.True(response.StatusCode == route.Success, $"{route.Method} {route.Pattern} with the right key: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Workspaces_NeverSeeEachOthersData()
    {
        await using var host = await StartWithTwoWorkspacesAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostLeadsAsync("""{"email":"only-local@acme.com","company":"Acme"}""")).StatusCode);
        await host.SayAsync("general", "alex", "/goal add name:\"Local goal\" metric:handoffs target:10 period:month");

        async Task<string> Read(string path, string workspace, string key)
        {
            using var request = Get($"/api/v1/workspaces/{workspace}/{path}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        static int Leads(string report) => JsonDocument.Parse(report).RootElement.GetProperty("total").GetProperty("leads").GetInt32();
        Assert.Equal(1, Leads(await Read("reports/lead-quality?period=7d", "local", TestHost.ApiKey)));
        Assert.Equal(0, Leads(await Read("reports/lead-quality?period=7d", OtherWorkspace, OtherKey)));
        Assert.Contains("Local goal", await Read("goals", "local", TestHost.ApiKey), StringComparison.Ordinal);
        Assert.DoesNotContain("Local goal", await Read("goals", OtherWorkspace, OtherKey), StringComparison.Ordinal);
        Assert.DoesNotContain("only-local@acme.com", await Read("digests/latest", OtherWorkspace, OtherKey), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalChat_WithoutAToken_AnswersOnlyThisMachineByAnAllowedName()
    {
        await using var host = await StartWithTwoWorkspacesAsync();
        await host.SayAsync("general", "maria", "the first message");
        var before = await SettledFingerprintAsync(host);

        foreach (var route in Routes.Where(r => r.Access == Access.LocalChat))
        {
            foreach (var key in new[] { null, WrongKey, OtherKey, TestHost.ApiKey })
            {
                await Refused(host, route, "local", key, Stranger, 403, "Only from this machine");
            }
        }
        // A change sent by another site's page is refused even on this machine.
        using (var crossSite = Json(HttpMethod.Post, "/api/local/channels/general/messages", new { user = "maria", text = "from elsewhere" }))
        {
            crossSite.Headers.Add("Origin", $"http://{Stranger}");
            await AssertProblem(await host.Client.SendAsync(crossSite), 403, "Cross-site request refused");
        }
        // Without an app id, /api/messages serves development tools on this machine only: not a forwarded request.
        using (var forwarded = Routes.Single(r => r.Access == Access.BotFramework).Request("local"))
        {
            forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
            await AssertProblem(await host.Client.SendAsync(forwarded), 401, "Authentication is not configured");
        }
        Assert.Equal(before, await Fingerprint(host));

        foreach (var route in Routes.Where(r => r.Access is Access.LocalChat or Access.Public or Access.LocalLogin))
        {
            using var request = route.Request("local");
            using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode == route.Success, $"{route.Method} {route.Pattern} from this machine: {(int)response.StatusCode}");
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LocalChat_WithAToken_RequiresItFromEveryone_AsABearerOrALogin()
    {
        const string token = "local-access-token-0123456789";
        await using var host = await StartWithTwoWorkspacesAsync(s => s["Local:AccessToken"] = token);
        var before = await SettledFingerprintAsync(host);

        foreach (var route in Routes.Where(r => r.Access == Access.LocalChat && r.Pattern != "/"))
        {
            foreach (var key in new[] { null, WrongKey, OtherKey, TestHost.ApiKey })
            {
                await Refused(host, route, "local", key, hostName: null, 401, "Login required");
            }
        }
        using (var handler = new HttpClientHandler { AllowAutoRedirect = false })
        using (var browser = new HttpClient(handler) { BaseAddress = host.Client.BaseAddress })
        {
            var page = await browser.GetAsync("/");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/login", page.Headers.Location!.OriginalString);
            Assert.Contains("<form method=\"post\" action=\"/login\">", await browser.GetStringAsync("/login"), StringComparison.Ordinal);
            var wrong = await browser.PostAsync("/login", new FormUrlEncodedContent([new("token", WrongKey)]));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("That is not the local chat's access token.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.False(wrong.Headers.Contains("Set-Cookie"));
        }
        Assert.Equal(before, await Fingerprint(host));

        // The token as a bearer header opens every route...
        foreach (var route in Routes.Where(r => r.Access == Access.LocalChat))
        {
            using var request = route.Request("local");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode == route.Success, $"{route.Method} {route.Pattern} with the token: {(int)response.StatusCode}");
        }
        // ...and so does the login cookie, which does not carry the token itself.
        var cookies = new CookieContainer();
        using var signedIn = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.Client.BaseAddress };
        var login = await signedIn.PostAsync("/login", new FormUrlEncodedContent([new("token", token)]));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("<script src=\"/app.js\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var cookie = cookies.GetAllCookies().Single();
        Assert.True(cookie.HttpOnly);
        Assert.DoesNotContain(token, cookie.Value, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/local/config")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/digest/local/latest")).StatusCode);
        // The local login opens the local workspace's digest, not another workspace's.
        await AssertProblem(await signedIn.GetAsync($"/digest/{OtherWorkspace}/latest"), 403, "Only from this machine");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://localhost:5080;http://[::1]:5080", false)]
    [InlineData("http://0.0.0.0:5080", true)]
    [InlineData("http://127.0.0.1:5080;http://192.168.1.20:5080", true)]
    [InlineData("http://*:5080", true)]
    [InlineData("http://+:5080", true)]
    public void LocalChat_AsksForATokenWhenTeamBotListensBeyondLoopback(string? urls, bool beyond)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();

        Assert.Equal(beyond, Composition.Startup.ListensBeyondLoopback(configuration));
    }

    [Fact]
    public async Task ListeningBeyondLoopbackWithoutAToken_GeneratesOneIntoTheDataDirectory_AndKeepsIt()
    {
        var directory = Path.Combine(Path.GetTempPath(), "teambot-host-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string? first = null;
            for (var run = 0; run < 2; run++)
            {
                // Built and prepared, never started: nothing listens on 0.0.0.0.
                await using var app = Composition.TeamBotHost.BuildServer(["--urls", "http://0.0.0.0:0", "--contentRoot", directory],
                    builder => builder.Configuration.AddInMemoryCollection(TestHost.DefaultSettings()));
                await Composition.TeamBotHost.InitializeAsync(app.Services, CancellationToken.None);

                var access = app.Services.GetRequiredService<Chat.Local.LocalChatAccess>();
                var file = Path.Combine(directory, "data", Composition.Startup.LocalAccessTokenFile);
                var token = (await File.ReadAllTextAsync(file)).Trim();
                Assert.True(access.TokenRequired);
                Assert.True(access.IsToken(token));
                if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                Assert.Equal(first ?? token, token);
                first = token;
                SqliteConnection.ClearAllPools();
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A host with the local workspace and a second one, <see cref="OtherWorkspace"/>, with its own key.</summary>
    internal static async Task<TestHost> StartWithTwoWorkspacesAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var host = await TestHost.StartAsync(s =>
        {
            s["Calendar:WorkWeek"] = "Mon-Sun";
            configure?.Invoke(s);
        });
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkspaceSetup>().EnsureAsync(
            new Workspace(OtherWorkspace, "test", "Acme", "UTC", new WorkspacePlaces("h", "m", "g")), CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<IWorkspaceStore>().SetApiKeyHashAsync(OtherWorkspace, ApiKeys.Hash(OtherKey), CancellationToken.None);
        return host;
    }

    private static async Task Refused(TestHost host, Route route, string workspace, string? key, string? hostName, int status, params string[] titles)
    {
        using var request = route.Request(workspace);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (hostName is not null) request.Headers.Host = hostName;
        var response = await host.Client.SendAsync(request);
        var what = $"{route.Method} {route.Pattern} on {workspace} with {(key is null ? "no key" : key == TestHost.ApiKey ? "local's key" : key)} as {hostName ?? "127.0.0.1"}";
        await AssertProblem(response, status, titles, what);
    }

    private static Task AssertProblem(HttpResponseMessage response, int status, string title) => AssertProblem(response, status, [title], "");

    private static async Task AssertProblem(HttpResponseMessage response, int status, string[] titles, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{what}: expected {status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        var title = problem.RootElement.GetProperty("title").GetString();
        Assert.True(titles.Contains(title), $"{what}: title '{title}' is not one of {string.Join(", ", titles)}");
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()), $"{what}: no reason given");
    }

    /// <summary>The fingerprint once the bot's background work (posting, recording posts) has settled.</summary>
    internal static async Task<string> SettledFingerprintAsync(TestHost host, params string[] files)
    {
        var last = await Fingerprint(host, files);
        for (var i = 0; i < 60; i++)
        {
            await Task.Delay(300);
            var now = await Fingerprint(host, files);
            if (now == last) return now;
            last = now;
        }
        Assert.Fail("The bot's data kept changing for 18 seconds.");
        return last;
    }

    /// <summary>The row count of every table of TeamBot's database and the local chat's (the scheduler's own tables aside).</summary>
    internal static async Task<string> Fingerprint(TestHost host, params string[] files)
    {
        var counts = new List<string>();
        foreach (var file in files.Length > 0 ? files : ["teambot.db", "localchat.db"])
        {
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, file)};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'qrtz_%' AND name NOT LIKE 'sqlite_%' ORDER BY name";
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
            }
            foreach (var table in tables)
            {
                await using var count = connection.CreateCommand();
                count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                counts.Add($"{file}:{table}={await count.ExecuteScalarAsync()}");
            }
        }
        return string.Join('\n', counts);
    }
}
