using System.Diagnostics.Metrics;
using KeyService.Apis;
using KeyService.Diagnostics;
using KeyService.Keys;
using KeyService.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KeyService.Tests.Apis;

/// <summary>
/// A replica that has not read the key ring yet answers 503, not an empty key set: validators would take "no keys" as
/// the truth and refuse valid tokens (found by the resilience suite during a KeyService restart).
/// </summary>
public sealed class JwksReadinessTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public async Task Before_the_ring_is_read_the_answer_is_503_not_an_empty_set_and_after_it_the_set_is_served()
    {
        var cache = new KeyRingCache();
        var responder = new JwksResponder(cache, Microsoft.Extensions.Options.Options.Create(new KeyServiceOptions()),
            new KeyServiceMetrics(_services.GetRequiredService<IMeterFactory>()));

        var notReady = await GetAsync(responder);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, notReady.Response.StatusCode);
        Assert.Equal("1", notReady.Response.Headers.RetryAfter.ToString());
        Assert.Equal("no-store", notReady.Response.Headers.CacheControl.ToString());
        Assert.Equal(0, notReady.Response.Body.Length);

        // Read, and genuinely empty (before the first key is created): an empty set, not to be cached.
        cache.Update(KeyRing.Empty, [1, 2, 3]);
        var empty = await GetAsync(responder);
        Assert.Equal(StatusCodes.Status200OK, empty.Response.StatusCode);
        Assert.Equal("no-store", empty.Response.Headers.CacheControl.ToString());
        Assert.Contains("\"keys\":[]", System.Text.Encoding.UTF8.GetString(((MemoryStream)empty.Response.Body).ToArray()), StringComparison.Ordinal);
    }

    private static async Task<HttpContext> GetAsync(JwksResponder responder)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Response.Body = new MemoryStream();
        await responder.WriteAsync(context);
        return context;
    }

    public void Dispose() => _services.Dispose();
}
