using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using TotService.Authentication;
using TotService.Configuration;
using TotService.Diagnostics;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Authentication;

/// <summary>
/// A request with an unknown <c>kid</c> knows whether a key fetch is coming: the configuration manager announces the
/// fetch it queues before the thread pool runs it, and announces nothing when its refresh limit refuses one.
/// </summary>
public sealed class KeyServiceSigningKeysTests : IDisposable
{
    private readonly JwksStub _jwks = new();
    private readonly TestSigningKey _first = new();
    private readonly TestSigningKey _rotated = new();
    private readonly ServiceProvider _services;
    private readonly KeyServiceJwksRetriever _retriever;
    private readonly KeyServiceSigningKeys _manager;

    public KeyServiceSigningKeysTests()
    {
        var services = new ServiceCollection().AddMetrics();
        services.AddHttpClient(KeyServiceJwksRetriever.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _jwks);
        _services = services.BuildServiceProvider();
        var options = Options.Create(new TotServiceOptions { Authority = new Uri("http://keyservice"), Issuer = "http://issuer" });
        _retriever = new KeyServiceJwksRetriever(
            _services.GetRequiredService<IHttpClientFactory>(), options, new TotServiceMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            TimeProvider.System, NullLogger<KeyServiceJwksRetriever>.Instance);
        _manager = new KeyServiceSigningKeys(_retriever) { RefreshInterval = TimeSpan.FromSeconds(1) };
        _jwks.Publish(_first);
    }

    [Fact]
    public async Task A_request_waits_for_an_announced_fetch_however_late_the_thread_pool_starts_it()
    {
        await _manager.GetConfigurationAsync(TestContext.Current.CancellationToken);
        _jwks.Publish(_rotated);

        _retriever.FetchRequested(); // what the manager does before it queues the fetch
        var waiting = _retriever.WaitForKeyAsync(Parameters(), _rotated.KeyId);
        // Longer than any guess of when a queued fetch starts: the request must still be waiting, not refused.
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted, "the request gave up before the announced fetch ran");

        _manager.RequestRefresh();

        Assert.True(await waiting.WaitAsync(TestSettings.Timeout, TestContext.Current.CancellationToken));
        Assert.True(await PublishedSigningKeys.ContainAsync(Parameters(), _rotated.KeyId));
        Assert.Equal(2, _jwks.Requests);
    }

    [Fact]
    public async Task RequestRefresh_announces_the_fetch_it_queues_and_a_refused_one_announces_nothing()
    {
        await _manager.GetConfigurationAsync(TestContext.Current.CancellationToken);
        _jwks.Hold();

        _manager.RequestRefresh();
        Assert.True(_retriever.FetchExpected, "the queued fetch was not announced");

        _jwks.Release();
        await Eventually.UntilAsync(() => !_retriever.FetchExpected, TestSettings.Timeout, "the announced fetch to end",
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, _jwks.Requests);

        _manager.RequestRefresh(); // within the 1 s refresh interval: refused
        Assert.False(_retriever.FetchExpected, "a refused refresh was announced");
        var clock = Stopwatch.StartNew();
        Assert.False(await _retriever.WaitForKeyAsync(Parameters(), "unknown-kid"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"a refused refresh kept the request waiting {clock.ElapsedMilliseconds} ms");
        Assert.Equal(2, _jwks.Requests);
    }

    private TokenValidationParameters Parameters() => new() { ConfigurationManager = _manager };

    public void Dispose()
    {
        _services.Dispose();
        _first.Dispose();
        _rotated.Dispose();
    }

    /// <summary>KeyService's JWKS endpoint: the published keys, and a switch that holds answers back.</summary>
    private sealed class JwksStub : HttpMessageHandler
    {
        private readonly List<TestSigningKey> _keys = [];
        private TaskCompletionSource _open = Open();
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public void Publish(TestSigningKey key)
        {
            lock (_keys)
            {
                _keys.Add(key);
            }
        }

        public void Hold() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _open.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            await _open.Task.WaitAsync(cancellationToken);
            string json;
            lock (_keys)
            {
                json = JsonSerializer.Serialize(new { keys = _keys.Select(key => key.PublicJwk()).ToList() });
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }
}
