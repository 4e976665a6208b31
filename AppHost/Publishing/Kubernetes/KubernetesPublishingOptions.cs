namespace AppHost.Publishing.Kubernetes;

/// <summary>
/// What the Kubernetes generator needs beyond Aspire's manifest (the <c>Publishing:Kubernetes</c> configuration
/// section): replica counts, public host names, image coordinates, sizing and the cluster's ingress and monitoring namespaces.
/// Defaults are production-shaped; override any of them with configuration or command-line switches, e.g.
/// <c>--Publishing:Kubernetes:Resources:totservice:Host=mcp.contoso.com</c>.
/// </summary>
public sealed class KubernetesPublishingOptions
{
    public const string SectionName = "Publishing:Kubernetes";

    /// <summary>TotService's MCP route; kept here because the generator reads only the manifest, never the AppHost's code.</summary>
    public const string McpPath = "/mcp";

    public string Namespace { get; set; } = "tot-mcp";

    /// <summary>Registry and path prefix of the service images: <c>{ImageRegistry}/{resource}:{ImageTag}</c>.</summary>
    public string ImageRegistry { get; set; } = "registry.example.com/tot-mcp";

    public string ImageTag { get; set; } = "1.0.0";

    /// <summary><c>ASPNETCORE_ENVIRONMENT</c> of the deployed services.</summary>
    public string Environment { get; set; } = "Production";

    public string IngressClassName { get; set; } = "nginx";

    /// <summary>cert-manager <c>ClusterIssuer</c> that issues the Ingress TLS certificates.</summary>
    public string ClusterIssuer { get; set; } = "letsencrypt-prod";

    /// <summary>Namespace and pod labels of the ingress controller (the only source of public traffic).</summary>
    public string IngressControllerNamespace { get; set; } = "ingress-nginx";

    public Dictionary<string, string> IngressControllerPodLabels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Namespace and pod labels of Prometheus (allowed to scrape <c>/metrics</c>).</summary>
    public string PrometheusNamespace { get; set; } = "monitoring";

    public Dictionary<string, string> PrometheusPodLabels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Added to the rotation interval and propagation time before a signing key counts as overdue.</summary>
    public TimeSpan SigningKeyAgeSlack { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Per-resource settings, keyed by manifest resource name.</summary>
    public Dictionary<string, KubernetesResourceOptions> Resources { get; set; } = new(StringComparer.Ordinal);

    public KubernetesResourceOptions For(string resource) =>
        Resources.TryGetValue(resource, out var options) ? options : new KubernetesResourceOptions();

    /// <summary>The defaults for this repository's app model; configuration is bound on top of them.</summary>
    public static KubernetesPublishingOptions CreateDefault()
    {
        var options = new KubernetesPublishingOptions();
        options.IngressControllerPodLabels["app.kubernetes.io/name"] = "ingress-nginx";
        options.PrometheusPodLabels["app.kubernetes.io/name"] = "prometheus";
        options.Resources["redis"] = new KubernetesResourceOptions
        {
            Replicas = 1,
            CpuRequest = "100m",
            CpuLimit = "500m",
            MemoryRequest = "128Mi",
            MemoryLimit = "512Mi",
            StorageSize = "1Gi",
            // The official redis image's "redis" user.
            RunAsUser = 999,
        };
        options.Resources["keyservice"] = new KubernetesResourceOptions
        {
            Replicas = 2,
            CpuRequest = "100m",
            CpuLimit = "500m",
            MemoryRequest = "128Mi",
            MemoryLimit = "256Mi",
            Host = "auth.example.com",
            Routes =
            [
                new("/.well-known/jwks.json", "Exact"),
                new("/.well-known/openid-configuration", "Exact"),
                new("/.well-known/oauth-authorization-server", "Exact"),
                new("/connect/token", "Exact"),
            ],
            Environment = new(StringComparer.Ordinal)
            {
                ["KeyService__RotationInterval"] = "7.00:00:00",
                ["KeyService__PropagationTime"] = "01:00:00",
                ["KeyService__GraceTime"] = "1.00:00:00",
                ["KeyService__TokenLifetime"] = "00:15:00",
                ["KeyService__JwksMaxAge"] = "01:00:00",
            },
            // In a cluster the client secret is never stored in clear: the operator supplies its PBKDF2 hash.
            RemoveEnvironment = ["KeyService__Clients__0__Secret"],
            SecretEnvironment = new(StringComparer.Ordinal) { ["KeyService__Clients__0__SecretHash"] = "client-0-secret-hash" },
        };
        options.Resources["totservice"] = new KubernetesResourceOptions
        {
            Replicas = 2,
            MaxReplicas = 5,
            CpuRequest = "250m",
            CpuLimit = "1",
            MemoryRequest = "256Mi",
            MemoryLimit = "512Mi",
            Host = "mcp.example.com",
            Routes =
            [
                new(McpPath, "Prefix"),
                new("/.well-known/oauth-protected-resource", "Prefix"),
            ],
            // Sessions of clients that still send initialize live in one replica's memory: their requests are hashed on
            // the session header; requests without one (MCP 2026-07-28, stateless) are balanced per request.
            SessionAffinityHeader = "Mcp-Session-Id",
            IngressAnnotations = new(StringComparer.Ordinal)
            {
                // Streamable HTTP answers with long-lived SSE streams: no buffering, generous read timeout.
                ["nginx.ingress.kubernetes.io/proxy-buffering"] = "off",
                ["nginx.ingress.kubernetes.io/proxy-read-timeout"] = "3600",
            },
        };
        return options;
    }
}

/// <summary>Sizing, exposure and environment of one resource in the cluster.</summary>
public sealed class KubernetesResourceOptions
{
    /// <summary>Replicas (the HPA minimum when <see cref="MaxReplicas"/> is larger); the manifest carries none, so 1 when unset.</summary>
    public int? Replicas { get; set; }

