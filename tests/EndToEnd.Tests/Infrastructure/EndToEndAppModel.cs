using AppModelTesting;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// The AppHost's app model as every end-to-end test uses it: two KeyService and two TotService instances on one Redis,
/// a key lifecycle measured in seconds (still within KeyService's safety rules) so a rotation completes inside a test,
/// TotService's per-client rate limit lifted,
/// the administrator client for the rotate call, and a second client ("other") so ownership is tested with two real
/// subjects. One instance for the whole assembly: starting and stopping a model costs tens of seconds here.
/// </summary>
public sealed class EndToEndAppModel : TestAppModel
{
    public const string OtherClientId = "other";

    /// <summary>Long enough that a token asked for right after a rotate is still signed by the old key on a busy machine.</summary>
    public static readonly TimeSpan PropagationTime = TimeSpan.FromSeconds(5);

    // Plain client secrets are accepted in Development (the app model's default environment) only.
    public string OtherClientSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    /// <summary>Trusted by KeyService's processes: a test site on https loopback (a client's metadata document) gets certificates from it.</summary>
    public TestCertificateAuthority CertificateAuthority { get; } = TestCertificateAuthority.Create();

    public override int TotServiceInstances => 2;

    protected override bool EnableAdminClient => true;

    protected override IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ServiceSettings =>
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["keyservice"] = new Dictionary<string, string>
            {
                ["KeyService__JwksMaxAge"] = "00:00:02",
                ["KeyService__PropagationTime"] = PropagationTime.ToString(),
                ["KeyService__JwksRefreshCheckInterval"] = "00:00:01",
                ["KeyService__TokenLifetime"] = "00:02:00",
                ["KeyService__GraceTime"] = "00:05:00",
                ["KeyService__RotationInterval"] = "01:00:00",
                ["SSL_CERT_FILE"] = CertificateAuthority.TrustFile,
            },
            ["totservice"] = new Dictionary<string, string>
            {
                ["TotService__JwksRefreshInterval"] = "00:00:01",
                // Every class calls as the development client (one subject), so with the per-client limit one class's
                // budget would depend on which classes ran just before it (seen: 429s in StatelessPerimeterTests right
                // after TotRunTests). The limit itself is TotService.Tests' (TransportHardeningTests).
                ["TotService__RateLimit__TokenLimit"] = "1000000",
                ["TotService__RateLimit__TokensPerPeriod"] = "1000000",
                ["TotService__RateLimit__ReplenishmentPeriod"] = "00:00:01",
            },
        };

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        var audience = builder.Resources.OfType<ProjectResource>().First(r => r.Name == TotServices[0]).GetEndpoint("http");
        foreach (var keyservice in builder.Resources.OfType<ProjectResource>().Where(r => KeyServices.Contains(r.Name)))
        {
            // Client 1 is the base fixture's administrator client.
            builder.CreateResourceBuilder(keyservice)
                .WithEnvironment("KeyService__Clients__2__ClientId", OtherClientId)
                .WithEnvironment("KeyService__Clients__2__Secret", OtherClientSecret)
                .WithEnvironment("KeyService__Clients__2__AllowedScopes__0", "tot:read")
                .WithEnvironment("KeyService__Clients__2__AllowedScopes__1", "tot:write")
                .WithEnvironment("KeyService__Clients__2__AllowedAudiences__0", ReferenceExpression.Create($"{audience}/mcp"));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        CertificateAuthority.Dispose();
    }

    /// <summary>A token for the second client from KeyService's real token endpoint.</summary>
    public Task<string> GetOtherTokenAsync(CancellationToken cancellationToken) =>
        RequestTokenAsync(OtherClientId, OtherClientSecret, Audience, "tot:read tot:write", cancellationToken: cancellationToken);
}

/// <summary>Every end-to-end test class runs against the one <see cref="EndToEndAppModel"/>, one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndAppModel>
{
    public const string Name = "end-to-end app model";
}
