using k8s;
using k8s.Models;

namespace AppHost.Publishing.Monitoring;

// Prometheus Operator custom resources (monitoring.coreos.com/v1): only the fields the publisher writes.
// KubernetesYaml names these properties in camelCase, as the CRDs spell them.

[KubernetesEntity(Group = "monitoring.coreos.com", ApiVersion = "v1", Kind = "ServiceMonitor", PluralName = "servicemonitors")]
public sealed class V1ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    public V1LabelSelector Selector { get; set; } = new();

    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

public sealed class ServiceMonitorEndpoint
{
    public string Port { get; set; } = "";

    public string Path { get; set; } = "/metrics";

    public string Scheme { get; set; } = "http";

    public string Interval { get; set; } = "30s";
}

[KubernetesEntity(Group = "monitoring.coreos.com", ApiVersion = "v1", Kind = "PrometheusRule", PluralName = "prometheusrules")]
public sealed class V1PrometheusRule : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public PrometheusRuleFile Spec { get; set; } = new();
}

/// <summary>A Prometheus rules file (<c>groups:</c>), also the PrometheusRule's spec.</summary>
public sealed class PrometheusRuleFile
{
    public List<RuleGroup> Groups { get; set; } = [];
}

public sealed class RuleGroup
{
    public string Name { get; set; } = "";

    public List<AlertingRule> Rules { get; set; } = [];
}

public sealed class AlertingRule
{
    public string Alert { get; set; } = "";

    public string Expr { get; set; } = "";

    public string For { get; set; } = "";

    public SortedDictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Annotations { get; set; } = new(StringComparer.Ordinal);
}
