using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Bench.Runner.Infrastructure;
using static Bench.Runner.Infrastructure.Report;

namespace Bench.Runner.Measurements;

/// <summary>POST /connect/token against the in-process RS256 signing rate of the same key size on all cores.</summary>
public static class TokenMeasurement
{
    public static async Task RunAsync(BenchContext context)
    {
        var app = context.App;
        var token = await app.GetTokenAsync(context.CancellationToken);
        var signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        var signedBefore = RawSigningRate(signingInput, 2048, TimeSpan.FromSeconds(2));

        var body = $"grant_type=client_credentials&resource={Uri.EscapeDataString(app.Audience)}&scope={Uri.EscapeDataString("tot:read")}";
        var request = new WrkRequest("POST", body, new Dictionary<string, string>
        {
            ["Content-Type"] = "application/x-www-form-urlencoded",
            ["Authorization"] = BenchApp.Basic("dev", app.DevClientSecret),
        });
        var service = await context.LoadAsync(new Uri(app.Endpoint("keyservice", 0), "/connect/token"), request);
        // Measured before and after the load, so a change in other load on the machine falls on both sides.
        var signsPerSecond = (signedBefore + RawSigningRate(signingInput, 2048, TimeSpan.FromSeconds(2))) / 2;
        var ratio = service.RequestsPerSecond / signsPerSecond;
        context.Report.Add(new Row(
            $"POST /connect/token (client credentials, RS256 2048), {BenchContext.Connections} connections: RPS",
            $"{F(service.RequestsPerSecond, "0")} (p99 {F(service.P99Ms)} ms){BenchContext.Errors(service)}",
            $"{F(signsPerSecond, "0")} raw RS256 signatures/s in-process on {Environment.ProcessorCount} threads",
            Ratio(ratio), ">= 0.70x", ratio >= 0.7 && service.Clean));
    }

    /// <summary>PKCS#1 v1.5 SHA-256 signatures per second over the token's signing input, one signer per core.</summary>
    public static double RawSigningRate(byte[] signingInput, int keySize, TimeSpan duration)
    {
        var counts = new long[Environment.ProcessorCount];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, counts.Length, new ParallelOptions { MaxDegreeOfParallelism = counts.Length }, worker =>
        {
            using var rsa = RSA.Create(keySize);
            rsa.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            long signed = 0;
            while (clock.Elapsed < duration)
            {
                rsa.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                signed++;
            }
            counts[worker] = signed;
        });
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }
}
