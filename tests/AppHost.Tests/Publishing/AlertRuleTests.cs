using AppHost.Publishing.Kubernetes;
using AppHost.Publishing.Monitoring;
using k8s;
using YamlDotNet.RepresentationModel;

namespace AppHost.Tests.Publishing;

/// <summary>The alert rules are valid PromQL and behave as intended (promtool unit tests, one group or more per alert).</summary>
public sealed class AlertRuleTests
{
    private static string RulesFile => Path.Combine(PublishedOutput.AspirateOutput, KubernetesGenerator.PlainRulesPath);

    [Fact]
    public async Task Promtool_accepts_the_rules()
    {
        var result = await ExternalTool.PromtoolAsync(PublishedOutput.RepositoryRoot, "check", "rules", RulesFile);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("SUCCESS: 7 rules found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_unit_tests_pass()
    {
        var result = await ExternalTool.PromtoolAsync(PublishedOutput.RepositoryRoot, "test", "rules", PublishedOutput.PromtoolTests, PublishedOutput.PromtoolRotationTests);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alert_has_a_test_where_it_fires_and_one_where_it_stays_silent()
    {
        var rules = KubernetesYaml.Deserialize<PrometheusRuleFile>(File.ReadAllText(RulesFile), strict: true);
        var alerts = rules.Groups.SelectMany(g => g.Rules).Select(r => r.Alert).ToList();
        Assert.Equal(
            ["HighCpuUsage", "HighMemoryUsage", "HighServerErrorRatio", "ServiceDown", "SigningKeyTooOld", "TokenEndpointFailureRatioHigh", "TotRunsFailing"],
            alerts.Order(StringComparer.Ordinal));

        var evaluations = new[] { PublishedOutput.PromtoolTests, PublishedOutput.PromtoolRotationTests }
            .SelectMany(file =>
            {
                var stream = new YamlStream();
                using var reader = new StreamReader(file);
                stream.Load(reader);
                return ((YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["tests"]).Children;
            })
            .Cast<YamlMappingNode>()
            .SelectMany(test => ((YamlSequenceNode)test["alert_rule_test"]).Children.Cast<YamlMappingNode>())
            .Select(e => (Alert: e["alertname"].ToString(), Fires: ((YamlSequenceNode)e["exp_alerts"]).Children.Count > 0))
            .ToList();

        Assert.All(alerts, alert =>
        {
            Assert.True(evaluations.Any(e => e.Alert == alert && e.Fires), $"{alert}: no test where it fires");
            Assert.True(evaluations.Any(e => e.Alert == alert && !e.Fires), $"{alert}: no test where it stays silent");
        });
    }

    [Fact]
    public void Ratios_aggregate_both_sides_with_the_same_sum()
    {
        var rules = KubernetesYaml.Deserialize<PrometheusRuleFile>(File.ReadAllText(RulesFile), strict: true).Groups.SelectMany(g => g.Rules);
        Assert.All(rules.Where(r => r.Expr.Contains(" / ", StringComparison.Ordinal)), rule =>
        {
            var sides = rule.Expr.Split(" / ");
            Assert.Equal(2, sides.Length);
            var numerator = sides[0][..(sides[0].IndexOf(')', StringComparison.Ordinal) + 1)];
            Assert.StartsWith("sum by (", numerator, StringComparison.Ordinal);
            Assert.StartsWith(numerator, sides[1], StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_key_age_alert_follows_the_rotation_settings()
    {
        var rules = KubernetesYaml.Deserialize<PrometheusRuleFile>(File.ReadAllText(RulesFile), strict: true).Groups.SelectMany(g => g.Rules);
        var rule = Assert.Single(rules, r => r.Alert == "SigningKeyTooOld");
        Assert.Contains(MetricNames.SigningKeyAge, rule.Expr, StringComparison.Ordinal);
        // 7 days rotation + 1 h propagation + 1 h slack.
        Assert.EndsWith($"> {(7 * 24 + 2) * 3600}", rule.Expr, StringComparison.Ordinal);
    }
}
