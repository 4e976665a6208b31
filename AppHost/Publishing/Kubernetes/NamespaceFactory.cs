using k8s.Models;

namespace AppHost.Publishing.Kubernetes;

/// <summary>
/// The namespace and its guard rails: a ResourceQuota sized for every workload at its maximum replica count plus
/// its rolling-update surge (so the HPA and rollouts never hit the quota), and a LimitRange whose bounds admit
/// every container the publisher writes.
/// </summary>
internal static class NamespaceFactory
{
    public static V1Namespace Namespace(KubernetesPublishingOptions options)
    {
        return KubernetesObjects.Create<V1Namespace>(options.Namespace, new Dictionary<string, string>
        {
            ["app.kubernetes.io/part-of"] = "tot-mcp",
            // Pod Security Admission refuses any pod that is not "restricted", whoever creates it.
            ["pod-security.kubernetes.io/enforce"] = "restricted",
            ["pod-security.kubernetes.io/enforce-version"] = "latest",
        });
    }

    public static V1ResourceQuota Quota(IReadOnlyList<WorkloadPlan> plans)
    {
        var pods = plans.Sum(p => p.MaxReplicas + p.Surge);
        ResourceQuantity Total(Func<KubernetesResourceOptions, string> quantity) =>
            Quantities.Sum(plans.Select(p => (Quantities.Parse(quantity(p.Options)), p.MaxReplicas + p.Surge)));

        var quota = KubernetesObjects.Create<V1ResourceQuota>("compute-quota");
        quota.Spec = new V1ResourceQuotaSpec
        {
            Hard = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["pods"] = new(pods.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["requests.cpu"] = Total(o => o.CpuRequest),
                ["requests.memory"] = Total(o => o.MemoryRequest),
                ["limits.cpu"] = Total(o => o.CpuLimit),
                ["limits.memory"] = Total(o => o.MemoryLimit),
                ["persistentvolumeclaims"] = new(plans.Count(p => p.Kind == WorkloadKind.Redis).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["requests.storage"] = Quantities.Sum(plans.Where(p => p.Kind == WorkloadKind.Redis)
                    .Select(p => (Quantities.Parse(p.Options.StorageSize), 1))),
            },
        };
        return quota;
    }

    public static V1LimitRange LimitRange(IReadOnlyList<WorkloadPlan> plans)
    {
        ResourceQuantity Max(Func<KubernetesResourceOptions, string> quantity) =>
            plans.Select(p => Quantities.Parse(quantity(p.Options))).MaxBy(q => q.ToDecimal())!;
        ResourceQuantity Min(Func<KubernetesResourceOptions, string> quantity) =>
            plans.Select(p => Quantities.Parse(quantity(p.Options))).MinBy(q => q.ToDecimal())!;

        var limits = KubernetesObjects.Create<V1LimitRange>("container-limits");
        limits.Spec = new V1LimitRangeSpec
        {
            Limits =
            [
                new V1LimitRangeItem
                {
                    Type = "Container",
                    // Anything started by hand gets the smallest workload's size; nothing may exceed the largest.
                    DefaultRequest = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                    {
                        ["cpu"] = Min(o => o.CpuRequest),
                        ["memory"] = Min(o => o.MemoryRequest),
                    },
                    DefaultProperty = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                    {
                        ["cpu"] = Min(o => o.CpuLimit),
                        ["memory"] = Min(o => o.MemoryLimit),
                    },
                    Max = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                    {
                        ["cpu"] = Max(o => o.CpuLimit),
                        ["memory"] = Max(o => o.MemoryLimit),
                    },
                },
            ],
        };
        return limits;
    }
}
