using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace TeamBot.Testing;

/// <summary>The web app every loopback fake runs on: Kestrel on 127.0.0.1 with a free port, quiet.</summary>
public static class Loopback
{
    public static WebApplication CreateApp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder.Build();
    }
}
