using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Authentication;

/// <summary>
/// KeyService runs as several replicas behind service discovery. A replica that is down or has not read its key ring
/// yet must not cost a valid token: each retry of a JWKS fetch goes to the next replica. Found by the resilience
/// suite, where every retry went to the same restarting replica and a token of a freshly activated key was refused.
/// </summary>
public sealed class KeyServiceReplicaFailoverTests : IAsyncLifetime
{
    /// <summary>ConfigurationManager's shortest refresh interval, so that several rotations fit in a test.</summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longer than a failed fetch with its retries takes, even on a busy machine: otherwise the refusal of the token
    /// would be allowed to ask for one more fetch, and the count of attempts would include it.
    /// </summary>
    private static readonly TimeSpan CountingRefreshInterval = TimeSpan.FromSeconds(1.5);

    private readonly TestSigningKey _key = new();
    private readonly List<TestSigningKey> _rotatedKeys = [];
    private FakeAuthorizationServer _first = null!;
    private FakeAuthorizationServer _second = null!;
    private TotServiceTestHost? _host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _first = await FakeAuthorizationServer.StartAsync(TestSettings.Issuer, _key);
        _second = await FakeAuthorizationServer.StartAsync(TestSettings.Issuer, _key);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        _key.Dispose();
        _rotatedKeys.ForEach(key => key.Dispose());
    }

    [Fact]
    public async Task A_replica_that_refuses_connections_does_not_cost_a_rotated_key_its_first_request()
    {
        _host = await StartHostAsync(ClosedLoopbackPort(), _first.BaseAddress, RefreshInterval);
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(_key)));

        // Round robin alternates the replica a fetch starts with, so several rotations start on the dead one.
        for (var rotation = 0; rotation < 4; rotation++)
        {
            var newKey = new TestSigningKey();
            _rotatedKeys.Add(newKey);
            _first.Publish(newKey);
            await Task.Delay(RefreshInterval + TimeSpan.FromMilliseconds(100), Ct);
            Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(newKey)));
        }
    }

    [Fact]
    public async Task Retries_of_a_fetch_go_to_each_replica_in_turn_and_stop_after_two()
    {
        _host = await StartHostAsync(_first.BaseAddress, _second.BaseAddress, CountingRefreshInterval);
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(_key)));
        await Task.Delay(CountingRefreshInterval + TimeSpan.FromMilliseconds(100), Ct);
        var before = (First: _first.JwksRequests, Second: _second.JwksRequests);
        _first.AnswerNotReady(100);
        _second.AnswerNotReady(100);

        // Neither replica is ready: the unknown kid is refused after a short, bounded number of attempts.
        using var newKey = new TestSigningKey();
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Unauthorized, await InitializeStatusAsync(Tokens.Valid(newKey)));
        var waited = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1), Ct); // nothing more may arrive after the answer

        var first = _first.JwksRequests - before.First;
        var second = _second.JwksRequests - before.Second;
        Assert.Equal(3, first + second); // the fetch and its two retries
        Assert.True(first >= 1 && second >= 1, $"every attempt went to one replica: {first} and {second} requests");
        Assert.True(waited < TimeSpan.FromSeconds(3), $"the request waited {waited.TotalMilliseconds:F0} ms for the retries");
    }

    private Task<TotServiceTestHost> StartHostAsync(Uri replica0, Uri replica1, TimeSpan refreshInterval) =>
        TotServiceTestHost.StartAsync(_first, new Dictionary<string, string?>
        {
            ["services:keyservice:http:0"] = replica0.ToString(),
            ["services:keyservice:http:1"] = replica1.ToString(),
            ["TotService:JwksRefreshInterval"] = refreshInterval.ToString(),
            ["TotService:RateLimit:TokenLimit"] = "100000",
        });

    /// <summary>A loopback port nothing listens on: connecting to it is refused at once, as to a killed replica.</summary>
    private static Uri ClosedLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    private Task<HttpStatusCode> InitializeStatusAsync(string token) => RawMcpSession.InitializeStatusAsync(_host!.Http, token);
}
