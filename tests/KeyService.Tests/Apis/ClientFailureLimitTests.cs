using System.Net;
using KeyService.Options;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Apis;

[Collection(RunsAlone.Name)]
public sealed class ClientFailureLimitTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Clean = IPAddress.Parse("127.0.0.3");
    private static readonly KeyValuePair<string, string>[] Grant = [new("grant_type", "client_credentials")];

    [Fact]
    public async Task Wrong_secrets_throttle_the_attackers_address_while_the_right_secret_passes_from_a_clean_address()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(Settings(limit: 3));
        using var attacker = host.ClientFrom(Attacker);
        using var clean = host.ClientFrom(Clean);

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await attacker.PostTokenAsync(Grant, (TestSettings.DevClient, $"wrong-{i}"));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var throttled = await attacker.PostTokenAsync(Grant, (TestSettings.DevClient, TestSettings.DevSecret));
        using var fromClean = await clean.PostTokenAsync(Grant, (TestSettings.DevClient, TestSettings.DevSecret));
        using var wrongFromClean = await clean.PostTokenAsync(Grant, (TestSettings.DevClient, "wrong-from-clean"));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("invalid_client", (await throttled.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, fromClean.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongFromClean.StatusCode);
    }

    [Fact]
    public async Task Concurrent_wrong_secrets_never_get_more_verifications_than_the_limit()
    {
        var settings = Settings(limit: 10);
        // A slow hash keeps all attempts in flight together, which is when checking before counting overshot.
        settings["KeyService:Clients:0:SecretHash"] = ClientSecretHasher.Hash(TestSettings.DevSecret, 200_000);
        await using var host = await KeyServiceHost.StartHealthyAsync(settings);
        using var attacker = host.ClientFrom(Attacker);
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
        try
        {
            var attempts = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
            {
                using var response = await attacker.PostTokenAsync(Grant, (TestSettings.DevClient, $"wrong-{i}"));
                return response.StatusCode;
            }));

            Assert.Equal(10, attempts.Count(s => s == HttpStatusCode.Unauthorized));
            Assert.Equal(50, attempts.Count(s => s == HttpStatusCode.TooManyRequests));
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, io);
        }
    }

    [Fact]
    public async Task A_clients_first_burst_of_right_secrets_is_not_throttled()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(Settings(limit: 2));
        using var clean = host.ClientFrom(Clean);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var response = await clean.PostTokenAsync(Grant, (TestSettings.DevClient, TestSettings.DevSecret));
            return response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task Unknown_and_known_client_ids_get_the_same_answers_up_to_and_past_the_limit()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(Settings(limit: 3));
        using var attacker = host.ClientFrom(Attacker);

        var known = await AnswersAsync(attacker, TestSettings.DevClient);
        var unknown = await AnswersAsync(attacker, "nobody");

        Assert.Equal(known, unknown);
        Assert.Equal([401, 401, 401, 429, 429], known.Select(a => a.Status));
    }

    /// <summary>Status, body and the headers that differ by outcome, for five wrong secrets in a row.</summary>
    private static async Task<List<(int Status, string Body, string Authenticate, bool HasRetryAfter)>> AnswersAsync(HttpClient client, string clientId)
    {
        var answers = new List<(int, string, string, bool)>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostTokenAsync(Grant, (clientId, $"wrong-{i}"));
            answers.Add(((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
                response.Headers.WwwAuthenticate.ToString(), response.Headers.RetryAfter is not null));
        }
        return answers;
    }

    private static Dictionary<string, string?> Settings(int limit)
    {
        var settings = TestSettings.Create();
        settings["KeyService:ClientFailureLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }
}
