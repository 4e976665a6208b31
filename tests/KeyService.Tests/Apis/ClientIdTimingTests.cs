using System.Diagnostics;
using System.Net;
using KeyService.Options;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Apis;

[Collection(RunsAlone.Name)]
public sealed class ClientIdTimingTests
{
    private const int Pairs = 41;
    private const int MaxRounds = 3;
    private const double MinRatio = 0.67;
    private const double MaxRatio = 1.5;

    [Fact]
    public async Task An_unknown_client_id_takes_as_long_as_a_known_one_with_a_wrong_secret()
    {
        var settings = TestSettings.Create();
        // A hash slow enough (~5 ms) to stand out of request noise; limits high enough that nothing is throttled.
        settings["KeyService:Clients:0:SecretHash"] = ClientSecretHasher.Hash(TestSettings.DevSecret, 20_000);
        settings["KeyService:Clients:1:SecretHash"] = ClientSecretHasher.Hash(TestSettings.AdminSecret, 20_000);
        settings["KeyService:ClientFailureLimit"] = "10000";
        settings["KeyService:SourceFailureLimit"] = "100000";
        await using var host = await KeyServiceHost.StartAsync(settings);
        await host.WaitForHealthAsync();

        await AssertSameTimingAsync(host.Client);
    }

    [Fact]
    public async Task In_Development_a_wrong_secret_for_a_plain_secret_client_takes_as_long_as_an_unknown_id()
    {
        var settings = TestSettings.Create();
        settings["KeyService:Clients:0:SecretHash"] = null;
        settings["KeyService:Clients:0:Secret"] = TestSettings.DevSecret;
        settings["KeyService:Clients:1:SecretHash"] = ClientSecretHasher.Hash(TestSettings.AdminSecret, 20_000);
        settings["KeyService:ClientFailureLimit"] = "10000";
        settings["KeyService:SourceFailureLimit"] = "100000";
        await using var host = await KeyServiceHost.StartAsync(settings, "Development");
        await host.WaitForHealthAsync();

        await AssertSameTimingAsync(host.Client);
    }

    private static async Task AssertSameTimingAsync(HttpClient client)
    {
        for (var i = 0; i < 5; i++)
        {
            await TimeAsync(client, TestSettings.DevClient, $"warm-{i}");
            await TimeAsync(client, "nobody", $"warm-{i}");
        }
        // The suite shares the machine with other test assemblies, so a burst of load can land on one side of a
        // round. A real difference (an unknown id that skipped the hash would answer in a fraction of the time)
        // fails every round; noise does not fail three in a row.
        var rounds = new List<double>();
        for (var round = 0; round < MaxRounds; round++)
        {
            var ratio = await MedianPairRatioAsync(client);
            rounds.Add(ratio);
            TestContext.Current.TestOutputHelper?.WriteLine($"round {round + 1}: median of {Pairs} paired ratios unknown/known {ratio:0.00}");
            if (ratio is >= MinRatio and <= MaxRatio)
            {
                return;
            }
        }
        Assert.Fail($"unknown/known timing ratio outside {MinRatio}-{MaxRatio} in every round: {string.Join(", ", rounds.Select(r => r.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    /// <summary>Adjacent pairs (which one goes first alternates), so a slow change on the machine falls on both alike.</summary>
    private static async Task<double> MedianPairRatioAsync(HttpClient client)
    {
        var ratios = new List<double>();
        for (var i = 0; i < Pairs; i++)
        {
            double known, unknown;
            if (i % 2 == 0)
            {
                known = await TimeAsync(client, TestSettings.DevClient, $"wrong-{i}");
                unknown = await TimeAsync(client, $"nobody-{Guid.NewGuid():N}", $"wrong-{i}");
            }
            else
            {
                unknown = await TimeAsync(client, $"nobody-{Guid.NewGuid():N}", $"wrong-{i}");
                known = await TimeAsync(client, TestSettings.DevClient, $"wrong-{i}");
            }
            ratios.Add(unknown / known);
        }
        return Median(ratios);
    }

    private static async Task<double> TimeAsync(HttpClient client, string clientId, string secret)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.PostTokenAsync([new("grant_type", "client_credentials")], (clientId, secret));
        await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
