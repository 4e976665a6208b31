using System.Text;
using k8s;
using k8s.Models;
using Operations.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace Operations.Tests.Deploy;

/// <summary>
/// What <c>deploy.sh --dry-run</c> renders is what would reach the cluster: the right images, hosts, settings and
/// namespace, still hardened, every reference resolvable, and produced without touching the cluster or the secrets.
/// </summary>
public sealed class DryRunTests(DryRunFixture dryRun) : IClassFixture<DryRunFixture>
{
    private const string AuthHost = "auth." + DeployScript.Domain;
    private const string McpHost = "mcp." + DeployScript.Domain;

    [Fact]
    public void It_only_renders_offline_and_writes_no_secret()
    {
        Assert.True(dryRun.Result.ExitCode == 0, dryRun.Result.All);
        Assert.NotEmpty(dryRun.Calls);
        Assert.All(dryRun.Calls, call => Assert.StartsWith("kustomize ", call, StringComparison.Ordinal));
        Assert.Contains("dry run: nothing applied, no secret generated", dryRun.Result.Output, StringComparison.Ordinal);
        Assert.Equal(dryRun.SecretFilesBefore, DryRunFixture.SecretFiles());
        Assert.All(dryRun.All<V1Secret>(), secret => Assert.All(secret.Data.Values, value => Assert.Equal("dry-run-placeholder", Encoding.UTF8.GetString(value))));
        Assert.Equal(["keyservice-secrets", "redis-secrets"], dryRun.All<V1Secret>().Select(s => s.Metadata.Name[..s.Metadata.Name.LastIndexOf('-')]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_services_run_the_requested_images_and_redis_keeps_its_own()
    {
        foreach (var service in new[] { "keyservice", "totservice" })
        {
            Assert.Equal($"{DeployScript.Registry}/{service}:{DeployScript.Tag}", Assert.Single(dryRun.Named<V1Deployment>(service).Spec.Template.Spec.Containers).Image);
        }
        Assert.StartsWith("docker.io/library/redis:", Assert.Single(dryRun.Named<V1StatefulSet>("redis").Spec.Template.Spec.Containers).Image, StringComparison.Ordinal);
    }

    [Fact]
    public void Everything_lands_in_the_requested_namespace()
    {
        var ns = Assert.Single(dryRun.All<V1Namespace>());
        Assert.Equal(DryRunFixture.Namespace, ns.Metadata.Name);
        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        Assert.All(dryRun.Objects.OfType<IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace), o =>
            Assert.True(o.Metadata.NamespaceProperty == DryRunFixture.Namespace, $"{o.Kind}/{o.Metadata.Name} is in '{o.Metadata.NamespaceProperty}'"));
    }

    [Fact]
    public void The_public_hosts_and_the_token_settings_follow_the_domain()
    {
        // The session canary must keep its main Ingress's host, or ingress-nginx would not pair them.
        foreach (var (name, host) in new[] { ("keyservice", AuthHost), ("totservice", McpHost), ("totservice-sessions", McpHost) })
        {
            var ingress = dryRun.Named<V1Ingress>(name);
            Assert.Equal(host, Assert.Single(ingress.Spec.Rules).Host);
            Assert.Equal([host], Assert.Single(ingress.Spec.Tls).Hosts);
            Assert.Equal("nginx", ingress.Spec.IngressClassName);
        }
        var keyService = dryRun.Named<V1ConfigMap>("keyservice-config").Data;
        var totService = dryRun.Named<V1ConfigMap>("totservice-config").Data;
        Assert.Equal($"https://{AuthHost}", keyService["KeyService__Issuer"]);
        Assert.Equal(keyService["KeyService__Issuer"], totService["TotService__Issuer"]);
        Assert.Equal(DeployScript.Audience, keyService["KeyService__Clients__0__AllowedAudiences__0"]);
        Assert.Equal(DeployScript.Audience, totService["TotService__Audience"]);
        Assert.DoesNotContain("example.com", dryRun.RenderedYaml, StringComparison.Ordinal);
        Assert.All(dryRun.All<V1Deployment>(), d => Assert.Matches("^[0-9a-f]{16}$", d.Spec.Template.Metadata.Annotations["tot-mcp/deploy-hash"]));
    }

    [Fact]
    public async Task The_alert_rules_follow_the_namespace_and_promtool_accepts_them()
    {
        var rule = Assert.Single(dryRun.All<MonitoringResource>(), r => r.Kind == "PrometheusRule");
        var rules = new SerializerBuilder().Build().Serialize(rule.Spec);
        Assert.Contains($"namespace=\"{DryRunFixture.Namespace}\"", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("namespace=\"tot-mcp\"", rules, StringComparison.Ordinal);

        using var scratch = new ScratchDirectory();
        File.WriteAllText(scratch.File("rules.yaml"), rules);
        var result = await Tool.PromtoolAsync("check", "rules", scratch.File("rules.yaml"));
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("SUCCESS: 7 rules found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_pod_still_runs_restricted_with_probes_and_limits()
    {
        Assert.Equal(["keyservice", "redis", "totservice"], dryRun.Workloads().Select(w => w.Name).Order(StringComparer.Ordinal));
        Assert.All(dryRun.Workloads(), workload =>
        {
            var pod = workload.Template.Spec;
            Assert.True(pod.SecurityContext.RunAsNonRoot, $"{workload.Name}: runAsNonRoot");
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile?.Type);
            Assert.False(pod.AutomountServiceAccountToken ?? true, $"{workload.Name}: automounts a token");
            Assert.All(pod.Containers, container =>
            {
                Assert.False(container.SecurityContext.AllowPrivilegeEscalation ?? true, $"{container.Name}: allowPrivilegeEscalation");
                Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, $"{container.Name}: readOnlyRootFilesystem");
                Assert.Equal(["ALL"], container.SecurityContext.Capabilities?.Drop);
                Assert.NotNull(container.ReadinessProbe);
                Assert.NotNull(container.LivenessProbe);
                Assert.True(container.Resources.Limits.ContainsKey("cpu") && container.Resources.Limits.ContainsKey("memory"), $"{container.Name}: limits");
                Assert.Matches(@"^[a-z0-9.-]+\.[a-z]+(:[0-9]+)?/[a-z0-9./-]+:[A-Za-z0-9._-]+$", container.Image);
            });
        });
    }

    [Fact]
    public void Every_secret_and_config_map_a_pod_reads_is_in_the_output_with_the_key_it_names()
    {
        var secrets = dryRun.All<V1Secret>().ToDictionary(s => s.Metadata.Name, s => s.Data.Keys.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var maps = dryRun.All<V1ConfigMap>().Select(m => m.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var containers = dryRun.Workloads().SelectMany(w => w.Template.Spec.Containers).ToList();
        var secretRefs = containers.SelectMany(c => c.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>().ToList();
        Assert.True(secretRefs.Count >= 4, $"only {secretRefs.Count} secret references");
        Assert.All(secretRefs, r => Assert.True(secrets.TryGetValue(r.Name, out var keys) && keys.Contains(r.Key), $"secret {r.Name} key {r.Key} is not rendered"));
        Assert.All(containers.SelectMany(c => c.EnvFrom ?? []).Select(e => e.ConfigMapRef?.Name).OfType<string>(), name => Assert.Contains(name, maps));
    }

    [Fact]
    public async Task A_render_that_misses_the_requested_image_is_refused()
    {
        using var scratch = new ScratchDirectory();
        var manifests = scratch.File("manifests");
        DeployScript.CopyCommittedManifests(manifests);
        var deployment = Path.Combine(manifests, "totservice", "deployment.yaml");
        File.WriteAllText(deployment, File.ReadAllText(deployment).Replace("image: totservice", "image: other.example.org/tot:1", StringComparison.Ordinal));

        var result = await Tool.RunAsync(Tool.Find("bash", "bash"),
            [Repository.PathOf("deploy", "deploy.sh"), "--dry-run", "--domain", DeployScript.Domain, "--image-registry", DeployScript.Registry,
             "--tag", DeployScript.Tag, "--manifests", manifests, "--output", scratch.File("out")]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"deploy: totservice does not run {DeployScript.Registry}/totservice:{DeployScript.Tag}", result.Error, StringComparison.Ordinal);
    }
}
