using k8s.Models;

namespace AppHost.Publishing.Kubernetes;

/// <summary>
/// Default deny for the namespace, then one policy per workload that opens exactly the app's edges:
/// in-cluster addresses in a workload's settings (client to server port), the ingress controller to external endpoints, Prometheus to HTTP ports,
/// and DNS for everyone.
/// </summary>
internal static class NetworkPolicyFactory
{
    public static V1NetworkPolicy DefaultDeny()
    {
        var policy = KubernetesObjects.Create<V1NetworkPolicy>("default-deny");
        policy.Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = ["Ingress", "Egress"],
        };
        return policy;
    }

    public static V1NetworkPolicy AllowDns()
    {
        var policy = KubernetesObjects.Create<V1NetworkPolicy>("allow-dns");
        policy.Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = ["Egress"],
            Egress =
            [
                new V1NetworkPolicyEgressRule
                {
                    To =
                    [
                        new V1NetworkPolicyPeer
                        {
                            NamespaceSelector = NamespaceNamed("kube-system"),
                            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } },
                        },
                    ],
                    Ports = [new V1NetworkPolicyPort { Port = 53, Protocol = "UDP" }, new V1NetworkPolicyPort { Port = 53, Protocol = "TCP" }],
                },
            ],
        };
        return policy;
    }

    public static V1NetworkPolicy ForWorkload(WorkloadPlan plan, IReadOnlyList<WorkloadPlan> plans, KubernetesPublishingOptions options)
    {
        var ingress = new List<V1NetworkPolicyIngressRule>();
        var port = new V1NetworkPolicyPort { Port = plan.Port, Protocol = "TCP" };
        var clients = plans.Where(p => p.Connections.Contains(plan.Name)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (clients.Count > 0)
        {
            ingress.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty = [.. clients.Select(c => new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = c.Selector } })],
                Ports = [port],
            });
        }
        if (plan.IsExternal)
        {
            ingress.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty = [Peer(options.IngressControllerNamespace, options.IngressControllerPodLabels)],
                Ports = [port],
            });
        }
        if (plan.Kind == WorkloadKind.Project)
        {
            // /metrics is served on the application port (NetworkPolicy is L4: Prometheus may reach that port).
            ingress.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty = [Peer(options.PrometheusNamespace, options.PrometheusPodLabels)],
                Ports = [port],
            });
        }

        var egress = plan.Connections
            .Select(name => plans.Single(p => p.Name == name))
            .Select(server => new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = server.Selector } }],
                Ports = [new V1NetworkPolicyPort { Port = server.Port, Protocol = "TCP" }],
            })
            .ToList();

        var policy = KubernetesObjects.Create<V1NetworkPolicy>(plan.Name, plan.Labels);
        policy.Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = plan.Selector },
            PolicyTypes = ["Ingress", "Egress"],
            Ingress = ingress,
            Egress = egress,
        };
        return policy;
    }

    private static V1NetworkPolicyPeer Peer(string ns, Dictionary<string, string> podLabels) => new()
    {
        NamespaceSelector = NamespaceNamed(ns),
        PodSelector = new V1LabelSelector { MatchLabels = new SortedDictionary<string, string>(podLabels, StringComparer.Ordinal) },
    };

    private static V1LabelSelector NamespaceNamed(string name) =>
        new() { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = name } };
}
