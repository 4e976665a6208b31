using k8s.Models;

namespace AppHost.Publishing.Kubernetes;

/// <summary>
/// One Ingress per external resource, routing only its public paths to its Service with TLS from cert-manager.
/// Paths are passed through unchanged (no rewrite). Requests are spread over the replicas. A resource with a
/// session-affinity header also gets <see cref="CreateSessionCanary"/>: only requests that carry the header stick to one
/// replica.
/// </summary>
internal static class IngressFactory
{
    private const string Nginx = "nginx.ingress.kubernetes.io/";

    public static V1Ingress Create(WorkloadPlan plan, KubernetesPublishingOptions options) =>
        Build(plan, options, plan.Name, plan.Name, plan.Options.Routes, extra: null);

    /// <summary>
    /// For a resource with a session-affinity header (MCP's <c>Mcp-Session-Id</c>): an ingress-nginx canary of the main
    /// Ingress that takes exactly the requests carrying the header (any value) to <see cref="SessionServiceName"/> and
    /// hashes them on it, so every request of a session reaches the replica that holds it. Requests without it (MCP's
    /// stateless revision, which has no session) stay on the main Ingress and are balanced per request; hashing them on an
    /// absent header would send them all to one replica. ingress-nginx honours upstream-hash-by on a canary (it ignores
    /// most other annotations there), and a canary needs a Service of its own. Null without a header.
    /// </summary>
    public static V1Ingress? CreateSessionCanary(WorkloadPlan plan, KubernetesPublishingOptions options)
    {
        if (plan.Options.SessionAffinityHeader is not { Length: > 0 } header)
        {
            return null;
        }
        // The same routes as the main Ingress (a canary shadows its paths); only MCP requests carry the header.
        return Build(plan, options, SessionServiceName(plan), SessionServiceName(plan), plan.Options.Routes, new Dictionary<string, string>
        {
            [Nginx + "canary"] = "true",
            [Nginx + "canary-by-header"] = header,
            [Nginx + "canary-by-header-pattern"] = ".+",
            [Nginx + "upstream-hash-by"] = $"$http_{header.Replace('-', '_').ToLowerInvariant()}",
        });
    }

    /// <summary>The session canary's name, and the Service's it routes to: the same pods and port as the resource's own.</summary>
    public static string SessionServiceName(WorkloadPlan plan) => $"{plan.Name}-sessions";

    private static V1Ingress Build(
        WorkloadPlan plan, KubernetesPublishingOptions options, string name, string service, IReadOnlyList<PublicRoute> routes,
        IReadOnlyDictionary<string, string>? extra)
    {
        var host = plan.Options.Host
            ?? throw new InvalidOperationException($"'{plan.Name}' has external endpoints: set Publishing:Kubernetes:Resources:{plan.Name}:Host.");
        if (plan.Options.Routes.Count == 0)
        {
            throw new InvalidOperationException($"'{plan.Name}' has external endpoints: list its public paths in Publishing:Kubernetes:Resources:{plan.Name}:Routes.");
        }

        var annotations = new SortedDictionary<string, string>(plan.Options.IngressAnnotations, StringComparer.Ordinal)
        {
            ["cert-manager.io/cluster-issuer"] = options.ClusterIssuer,
            [Nginx + "ssl-redirect"] = "true",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            annotations[key] = value;
        }

        var ingress = KubernetesObjects.Create<V1Ingress>(name, plan.Labels);
        ingress.Metadata.Annotations = annotations;
        ingress.Spec = new V1IngressSpec
        {
            IngressClassName = options.IngressClassName,
            Tls = [new V1IngressTLS { Hosts = [host], SecretName = $"{plan.Name}-tls" }],
            Rules =
            [
                new V1IngressRule
                {
                    Host = host,
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths =
                        [
                            .. routes.Select(route => new V1HTTPIngressPath
                            {
                                Path = route.Path,
                                PathType = route.PathType,
                                Backend = new V1IngressBackend
                                {
                                    Service = new V1IngressServiceBackend { Name = service, Port = new V1ServiceBackendPort { Name = plan.PortName } },
                                },
                            }),
                        ],
                    },
                },
            ],
        };
        return ingress;
    }
}
