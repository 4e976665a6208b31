using AppHost.Publishing.Kubernetes;
using AppHost.Publishing.Monitoring;
using k8s;
using k8s.Models;

namespace AppHost.Tests.Publishing;

/// <summary>Every YAML document parses strictly (unknown fields, duplicate keys fail) into its typed model, and kustomize builds the tree.</summary>
public sealed class YamlModelTests(BuiltOutputFixture built) : IClassFixture<BuiltOutputFixture>
{
    public static TheoryData<string> ObjectFiles() =>
        [.. PublishedOutput.ReadTree(PublishedOutput.AspirateOutput).Keys
            .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) && !p.EndsWith("kustomization.yaml", StringComparison.Ordinal)
                && p != KubernetesGenerator.PlainRulesPath)];

    [Theory]
    [MemberData(nameof(ObjectFiles))]
    public void Each_committed_object_parses_strictly_into_its_typed_model_and_round_trips(string path)
    {
        var text = File.ReadAllText(Path.Combine(PublishedOutput.AspirateOutput, path));

        var parsed = Assert.Single(PublishedOutput.LoadStrict(text));

        var typed = Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(parsed);
        Assert.False(string.IsNullOrEmpty(typed.Metadata.Name), $"{path}: no metadata.name");
        Assert.True(parsed.GetType().Namespace is "k8s.Models" or "AppHost.Publishing.Monitoring", $"{path}: parsed as {parsed.GetType()}");
        // Nothing was dropped or reinterpreted by the typed model.
        Assert.Equal(Body(text), KubernetesYaml.Serialize(parsed).TrimEnd('\n'));
    }

    [Fact]
    public void Strict_parsing_rejects_an_unknown_field()
    {
        var text = File.ReadAllText(Path.Combine(PublishedOutput.AspirateOutput, "keyservice", "deployment.yaml"))
            .Replace("  revisionHistoryLimit: 5", "  revisionHistoryLimit: 5\n  replica: 3", StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => PublishedOutput.LoadStrict(text));
    }

    [Fact]
    public void Every_kustomization_parses_strictly_and_lists_only_existing_files_and_folders()
    {
        foreach (var path in PublishedOutput.ReadTree(PublishedOutput.AspirateOutput).Keys.Where(p => p.EndsWith("kustomization.yaml", StringComparison.Ordinal)))
        {
            var file = Path.Combine(PublishedOutput.AspirateOutput, path);
            var kustomization = KubernetesYaml.Deserialize<Kustomization>(File.ReadAllText(file), strict: true);
            var folder = Path.GetDirectoryName(file)!;
            Assert.NotEmpty(kustomization.Resources);
            Assert.All(kustomization.Resources, r => Assert.True(File.Exists(Path.Combine(folder, r)) || Directory.Exists(Path.Combine(folder, r)), $"{path} lists missing '{r}'"));
            Assert.All(kustomization.SecretGenerator ?? [], g => Assert.All(g.Envs, e =>
                Assert.True(File.Exists(Path.Combine(folder, e + ".example")), $"{path}: {e} has no committed .example")));
        }
    }

    [Fact]
    public void The_top_level_kustomization_sets_the_namespace_and_includes_every_resource_folder()
    {
        var top = KubernetesYaml.Deserialize<Kustomization>(File.ReadAllText(Path.Combine(PublishedOutput.AspirateOutput, "kustomization.yaml")), strict: true);
        Assert.Equal("tot-mcp", top.Namespace);
        Assert.Equal(["namespace", "redis", "keyservice", "totservice", "monitoring"], top.Resources);
    }

    [Fact]
    public void Kustomize_builds_the_tree_into_the_expected_objects()
    {
        var kinds = built.Objects.Cast<IKubernetesObject<V1ObjectMeta>>()
            .GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        Assert.Equal(1, kinds["Namespace"]);
        Assert.Equal(1, kinds["ResourceQuota"]);
        Assert.Equal(1, kinds["LimitRange"]);
        Assert.Equal(3, kinds["ServiceAccount"]);
        Assert.Equal(2, kinds["Deployment"]);
        Assert.Equal(1, kinds["StatefulSet"]);
        Assert.Equal(4, kinds["Service"]); // totservice has a second one, for its session Ingress
        Assert.Equal(3, kinds["PodDisruptionBudget"]);
        Assert.Equal(1, kinds["HorizontalPodAutoscaler"]);
        Assert.Equal(3, kinds["Ingress"]);
        Assert.Equal(5, kinds["NetworkPolicy"]);
        Assert.Equal(2, kinds["Secret"]);
        Assert.Equal(2, kinds["ServiceMonitor"]);
        Assert.Equal(1, kinds["PrometheusRule"]);
        Assert.All(built.Objects.Cast<IKubernetesObject<V1ObjectMeta>>().Where(o => o.Kind != "Namespace"),
            o => Assert.Equal("tot-mcp", o.Metadata.NamespaceProperty));
    }

    [Fact]
    public async Task Kustomize_refuses_to_build_until_the_operator_creates_the_secret_env_files()
    {
        using var temp = new TempDirectory();
        PublishedOutput.CopyWithDummySecrets(PublishedOutput.AspirateOutput, temp.Path);
        File.Delete(Path.Combine(temp.Path, "redis", "redis.secret.env"));

        var result = await ExternalTool.KubectlAsync(temp.Path, "kustomize", temp.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("redis.secret.env", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prometheus_rule_and_the_plain_rules_file_carry_the_same_rules()
    {
        var plain = KubernetesYaml.Deserialize<PrometheusRuleFile>(
            File.ReadAllText(Path.Combine(PublishedOutput.AspirateOutput, KubernetesGenerator.PlainRulesPath)), strict: true);
        var rule = Assert.Single(built.All<V1PrometheusRule>());

        Assert.Equal(KubernetesYaml.Serialize(plain), KubernetesYaml.Serialize(rule.Spec));
        Assert.Equal(7, plain.Groups.Sum(g => g.Rules.Count));
    }

    private static string Body(string text) =>
        string.Join('\n', text.Split('\n').SkipWhile(l => l.StartsWith('#'))).TrimEnd('\n');
}
