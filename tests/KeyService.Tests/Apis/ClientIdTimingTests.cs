using System.Diagnostics;
using System.Net;
using KeyService.Tests.Infrastructure;
using KeyService.Tokens;

namespace KeyService.Tests.Apis;

[Collection(RunsAlone.Name)]
public sealed class ClientIdTimingTests
{
    private const int Pairs = 41;

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

        for (var i = 0; i < 5; i++)
        {
            await TimeAsync(host.Client, TestSettings.DevClient, $"warm-{i}");
            await TimeAsync(host.Client, "nobody", $"warm-{i}");
        }
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < Pairs; i++)
        {
            // Alternating which goes first so a load change on the machine falls on both sides alike.
            if (i % 2 == 0)
            {
                known.Add(await TimeAsync(host.Client, TestSettings.DevClient, $"wrong-{i}"));
                unknown.Add(await TimeAsync(host.Client, $"nobody-{i}", $"wrong-{i}"));
            }
            else
            {
                unknown.Add(await TimeAsync(host.Client, $"nobody-{i}", $"wrong-{i}"));
                known.Add(await TimeAsync(host.Client, TestSettings.DevClient, $"wrong-{i}"));
            }
        }

        var ratio = Median(unknown) / Median(known);
        TestContext.Current.TestOutputHelper?.WriteLine($"median known {Median(known):0.00} ms, unknown {Median(unknown):0.00} ms, ratio {ratio:0.00}");
        Assert.InRange(ratio, 0.67, 1.5);
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
