using k8s.Models;

namespace AppHost.Tests.Publishing;

/// <summary>Every setting the services read in production reaches their pods, secrets only from Secrets, and the URLs agree.</summary>
public sealed class EnvironmentTests(BuiltOutputFixture built) : IClassFixture<BuiltOutputFixture>
{
    // What KeyService and TotService read in production (their options classes), kept here independently
    // of the publisher.
    private static readonly string[] KeyServiceSettings =
    [
        "ASPNETCORE_URLS", "ConnectionStrings__redis",
        "KeyService__Issuer", "KeyService__KeyEncryptionKey",
        "KeyService__Clients__0__ClientId", "KeyService__Clients__0__SecretHash",
        "KeyService__Clients__0__AllowedScopes__0", "KeyService__Clients__0__AllowedAudiences__0",
        "KeyService__RotationInterval", "KeyService__PropagationTime", "KeyService__GraceTime",
        "KeyService__TokenLifetime", "KeyService__JwksMaxAge",
    ];

    private static readonly string[] TotServiceSettings =
    [
        "ASPNETCORE_URLS", "ConnectionStrings__redis",
        "TotService__Authority", "TotService__Issuer", "TotService__Audience", "services__keyservice__http__0",
    ];

    private static readonly string[] SecretSettings =
    [
        "KeyService__KeyEncryptionKey", "KeyService__Clients__0__SecretHash",
    ];

    private Dictionary<string, string> EnvironmentOf(string deployment) =>
        built.EnvironmentOf(Assert.Single(built.Named<V1Deployment>(deployment).Spec.Template.Spec.Containers));

    [Theory]
    [InlineData("keyservice")]
    [InlineData("totservice")]
    public void Every_setting_the_service_reads_is_provided(string service)
    {
        var environment = EnvironmentOf(service);
        var required = service == "keyservice" ? KeyServiceSettings : TotServiceSettings;
        Assert.All(required, name => Assert.True(
            environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value), $"{service} gets no {name}"));
        Assert.Equal("http://+:8080", environment["ASPNETCORE_URLS"]);
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal(service, environment["OTEL_SERVICE_NAME"]);
    }

    [Fact]
    public void Secret_settings_come_from_secrets_and_never_from_a_config_map()
    {
        var keyservice = EnvironmentOf("keyservice");
        Assert.All(SecretSettings, name => Assert.StartsWith("secret:keyservice-secrets-", keyservice[name], StringComparison.Ordinal));
        Assert.All(built.All<V1ConfigMap>().SelectMany(m => m.Data), entry =>
        {
            Assert.DoesNotContain("password", entry.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(entry.Key, SecretSettings);
            Assert.False(entry.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal), $"{entry.Key} carries a password: not in a ConfigMap");
        });
        // The generated Secrets are referenced under kustomize's hashed names, so a changed secret rolls the pods.
        Assert.All(built.All<V1Secret>(), secret => Assert.Matches("^(redis|keyservice)-secrets-[a-z0-9]{10}$", secret.Metadata.Name));
    }

    [Theory]
    [InlineData("keyservice")]
    [InlineData("totservice")]
    public void The_redis_connection_string_points_at_the_redis_service_with_the_secret_password(string service)
    {
        var container = Assert.Single(built.Named<V1Deployment>(service).Spec.Template.Spec.Containers);
        var environment = built.EnvironmentOf(container);
        var redisPort = Assert.Single(built.Named<V1Service>("redis").Spec.Ports).Port;

        Assert.Equal($"redis:{redisPort},password=$(REDIS_PASSWORD)", environment["ConnectionStrings__redis"]);
        Assert.StartsWith("secret:redis-secrets-", environment["REDIS_PASSWORD"], StringComparison.Ordinal);
        // $(VAR) expands only from variables defined earlier in the list.
        var names = container.Env.Select(e => e.Name).ToList();
        Assert.True(names.IndexOf("REDIS_PASSWORD") < names.IndexOf("ConnectionStrings__redis"));
    }

    [Fact]
    public void Issuer_audience_and_discovery_agree_with_the_ingress_hosts_and_services()
    {
        var keyservice = EnvironmentOf("keyservice");
        var totservice = EnvironmentOf("totservice");
        var authHost = Assert.Single(built.Named<V1Ingress>("keyservice").Spec.Rules).Host;
        var mcpHost = Assert.Single(built.Named<V1Ingress>("totservice").Spec.Rules).Host;
        var keyservicePort = Assert.Single(built.Named<V1Service>("keyservice").Spec.Ports).Port;

        Assert.Equal($"https://{authHost}", keyservice["KeyService__Issuer"]);
        Assert.Equal(keyservice["KeyService__Issuer"], totservice["TotService__Issuer"]);
        Assert.Equal($"https://{mcpHost}/mcp", totservice["TotService__Audience"]);
        Assert.Equal(totservice["TotService__Audience"], keyservice["KeyService__Clients__0__AllowedAudiences__0"]);
        Assert.Equal("http://keyservice", totservice["TotService__Authority"]);
        Assert.Equal($"http://keyservice:{keyservicePort}", totservice["services__keyservice__http__0"]);
    }

    [Fact]
    public void Key_rotation_settings_are_the_documented_defaults()
    {
        var keyservice = EnvironmentOf("keyservice");
        Assert.Equal(TimeSpan.FromDays(7), TimeSpan.Parse(keyservice["KeyService__RotationInterval"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromHours(1), TimeSpan.Parse(keyservice["KeyService__PropagationTime"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromHours(24), TimeSpan.Parse(keyservice["KeyService__GraceTime"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromMinutes(15), TimeSpan.Parse(keyservice["KeyService__TokenLifetime"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromHours(1), TimeSpan.Parse(keyservice["KeyService__JwksMaxAge"], System.Globalization.CultureInfo.InvariantCulture));
        // The local development client's clear-text secret never reaches the cluster.
        Assert.False(keyservice.ContainsKey("KeyService__Clients__0__Secret"));
    }

    [Fact]
    public void A_config_change_rolls_the_pods()
    {
        Assert.All(built.All<V1Deployment>(), d => Assert.Matches("^[0-9a-f]{16}$", d.Spec.Template.Metadata.Annotations["tot-mcp/config-hash"]));
        Assert.NotEqual(
            built.Named<V1Deployment>("keyservice").Spec.Template.Metadata.Annotations["tot-mcp/config-hash"],
            built.Named<V1Deployment>("totservice").Spec.Template.Metadata.Annotations["tot-mcp/config-hash"]);
    }
}
