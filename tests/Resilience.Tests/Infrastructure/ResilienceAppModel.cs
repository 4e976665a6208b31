using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AppModelTesting;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Resilience.Tests.Infrastructure;

/// <summary>
/// The AppHost's real app model with two instances of each service, random ports, the administrator client (for
/// rotations), the per-client rate limit and session cap lifted (the load loop would otherwise be throttled) and key rotation
/// compressed to seconds (so a rotation completes within a test). Processes are killed and started again through it.
/// <see cref="Attackers"/> extra write clients of KeyService (distinct <c>sub</c>s, so each has its own per-client limits)
/// fill trees against <c>TotService:Trees:MaxStoredBytesPerClient</c>, lowered to <see cref="ClientBytes"/> so an
/// amplification round fits a test's time. Every class of this assembly shares one, started once (see
/// <see cref="ResilienceCollection"/>): each test starts from a healthy model and leaves one.
/// </summary>
public sealed class ResilienceAppModel : TestAppModel
{
    public static readonly TimeSpan PropagationTime = TimeSpan.FromSeconds(2);

    public const int Attackers = 3;
    public const long ClientBytes = 4 * 1024 * 1024;

    /// <summary>The administrator client is client 1 of KeyService's list; the attackers follow it.</summary>
    private const int FirstAttackerIndex = 2;

    /// <summary>Instances of each service (<c>keyservice-i</c>, <c>totservice-i</c>).</summary>
    public int Instances => 2;

    public string AttackerSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public static string AttackerId(int i) => $"attacker-{i}";

    public override int KeyServiceInstances => Instances;

    public override int TotServiceInstances => Instances;

    protected override bool EnableAdminClient => true;

    protected override IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ServiceSettings =>
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["keyservice"] = new Dictionary<string, string>
            {
                ["KeyService__RotationInterval"] = "1.00:00:00",
                ["KeyService__PropagationTime"] = PropagationTime.ToString(),
                ["KeyService__JwksMaxAge"] = PropagationTime.ToString(),
                ["KeyService__JwksRefreshCheckInterval"] = "00:00:01",
                ["KeyService__GraceTime"] = "00:30:00",
            },
            ["totservice"] = new Dictionary<string, string>
            {
                ["TotService__RateLimit__TokenLimit"] = "1000000",
                ["TotService__RateLimit__TokensPerPeriod"] = "1000000",
                ["TotService__RateLimit__ReplenishmentPeriod"] = "00:00:01",
                ["TotService__JwksRefreshInterval"] = "00:00:00.200",
                // Every load worker opens sessions of its own per instance, and none is closed before the idle timeout.
                ["TotService__Sessions__MaxPerClient"] = "10000",
                ["TotService__Trees__MaxStoredBytesPerClient"] = ClientBytes.ToString(CultureInfo.InvariantCulture),
            },
        };

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        // The attackers' tokens are for the first TotService instance, the one whose memory the amplification test weighs.
        var totservice = builder.Resources.OfType<ProjectResource>().First(r => r.Name == TotServices[0]);
        foreach (var keyservice in builder.Resources.OfType<ProjectResource>().Where(r => KeyServices.Contains(r.Name)))
        {
            var resource = builder.CreateResourceBuilder(keyservice);
            for (var i = 1; i <= Attackers; i++)
            {
                var client = $"KeyService__Clients__{FirstAttackerIndex + i - 1}__";
                resource
                    .WithEnvironment(client + "ClientId", AttackerId(i))
                    .WithEnvironment(client + "Secret", AttackerSecret)
                    .WithEnvironment(client + "AllowedScopes__0", "tot:read")
                    .WithEnvironment(client + "AllowedScopes__1", "tot:write")
                    .WithEnvironment(client + "AllowedAudiences__0", ReferenceExpression.Create($"{totservice.GetEndpoint("http")}/mcp"));
            }
        }
    }

    /// <summary>The resource of instance <paramref name="instance"/> of <c>keyservice</c> or <c>totservice</c>.</summary>
    public string ResourceOf(string service, int instance) => service switch
    {
        "keyservice" => KeyServices[instance],
        "totservice" => TotServices[instance],
        _ => service,
    };

    public Uri Endpoint(string service, int instance) => Endpoint(ResourceOf(service, instance));

    /// <summary>Waits until every resource is healthy; returns how long that took.</summary>
    public async Task<TimeSpan> WaitAllHealthyAsync(TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var resource in ProcessResources)
        {
            await WaitHealthyAsync(resource, timeout - clock.Elapsed);
        }
        return clock.Elapsed;
    }

    public static string Basic(string clientId, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}"));

    public static HttpRequestMessage TokenRequest(Uri keyservice, string clientId, string secret, string resource, string scope)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(keyservice, "/connect/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["resource"] = resource,
                ["scope"] = scope,
            }),
        };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(Basic(clientId, secret));
        return request;
    }

    /// <summary>The kids in one KeyService instance's JWKS.</summary>
    public async Task<HashSet<string>> JwksKidsAsync(int instance, CancellationToken cancellationToken = default)
    {
        using var http = CreateHttpClient(KeyServices[instance]);
        var json = await http.GetStringAsync("/.well-known/jwks.json", cancellationToken);
        return [.. JsonDocument.Parse(json).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }

    /// <summary>
    /// Writes what the services logged since <paramref name="since"/> to the test's output: the first thing to read when
    /// a verdict fails (which instance was asked, what it answered).
    /// </summary>
    public void WriteServiceLogs(ITestOutputHelper output, DateTimeOffset since)
    {
        const int MaxLines = 400;
        // The load's token requests log two audit lines each (KeyService.Audit 2001) and would crowd out everything else.
        var lines = Logs.Since(since)
            .Where(line => !line.Contains("KeyService.Audit[2001]", StringComparison.Ordinal) && !line.Contains(" issued to ", StringComparison.Ordinal))
            .ToList();
        output.WriteLine($"Resource logs since the load started, token issuance left out ({Math.Min(lines.Count, MaxLines)} of {lines.Count} lines):");
        foreach (var line in lines.TakeLast(MaxLines))
        {
            output.WriteLine(line);
        }
    }
}
