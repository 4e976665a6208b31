using k8s.Models;

namespace AppHost.Publishing.Kubernetes;

/// <summary>
/// One Ingress per external resource, routing only its public paths to its Service with TLS from cert-manager.
/// Paths are passed through unchanged (no rewrite). A session-affinity header becomes ingress-nginx consistent
/// hashing on that header, so every request of an MCP session reaches the replica that holds it.
/// </summary>
internal static class IngressFactory
{
    public static V1Ingress Create(WorkloadPlan plan, KubernetesPublishingOptions options)
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
            ["nginx.ingress.kubernetes.io/ssl-redirect"] = "true",
        };
        if (plan.Options.SessionAffinityHeader is { Length: > 0 } header)
        {
            annotations["nginx.ingress.kubernetes.io/upstream-hash-by"] = $"$http_{header.Replace('-', '_').ToLowerInvariant()}";
        }

        var ingress = KubernetesObjects.Create<V1Ingress>(plan.Name, plan.Labels);
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
                            .. plan.Options.Routes.Select(route => new V1HTTPIngressPath
                            {
                                Path = route.Path,
                                PathType = route.PathType,
                                Backend = new V1IngressBackend
                                {
                                    Service = new V1IngressServiceBackend { Name = plan.Name, Port = new V1ServiceBackendPort { Name = plan.PortName } },
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
