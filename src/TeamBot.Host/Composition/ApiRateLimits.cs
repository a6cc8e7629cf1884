using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace TeamBot.Host.Composition;

/// <summary>
/// Per-key rate limits on the workspace API (<c>RateLimits</c>): a token bucket for each API key, or for each remote
/// address when a request has no key. Over the limit, 429 with <c>Retry-After</c> and a problem; nothing is read or stored.
/// </summary>
internal static class ApiRateLimits
{
    public const string PerKey = "per-key";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.AddPolicy(PerKey, Partition);
        });

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<RateLimitOptions>();
        if (options.PerKeyPerSecond <= 0) return RateLimitPartition.GetNoLimiter("off");
        return RateLimitPartition.GetTokenBucketLimiter(Caller(context), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = options.PerKeyPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The key's hash (the key itself is never kept), or the remote address for a request without a key.</summary>
    private static string Caller(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7)
        {
            return "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())));
        }
        return "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var options = context.RequestServices.GetRequiredService<RateLimitOptions>();
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This API key (or, without a key, this address) may send {options.PerKeyPerSecond:N0} requests per second " +
                         $"with bursts of {options.Burst:N0} (RateLimits:PerKeyPerSecond, RateLimits:Burst). Retry after {retryAfter} s; nothing was stored.",
            },
        });
    }
}
