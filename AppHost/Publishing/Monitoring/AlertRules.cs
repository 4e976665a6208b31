using System.Globalization;
using AppHost.Publishing.Kubernetes;

namespace AppHost.Publishing.Monitoring;

/// <summary>
/// The alerts, written once and published twice: as a Prometheus Operator <c>PrometheusRule</c> and as a plain rules
/// file (unit-tested with <c>promtool test rules</c>). Every ratio aggregates numerator and denominator with the same
/// <c>sum by (...)</c>, so the division matches series by series instead of silently returning nothing.
/// Targets are selected by namespace and <c>job</c> = Service name (the Prometheus Operator's default job label).
/// </summary>
internal static class AlertRules
{
    public const double ResourceUsageThreshold = 0.9;
    public const double TokenFailureRatioThreshold = 0.25;
    public const double ServerErrorRatioThreshold = 0.05;
    public const double TotRunFailureRatioThreshold = 0.5;

    public static PrometheusRuleFile Create(IReadOnlyList<WorkloadPlan> plans, KubernetesPublishingOptions options)
    {
        var ns = $"namespace=\"{options.Namespace}\"";
        var services = plans.Where(p => p.IsHttp).Select(p => p.Name).ToList();
        var servicesRegex = string.Join('|', services);
        var containersRegex = string.Join('|', plans.Select(p => p.Name));
        var keyAgeLimit = SigningKeyAgeLimit(options);

        var rules = new List<AlertingRule>
        {
            Rule(
                "ServiceDown",
                string.Join(" or ",
                    services.Select(s => $"absent({MetricNames.Up}{{{ns}, job=\"{s}\"}})")
                        .Prepend($"sum by (namespace, job) ({MetricNames.Up}{{{ns}, job=~\"{servicesRegex}\"}}) == 0")),
                "2m",
                "critical",
                "{{ $labels.job }} has no healthy scrape target",
                "No replica of {{ $labels.job }} in {{ $labels.namespace }} has answered a scrape for 2 minutes."),
            Rule(
                "HighCpuUsage",
                $"sum by (namespace, pod, container) (rate({MetricNames.ContainerCpuUsage}{{{ns}, container=~\"{containersRegex}\"}}[5m]))" +
                $" / sum by (namespace, pod, container) ({MetricNames.ContainerResourceLimits}{{{ns}, container=~\"{containersRegex}\", resource=\"cpu\"}})" +
                $" > {Number(ResourceUsageThreshold)}",
                "15m",
                "warning",
                "{{ $labels.pod }} uses over 90% of its CPU limit",
                "{{ $labels.container }} in {{ $labels.pod }} has run at {{ $value | humanizePercentage }} of its CPU limit for 15 minutes (throttling)."),
            Rule(
                "HighMemoryUsage",
                $"sum by (namespace, pod, container) ({MetricNames.ContainerMemoryWorkingSet}{{{ns}, container=~\"{containersRegex}\"}})" +
                $" / sum by (namespace, pod, container) ({MetricNames.ContainerResourceLimits}{{{ns}, container=~\"{containersRegex}\", resource=\"memory\"}})" +
                $" > {Number(ResourceUsageThreshold)}",
                "10m",
                "warning",
                "{{ $labels.pod }} uses over 90% of its memory limit",
                "{{ $labels.container }} in {{ $labels.pod }} has used {{ $value | humanizePercentage }} of its memory limit for 10 minutes (OOM kill ahead)."),
            Rule(
                "SigningKeyTooOld",
                $"max by (namespace) ({MetricNames.SigningKeyAge}{{{ns}}}) > {Number(keyAgeLimit.TotalSeconds)}",
                "5m",
                "critical",
                "KeyService has not rotated its signing key",
                $"The active signing key is {{{{ $value | humanizeDuration }}}} old, more than the rotation interval plus propagation and slack ({keyAgeLimit.ToString("c", CultureInfo.InvariantCulture)}): automatic rotation is stuck."),
            Rule(
                "TokenEndpointFailureRatioHigh",
                $"sum by (namespace) (rate({MetricNames.TokensIssued}{{{ns}, {MetricNames.TokenResultLabel}!=\"{MetricNames.TokenResultSuccess}\"}}[5m]))" +
                $" / sum by (namespace) (rate({MetricNames.TokensIssued}{{{ns}}}[5m]))" +
                $" > {Number(TokenFailureRatioThreshold)}",
                "10m",
                "warning",
                "Over 25% of token requests fail",
                "{{ $value | humanizePercentage }} of /connect/token requests failed over 10 minutes: misconfigured clients, or an attack."),
            Rule(
                "HighServerErrorRatio",
                $"sum by (namespace, job) (rate({MetricNames.HttpServerRequests}{{{ns}, job=~\"{servicesRegex}\", {MetricNames.HttpStatusCodeLabel}=~\"5..\"}}[5m]))" +
                $" / sum by (namespace, job) (rate({MetricNames.HttpServerRequests}{{{ns}, job=~\"{servicesRegex}\"}}[5m]))" +
                $" > {Number(ServerErrorRatioThreshold)}",
                "5m",
                "critical",
                "{{ $labels.job }} answers over 5% of requests with 5xx",
                "{{ $value | humanizePercentage }} of {{ $labels.job }}'s requests failed with a server error over 5 minutes."),
            Rule(
                "TotRunsFailing",
                $"sum by (namespace) (rate({MetricNames.TotRuns}{{{ns}, {MetricNames.TotOutcomeLabel}=~\"{MetricNames.TotOutcomeFailedPattern}\"}}[15m]))" +
                $" / sum by (namespace) (rate({MetricNames.TotRuns}{{{ns}}}[15m]))" +
                $" > {Number(TotRunFailureRatioThreshold)}",
                "15m",
                "warning",
                "Most Tree-of-Thoughts runs fail",
                "{{ $value | humanizePercentage }} of finished Tree-of-Thoughts runs failed over 15 minutes."),
        };
        return new PrometheusRuleFile { Groups = [new RuleGroup { Name = "tot-mcp", Rules = rules }] };
    }

    /// <summary>Rotation interval + propagation time (KeyService's own settings) + slack.</summary>
    public static TimeSpan SigningKeyAgeLimit(KubernetesPublishingOptions options)
    {
        var settings = options.For("keyservice").Environment;
        TimeSpan Setting(string name) =>
            settings.TryGetValue(name, out var value) ? TimeSpan.Parse(value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"Publishing:Kubernetes:Resources:keyservice:Environment:{name} is required (the key-age alert is derived from it).");
        return Setting("KeyService__RotationInterval") + Setting("KeyService__PropagationTime") + options.SigningKeyAgeSlack;
    }

    private static AlertingRule Rule(string alert, string expr, string duration, string severity, string summary, string description) => new()
    {
        Alert = alert,
        Expr = expr,
        For = duration,
        Labels = new(StringComparer.Ordinal) { ["severity"] = severity },
        Annotations = new(StringComparer.Ordinal) { ["summary"] = summary, ["description"] = description },
    };

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