    /// <summary>Adds a HorizontalPodAutoscaler from <see cref="Replicas"/> to this many replicas.</summary>
    public int? MaxReplicas { get; set; }

    public int TargetCpuUtilization { get; set; } = 70;

    public int TargetMemoryUtilization { get; set; } = 80;

    public string CpuRequest { get; set; } = "100m";

    public string CpuLimit { get; set; } = "500m";

    public string MemoryRequest { get; set; } = "128Mi";

    public string MemoryLimit { get; set; } = "256Mi";

    /// <summary>Persistent volume size for stateful resources (Redis).</summary>
    public string StorageSize { get; set; } = "1Gi";

    /// <summary>The non-root uid/gid the container runs as (the .NET images' <c>app</c> user by default).</summary>
    public long RunAsUser { get; set; } = 1654;

    /// <summary>Public host name of an external endpoint; its URL (<c>https://host</c>) replaces the endpoint in settings.</summary>
    public string? Host { get; set; }

    /// <summary>The only paths the Ingress routes to this resource (never <c>/admin</c>).</summary>
    public List<PublicRoute> Routes { get; set; } = [];

    /// <summary>
    /// Request header whose value pins a client to one replica (consistent hashing at the ingress), for the requests that
    /// carry it; requests without it are balanced per request.
    /// </summary>
    public string? SessionAffinityHeader { get; set; }

    public Dictionary<string, string> IngressAnnotations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Readiness route of a project (ServiceDefaults maps it); the manifest does not carry health checks.</summary>
    public string ReadinessPath { get; set; } = "/health";

    /// <summary>Non-secret settings the cluster needs on top of the manifest's (ConfigMap).</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Secret settings the operator supplies: environment variable name to key in the resource's env file.</summary>
    public Dictionary<string, string> SecretEnvironment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Manifest variables that are for local development only.</summary>
    public List<string> RemoveEnvironment { get; set; } = [];

    public int TerminationGracePeriodSeconds { get; set; } = 30;

    /// <summary>Seconds a stopping pod keeps serving while endpoints and the ingress forget it.</summary>
    public int PreStopSleepSeconds { get; set; } = 5;
}

/// <summary>A path the Ingress exposes, with its Kubernetes path type (<c>Exact</c> or <c>Prefix</c>).</summary>
public sealed class PublicRoute
{
    public PublicRoute()
    {
    }

    public PublicRoute(string path, string pathType)
    {
        Path = path;
        PathType = pathType;
    }

    public string Path { get; set; } = "/";

    public string PathType { get; set; } = "Exact";
}
