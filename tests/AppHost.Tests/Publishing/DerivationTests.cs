using System.Text.Json.Nodes;
using AppHost.Publishing.Kubernetes;
using AppHost.Publishing.Monitoring;
using k8s;
using k8s.Models;

namespace AppHost.Tests.Publishing;

/// <summary>The output follows the manifest and the options instead of being fixed text.</summary>
public sealed class DerivationTests
{
    private static SortedDictionary<string, string> Generate(Action<JsonObject>? change = null, params string[] args)
    {
        var manifest = PublishedOutput.ManifestJson();
        change?.Invoke(manifest);
        return PublishedOutput.Generate(manifest.ToJsonString(), args);
    }

    private static JsonObject Env(JsonObject manifest, string resource) => manifest["resources"]![resource]!["env"]!.AsObject();

    private static T Load<T>(SortedDictionary<string, string> files, string path) => Assert.IsType<T>(Assert.Single(PublishedOutput.LoadStrict(files[path])));

    [Fact]
    public void Replicas_from_the_options_raise_the_deployment_and_the_quota()
    {
        var normal = Generate();
        var scaled = Generate(null, "--Publishing:Kubernetes:Resources:keyservice:Replicas=4");

        Assert.Equal(2, Load<V1Deployment>(normal, "keyservice/deployment.yaml").Spec.Replicas);
        Assert.Equal(4, Load<V1Deployment>(scaled, "keyservice/deployment.yaml").Spec.Replicas);
        var before = Load<V1ResourceQuota>(normal, "namespace/resource-quota.yaml").Spec.Hard["limits.cpu"].ToDecimal();
        var after = Load<V1ResourceQuota>(scaled, "namespace/resource-quota.yaml").Spec.Hard["limits.cpu"].ToDecimal();
        Assert.Equal(2 * 0.5m, after - before);
    }

