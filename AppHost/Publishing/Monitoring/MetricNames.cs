namespace AppHost.Publishing.Monitoring;

/// <summary>
/// Every Prometheus series the alert rules read, in one place. The services export OpenTelemetry metrics through
/// the Prometheus exporter (dots become underscores, counters get <c>_total</c>); CPU and memory come from the
/// cluster: cAdvisor (kubelet) for usage and kube-state-metrics for limits, as in kube-prometheus-stack.
/// </summary>
public static class MetricNames
{
    /// <summary>Prometheus' own scrape health, 1 or 0 per target.</summary>
    public const string Up = "up";

    /// <summary>Gauge: age of KeyService's active signing key (<c>keyservice.active_key.age</c>).</summary>
    public const string SigningKeyAge = "keyservice_active_key_age_seconds";

    /// <summary>
    /// Counter of token requests by <see cref="TokenResultLabel"/>: <c>success</c>, or the RFC 6749 error code
    /// (<c>invalid_client</c>, <c>invalid_scope</c>, ...) of a refused request.
    /// </summary>
    public const string TokensIssued = "keyservice_tokens_issued_total";
    public const string TokenResultLabel = "result";
    public const string TokenResultSuccess = "success";

    /// <summary>
    /// Counter of finished Tree-of-Thoughts runs by <see cref="TotOutcomeLabel"/>: <c>solved</c>, <c>unsolved</c>,
    /// <c>cancelled</c>, <c>failed</c> (provider or store error) or <c>lost</c> (executing replica died).
    /// </summary>
    public const string TotRuns = "totmcp_tot_runs_total";
    public const string TotOutcomeLabel = "outcome";
    public const string TotOutcomeFailedPattern = "failed|lost";

    /// <summary>ASP.NET Core's request duration histogram (its count series), by status code.</summary>
    public const string HttpServerRequests = "http_server_request_duration_seconds_count";
    public const string HttpStatusCodeLabel = "http_response_status_code";

    /// <summary>cAdvisor: CPU seconds used per container.</summary>
    public const string ContainerCpuUsage = "container_cpu_usage_seconds_total";

    /// <summary>cAdvisor: memory the kernel will not reclaim (what the OOM killer compares with the limit).</summary>
    public const string ContainerMemoryWorkingSet = "container_memory_working_set_bytes";

    /// <summary>kube-state-metrics: container limits by <c>resource</c> (cpu in cores, memory in bytes).</summary>
    public const string ContainerResourceLimits = "kube_pod_container_resource_limits";
}
