using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TeamBot.Testing.BotFramework;

/// <summary>
/// login.botframework.com on 127.0.0.1: the OpenID metadata at <c>/v1/.well-known/openidconfiguration</c> pointing to a
/// key set at <c>/v1/.well-known/keys</c> that holds the published <see cref="ChannelKey"/>s with their endorsements.
/// Counts the fetches, so tests can see caching and refresh limits.
/// </summary>
public sealed class FakeBotFrameworkKeys : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<ChannelKey> _published = [];
    private int _metadataFetches;
    private int _keySetFetches;

    private FakeBotFrameworkKeys(WebApplication app) => _app = app;

    /// <summary>The URL to configure as BotFramework:OpenIdMetadataUrl.</summary>
    public string MetadataUrl { get; private set; } = "";

    public int MetadataFetches => Volatile.Read(ref _metadataFetches);

    public int KeySetFetches => Volatile.Read(ref _keySetFetches);

    public static async Task<FakeBotFrameworkKeys> StartAsync()
    {
        var app = Loopback.CreateApp();
        var fake = new FakeBotFrameworkKeys(app);
        app.MapGet("/v1/.well-known/openidconfiguration", (HttpContext context) =>
        {
            Interlocked.Increment(ref fake._metadataFetches);
            var origin = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Text(new JsonObject
            {
                ["issuer"] = "https://api.botframework.com",
                ["authorization_endpoint"] = "https://invalid.botframework.com",
                ["jwks_uri"] = origin + "/v1/.well-known/keys",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
            }.ToJsonString(), "application/json");
        });
        app.MapGet("/v1/.well-known/keys", () =>
        {
            Interlocked.Increment(ref fake._keySetFetches);
            JsonArray keys;
            lock (fake._lock) keys = new JsonArray([.. fake._published.Select(k => (JsonNode)k.ToJwk())]);
            return Results.Text(new JsonObject { ["keys"] = keys }.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        fake.MetadataUrl = app.Urls.First().TrimEnd('/') + "/v1/.well-known/openidconfiguration";
        return fake;
    }

    /// <summary>Puts the key in the published set (a rotation, when the set was already fetched).</summary>
    public void Publish(ChannelKey key)
    {
        lock (_lock) _published.Add(key);
    }

    public void Withdraw(ChannelKey key)
    {
        lock (_lock) _published.Remove(key);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
