using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TeamBot.Benchmarks;

/// <summary>What the load generator is asked to do.</summary>
/// <param name="Url">The host's base URL.</param>
/// <param name="Path">The route to POST to.</param>
/// <param name="ApiKey">The workspace's webhook key (sent as a Bearer token).</param>
/// <param name="Concurrency">Senders, each with one request in flight at a time.</param>
/// <param name="LeadsPerRequest">1 for single-lead requests, 100 for batches.</param>
/// <param name="WarmupSeconds">Sent but not counted.</param>
/// <param name="Seconds">Counted.</param>
/// <param name="RatePerSecond">0: as fast as the host answers; otherwise requests are started at this total rate.</param>
/// <param name="Tag">Makes every lead's email unique across runs on the same store.</param>
internal sealed record LoadPlan(string Url, string Path, string ApiKey, int Concurrency, int LeadsPerRequest, double WarmupSeconds, double Seconds,
    double RatePerSecond, string Tag)
{
    /// <summary>When set, requests take these routes in turn instead of <see cref="Path"/> (e.g. one per workspace).</summary>
    public IReadOnlyList<string>? Paths { get; init; }
}

/// <summary>What the load generator measured: counted requests only, latencies in milliseconds.</summary>
internal sealed record LoadResult(long Requests, long Leads, long Failures, double Seconds, double P50, double P95, double P99, double Max,
    IReadOnlyDictionary<int, long> Statuses)
{
    public double LeadsPerSecond => Leads / Seconds;

    public double RequestsPerSecond => Requests / Seconds;
}

/// <summary>
/// The load-generating process: <see cref="LoadPlan.Concurrency"/> senders over pooled keep-alive connections, each
/// sending the next request when its last one was answered (or on a fixed schedule), timing every answer.
/// </summary>
internal static class LoadGenerator
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(string encodedPlan)
    {
        var plan = JsonSerializer.Deserialize<LoadPlan>(Convert.FromBase64String(encodedPlan), Json)!;
        var result = await RunAsync(plan);
        Console.WriteLine(JsonSerializer.Serialize(result, Json));
        return 0;
    }

    private static async Task<LoadResult> RunAsync(LoadPlan plan)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = plan.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            BaseAddress = new Uri(plan.Url),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var clock = Stopwatch.StartNew();
        var warmupEnds = TimeSpan.FromSeconds(plan.WarmupSeconds);
        var ends = warmupEnds + TimeSpan.FromSeconds(plan.Seconds);
        var perSender = new List<(long Ticks, int Status)>[plan.Concurrency];
        long sequence = 0;
        var interval = plan.RatePerSecond > 0 ? TimeSpan.FromSeconds(plan.Concurrency / plan.RatePerSecond) : TimeSpan.Zero;

        async Task SendAsync(int sender)
        {
            var samples = perSender[sender] = new List<(long, int)>(1 << 16);
            var next = clock.Elapsed + (interval * sender / plan.Concurrency);
            while (clock.Elapsed < ends)
            {
                if (interval > TimeSpan.Zero)
                {
                    var wait = next - clock.Elapsed;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait);
                    next += interval;
                }
                var first = Interlocked.Add(ref sequence, plan.LeadsPerRequest) - plan.LeadsPerRequest;
                var body = Body(plan, first);
                var path = plan.Paths is { Count: > 0 } paths ? paths[(int)(first / plan.LeadsPerRequest % paths.Count)] : plan.Path;
                using var request = new HttpRequestMessage(HttpMethod.Post, path)
                {
                    Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", plan.ApiKey);
                var started = clock.Elapsed;
                int status;
                try
                {
                    using var response = await http.SendAsync(request);
                    await response.Content.LoadIntoBufferAsync();
                    status = (int)response.StatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }
                var took = clock.Elapsed - started;
                if (started >= warmupEnds && clock.Elapsed <= ends) samples.Add((took.Ticks, status));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, plan.Concurrency).Select(i => Task.Run(() => SendAsync(i))));

        var all = perSender.SelectMany(s => s).ToList();
        var ok = all.Where(s => s.Status == 202).Select(s => TimeSpan.FromTicks(s.Ticks).TotalMilliseconds).Order().ToArray();
        return new LoadResult(
            all.Count,
            (long)ok.Length * plan.LeadsPerRequest,
            all.Count - ok.Length,
            plan.Seconds,
            Percentile(ok, 0.50), Percentile(ok, 0.95), Percentile(ok, 0.99), ok.Length == 0 ? 0 : ok[^1],
            all.GroupBy(s => s.Status).ToDictionary(g => g.Key, g => (long)g.Count()));
    }

    /// <summary>A webhook body of realistic leads: unique emails, 50 sources, 200 campaigns, a few segments.</summary>
    public static byte[] Body(LoadPlan plan, long first)
    {
        var builder = new StringBuilder(plan.LeadsPerRequest * 260);
        builder.Append("{\"leads\":[");
        for (var i = 0; i < plan.LeadsPerRequest; i++)
        {
            var n = first + i;
            if (i > 0) builder.Append(',');
            builder.Append("{\"email\":\"lead").Append(n).Append('.').Append(plan.Tag).Append("@example.com\",")
                .Append("\"firstName\":\"Lead\",\"lastName\":\"Number ").Append(n).Append("\",")
                .Append("\"company\":\"Company ").Append(n % 5000).Append("\",")
                .Append("\"title\":\"Head of Operations\",")
                .Append("\"source\":\"source-").Append(n % 50).Append("\",")
                .Append("\"campaign\":\"campaign-").Append(n % 200).Append("\",")
                .Append("\"segment\":\"").Append((n % 3) switch { 0 => "smb", 1 => "mid-market", _ => "enterprise" }).Append("\",")
                .Append("\"country\":\"DE\",\"score\":").Append(n % 100).Append('}');
        }
        builder.Append("]}");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
