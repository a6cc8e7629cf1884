using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TeamBot.Host.Tests;

/// <summary>Rate limits per API key: over the limit, 429 with Retry-After and a problem, and nothing stored; other keys go on.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task OverTheLimit_OneKeyGets429WithRetryAfter_WhileAnotherKeyIsServed()
    {
        await using var host = await HttpPermissionTests.StartWithTwoWorkspacesAsync(s =>
        {
            s["RateLimits:PerKeyPerSecond"] = "1";
            s["RateLimits:Burst"] = "2";
        });
        Task<HttpResponseMessage> Report(string workspace, string? key)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/workspaces/{workspace}/reports/lead-quality?period=7d");
            if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return host.Client.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.OK, (await Report("local", TestHost.ApiKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Report("local", TestHost.ApiKey)).StatusCode);
        var before = await HttpPermissionTests.Fingerprint(host);
        var limited = await host.PostLeadsAsync("""{"email":"too-fast@acme.com"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
        Assert.Equal("Too many requests", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains("RateLimits:PerKeyPerSecond", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestHost.ApiKey, await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await HttpPermissionTests.Fingerprint(host));

        // Another workspace's key has its own allowance; requests without a key are counted per address.
        Assert.Equal(HttpStatusCode.OK, (await Report(HttpPermissionTests.OtherWorkspace, HttpPermissionTests.OtherKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Report("local", null)).StatusCode);
    }

    [Fact]
    public async Task ByDefault_ABurstOnOneKeyIsNotThrottled()
    {
        await using var host = await TestHost.StartAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/workspaces/local/goals");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.ApiKey);
            return (await host.Client.SendAsync(request)).StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
    }
}