    [Fact]
    public void Redis_refuses_a_second_replica()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Generate(null, "--Publishing:Kubernetes:Resources:redis:Replicas=2"));
        Assert.Contains("Publishing:Kubernetes:Resources:redis:Replicas", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hosts_from_configuration_move_the_ingress_issuer_and_audience()
    {
        var files = Generate(null, "--Publishing:Kubernetes:Resources:totservice:Host=mcp.contoso.test", "--Publishing:Kubernetes:Namespace=tot-prod");

        Assert.Equal("mcp.contoso.test", Assert.Single(Load<V1Ingress>(files, "totservice/ingress.yaml").Spec.Rules).Host);
        Assert.Equal("https://mcp.contoso.test/mcp", Load<V1ConfigMap>(files, "totservice/config-map.yaml").Data["TotService__Audience"]);
        Assert.Equal("https://mcp.contoso.test/mcp", Load<V1ConfigMap>(files, "keyservice/config-map.yaml").Data["KeyService__Clients__0__AllowedAudiences__0"]);
        Assert.Contains("namespace: tot-prod", files["kustomization.yaml"], StringComparison.Ordinal);
        Assert.Contains("namespace=\"tot-prod\"", files[KubernetesGenerator.PlainRulesPath], StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_manifest_variable_reaches_the_config_map_and_a_secret_one_does_not()
    {
        var files = Generate(manifest =>
        {
            Env(manifest, "totservice")["TotService__MaxDepth"] = "6";
            Env(manifest, "totservice")["TotService__Llm__ApiKey"] = "{llm-key.value}";
            manifest["resources"]!["llm-key"] = JsonNode.Parse("""
                { "type": "parameter.v0", "value": "{llm-key.inputs.value}", "inputs": { "value": { "type": "string", "secret": true } } }
                """);
        });

        Assert.Equal("6", Load<V1ConfigMap>(files, "totservice/config-map.yaml").Data["TotService__MaxDepth"]);
        Assert.DoesNotContain("TotService__Llm__ApiKey", Load<V1ConfigMap>(files, "totservice/config-map.yaml").Data.Keys);
        var variable = Assert.Single(Load<V1Deployment>(files, "totservice/deployment.yaml").Spec.Template.Spec.Containers[0].Env, e => e.Name == "TotService__Llm__ApiKey");
        Assert.Equal(("totservice-secrets", "llm-key"), (variable.ValueFrom.SecretKeyRef.Name, variable.ValueFrom.SecretKeyRef.Key));
        Assert.Contains("llm-key=\n", files["totservice/totservice.secret.env.example"], StringComparison.Ordinal);
        Assert.Contains("totservice.secret.env", files["totservice/kustomization.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public void Options_replace_a_manifest_variable_instead_of_duplicating_it()
    {
        var files = Generate(
            manifest => Env(manifest, "keyservice")["KeyService__Clients__0__SecretHash"] = "{dev-client-secret.value}",
            "--Publishing:Kubernetes:Resources:keyservice:Environment:KeyService__Issuer=https://login.contoso.test");

        var container = Assert.Single(Load<V1Deployment>(files, "keyservice/deployment.yaml").Spec.Template.Spec.Containers);
        var hash = Assert.Single(container.Env, e => e.Name == "KeyService__Clients__0__SecretHash");
        Assert.Equal("client-0-secret-hash", hash.ValueFrom.SecretKeyRef.Key);
        Assert.Equal(container.Env.Count, container.Env.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("https://login.contoso.test", Load<V1ConfigMap>(files, "keyservice/config-map.yaml").Data["KeyService__Issuer"]);
        // The replaced variable's parameter is used by nothing else: no key for it in any Secret.
        Assert.DoesNotContain("dev-client-secret=", string.Concat(files.Where(f => f.Key.EndsWith(".example", StringComparison.Ordinal)).Select(f => f.Value)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_age_threshold_follows_a_configured_rotation_interval()
    {
        var files = Generate(null, "--Publishing:Kubernetes:Resources:keyservice:Environment:KeyService__RotationInterval=1.00:00:00");
        var rules = KubernetesYaml.Deserialize<PrometheusRuleFile>(files[KubernetesGenerator.PlainRulesPath], strict: true);

        Assert.EndsWith($"> {(24 + 2) * 3600}", Assert.Single(rules.Groups[0].Rules, r => r.Alert == "SigningKeyTooOld").Expr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_address_in_a_setting_opens_exactly_that_connection_and_a_public_url_opens_none()
    {
        var normal = Generate();
        var connected = Generate(manifest => Env(manifest, "keyservice")["KeyService__Callback__Host"] = "{totservice.bindings.http.host}");

        // The audience is totservice's public URL: it goes through the ingress, so no pod-to-pod edge.
        Assert.DoesNotContain(Load<V1NetworkPolicy>(normal, "keyservice/network-policy.yaml").Spec.Egress, Targets("totservice"));
        Assert.Contains(Load<V1NetworkPolicy>(connected, "keyservice/network-policy.yaml").Spec.Egress, Targets("totservice"));
        var ingress = Load<V1NetworkPolicy>(connected, "totservice/network-policy.yaml").Spec.Ingress;
        Assert.Contains(ingress, rule => rule.FromProperty.Any(peer => peer.PodSelector?.MatchLabels?["app.kubernetes.io/name"] == "keyservice"));
        Assert.Equal("totservice", Load<V1ConfigMap>(connected, "keyservice/config-map.yaml").Data["KeyService__Callback__Host"]);
    }

    [Fact]
    public void A_new_internal_service_is_addressed_by_its_service_and_gets_no_ingress()
    {
        var files = Generate(manifest =>
        {
            // Not external: its URL in another service's settings is its Service address, and nothing routes to it from outside.
            manifest["resources"]!["reporter"] = JsonNode.Parse("""
                { "type": "project.v0", "path": "../Reporter/Reporter.csproj", "env": {},
                  "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http" } } }
                """);
            Env(manifest, "totservice")["Reports__Url"] = "{reporter.bindings.http.url}";
        });

        Assert.Equal("http://reporter:8080", Load<V1ConfigMap>(files, "totservice/config-map.yaml").Data["Reports__Url"]);
        Assert.False(files.ContainsKey("reporter/ingress.yaml"));
        Assert.Contains(Load<V1NetworkPolicy>(files, "totservice/network-policy.yaml").Spec.Egress, Targets("reporter"));
    }

    private static Predicate<V1NetworkPolicyEgressRule> Targets(string workload) =>
        rule => rule.To.Any(peer => peer.PodSelector?.MatchLabels?["app.kubernetes.io/name"] == workload);
}
