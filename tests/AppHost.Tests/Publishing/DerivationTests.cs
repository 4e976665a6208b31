using AppHost.Hosting.Testing;
using AppHost.Publishing.Kubernetes;
using AppHost.Publishing.Monitoring;
using k8s;
using k8s.Models;

namespace AppHost.Tests.Publishing;

/// <summary>The output follows the app model and the options instead of being fixed text.</summary>
public sealed class DerivationTests
{
    private static async Task<SortedDictionary<string, string>> GenerateAsync(Action<DistributedApplicationTestingBuilder>? change = null, params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(args);
        change?.Invoke(builder);
        return KubernetesPublisher.Generate(builder.Builder, KubernetesPublisher.BindOptions(builder.Builder.Configuration));
    }

    private static T Load<T>(SortedDictionary<string, string> files, string path) => Assert.IsType<T>(Assert.Single(PublishedOutput.LoadStrict(files[path])));

    [Fact]
    public async Task Replicas_from_the_model_raise_the_deployment_and_the_quota()
    {
        var normal = await GenerateAsync();
        var scaled = await GenerateAsync(b => b.WithReplicas("keyservice", 4));

        Assert.Equal(2, Load<V1Deployment>(normal, "keyservice/deployment.yaml").Spec.Replicas);
        Assert.Equal(4, Load<V1Deployment>(scaled, "keyservice/deployment.yaml").Spec.Replicas);
        var before = Load<V1ResourceQuota>(normal, "namespace/resource-quota.yaml").Spec.Hard["limits.cpu"].ToDecimal();
        var after = Load<V1ResourceQuota>(scaled, "namespace/resource-quota.yaml").Spec.Hard["limits.cpu"].ToDecimal();
        Assert.Equal(2 * 0.5m, after - before);
    }

    [Fact]
    public async Task Hosts_from_configuration_move_the_ingress_issuer_and_audience()
    {
        var files = await GenerateAsync(null, "--Publishing:Kubernetes:Resources:totservice:Host=mcp.contoso.test", "--Publishing:Kubernetes:Namespace=tot-prod");

        Assert.Equal("mcp.contoso.test", Assert.Single(Load<V1Ingress>(files, "totservice/ingress.yaml").Spec.Rules).Host);
        Assert.Equal("https://mcp.contoso.test/mcp", Load<V1ConfigMap>(files, "totservice/config-map.yaml").Data["TotService__Audience"]);
        Assert.Equal("https://mcp.contoso.test/mcp", Load<V1ConfigMap>(files, "keyservice/config-map.yaml").Data["KeyService__Clients__0__AllowedAudiences__0"]);
        Assert.Contains("namespace: tot-prod", files["kustomization.yaml"], StringComparison.Ordinal);
        Assert.Contains("namespace=\"tot-prod\"", files[KubernetesPublisher.PlainRulesPath], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_model_environment_variable_reaches_the_config_map_and_a_secret_one_does_not()
    {
        var files = await GenerateAsync(b =>
        {
            b.WithEnvironment("totservice", "TotService__MaxDepth", "6");
            var secret = Hosting.ResourceBuilderExtensions.AddParameter(b.Builder, "llm-key", secret: true);
            b.Builder.GetResource<Hosting.Model.ProjectResource>("totservice").Environment["TotService__Llm__ApiKey"] = Hosting.Model.ReferenceExpression.From(secret.Resource);
        });

        Assert.Equal("6", Load<V1ConfigMap>(files, "totservice/config-map.yaml").Data["TotService__MaxDepth"]);
        Assert.DoesNotContain("TotService__Llm__ApiKey", Load<V1ConfigMap>(files, "totservice/config-map.yaml").Data.Keys);
        var variable = Assert.Single(Load<V1Deployment>(files, "totservice/deployment.yaml").Spec.Template.Spec.Containers[0].Env, e => e.Name == "TotService__Llm__ApiKey");
        Assert.Equal(("totservice-secrets", "llm-key"), (variable.ValueFrom.SecretKeyRef.Name, variable.ValueFrom.SecretKeyRef.Key));
        Assert.Contains("llm-key=\n", files["totservice/totservice.secret.env.example"], StringComparison.Ordinal);
        Assert.Contains("totservice.secret.env", files["totservice/kustomization.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_replace_a_model_variable_instead_of_duplicating_it()
    {
        var files = await GenerateAsync(
            b => b.Builder.GetResource<Hosting.Model.ProjectResource>("keyservice").Environment["KeyService__Clients__0__SecretHash"] =
                Hosting.Model.ReferenceExpression.From(b.Builder.GetResource<Hosting.Model.ParameterResource>("dev-client-secret")),
            "--Publishing:Kubernetes:Resources:keyservice:Environment:KeyService__Issuer=https://login.contoso.test");

        var container = Assert.Single(Load<V1Deployment>(files, "keyservice/deployment.yaml").Spec.Template.Spec.Containers);
        var hash = Assert.Single(container.Env, e => e.Name == "KeyService__Clients__0__SecretHash");
        Assert.Equal("client-0-secret-hash", hash.ValueFrom.SecretKeyRef.Key);
        Assert.Equal(container.Env.Count, container.Env.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("https://login.contoso.test", Load<V1ConfigMap>(files, "keyservice/config-map.yaml").Data["KeyService__Issuer"]);
    }

    [Fact]
    public async Task The_key_age_threshold_follows_a_configured_rotation_interval()
    {
        var files = await GenerateAsync(null, "--Publishing:Kubernetes:Resources:keyservice:Environment:KeyService__RotationInterval=1.00:00:00");
        var rules = KubernetesYaml.Deserialize<PrometheusRuleFile>(files[KubernetesPublisher.PlainRulesPath], strict: true);

        Assert.EndsWith($"> {(24 + 2) * 3600}", Assert.Single(rules.Groups[0].Rules, r => r.Alert == "SigningKeyTooOld").Expr, StringComparison.Ordinal);
    }
}
