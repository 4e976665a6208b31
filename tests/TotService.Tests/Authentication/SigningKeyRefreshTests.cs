using System.Diagnostics;
using System.Net;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Authentication;

/// <summary>JWKS caching against the fake KeyService: refresh limits, rotation, and outages.</summary>
public sealed class SigningKeyRefreshTests : SecuredHostTest
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    protected override IDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["TotService:JwksRefreshInterval"] = RefreshInterval.ToString(),
        ["TotService:RateLimit:TokenLimit"] = "100000",
    };

    [Fact]
    public async Task Flood_of_random_kids_fetches_jwks_at_most_once_per_refresh_interval()
    {
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(Key)));
        Assert.Equal(1, AuthorizationServer.JwksRequests);
        await Task.Delay(RefreshInterval + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);

        var statuses = new HttpStatusCode[1000];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, statuses.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var forged = Tokens.Create(Key.WithKeyId("forged-" + Guid.NewGuid().ToString("N")));
            statuses[i] = await InitializeStatusAsync(forged);
        });
        var elapsed = clock.Elapsed;

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        var forcedFetches = AuthorizationServer.JwksRequests - 1;
        var allowed = 1 + (int)(elapsed / RefreshInterval);
        Assert.InRange(forcedFetches, 1, allowed);
        TestContext.Current.SendDiagnosticMessage(
            $"1000 forged kids in {elapsed.TotalMilliseconds:F0} ms caused {forcedFetches} JWKS fetches (limit {allowed}).");
    }

    [Fact]
    public async Task Rotated_key_is_accepted_without_restart_and_the_retired_key_keeps_working()
    {
        var oldToken = Tokens.Valid(Key);
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(oldToken));

        using var newKey = new TestSigningKey();
        AuthorizationServer.Publish(newKey); // KeyService publishes the new key; the old one stays as retired
        await Task.Delay(RefreshInterval + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);

        // First request with the new kid already succeeds: the forced refresh is awaited, not fire-and-forget.
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(newKey)));
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(oldToken));
        Assert.Equal(2, AuthorizationServer.JwksRequests);
    }

    [Fact]
    public async Task A_burst_of_first_requests_with_a_new_key_is_accepted_by_one_fetch()
    {
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(Key)));
        var keys = new List<TestSigningKey>();
        try
        {
            // Requests that read the old keys just before the one allowed fetch stored the new ones must not wait for a
            // second fetch (the refresh limit refuses it): they find the key already stored and are validated again.
            // The race is timing-dependent, so it is run for several rotations.
            for (var rotation = 1; rotation <= 4; rotation++)
            {
                var newKey = new TestSigningKey();
                keys.Add(newKey);
                AuthorizationServer.Publish(newKey);
                await Task.Delay(RefreshInterval + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);

                var tokens = Enumerable.Range(0, 100).Select(_ => Tokens.Valid(newKey)).ToList();
                var statuses = new HttpStatusCode[tokens.Count];
                await Parallel.ForAsync(0, tokens.Count, new ParallelOptions { MaxDegreeOfParallelism = 32 },
                    async (i, _) => statuses[i] = await InitializeStatusAsync(tokens[i]));

                Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
                Assert.Equal(1 + rotation, AuthorizationServer.JwksRequests);
            }
        }
        finally
        {
            keys.ForEach(key => key.Dispose());
        }
    }

    [Fact]
    public async Task A_new_key_is_accepted_even_when_the_first_answer_comes_from_a_replica_that_is_not_ready()
    {
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(Key)));
        using var newKey = new TestSigningKey();
        AuthorizationServer.Publish(newKey);
        await Task.Delay(RefreshInterval + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);

        // A just-restarted KeyService replica answers 503; the JWKS client's retry gets the key.
        AuthorizationServer.AnswerNotReady();
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(newKey)));
        Assert.Equal(3, AuthorizationServer.JwksRequests);
    }

    [Fact]
    public async Task Cached_keys_keep_working_while_keyservice_is_down_and_new_keys_are_picked_up_after_restart()
    {
        var cancel = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(Key)));

        await AuthorizationServer.StopAsync();
        using var newKey = new TestSigningKey();
        await Task.Delay(RefreshInterval + TimeSpan.FromMilliseconds(200), cancel);

        // An unknown kid makes TotService try KeyService, which is down: the cached key must survive that.
        Assert.Equal(HttpStatusCode.Unauthorized, await InitializeStatusAsync(Tokens.Valid(newKey)));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(Key)));
        }

        AuthorizationServer.Publish(newKey);
        await AuthorizationServer.RestartAsync();

        var clock = Stopwatch.StartNew();
        await Eventually.UntilAsync(_ => InitializeStatusAsync(Tokens.Valid(newKey)), status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "a token of the key published during the outage to be accepted after KeyService restarted",
            interval: RefreshInterval / 2, cancellationToken: cancel);
        Assert.Equal(HttpStatusCode.OK, await InitializeStatusAsync(Tokens.Valid(Key)));
        TestContext.Current.SendDiagnosticMessage($"New key accepted {clock.Elapsed.TotalMilliseconds:F0} ms after KeyService restarted.");
    }

    private Task<HttpStatusCode> InitializeStatusAsync(string token) => RawMcpSession.InitializeStatusAsync(Host.Http, token);
}
