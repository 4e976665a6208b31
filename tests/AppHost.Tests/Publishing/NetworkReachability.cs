using k8s.Models;

namespace AppHost.Tests.Publishing;

/// <summary>
/// Evaluates Kubernetes NetworkPolicy semantics for one namespace: a connection is allowed when the source's egress
/// and the destination's ingress both allow it (a side with no policy selecting the pod allows everything).
/// </summary>
internal sealed class NetworkReachability(IReadOnlyList<V1NetworkPolicy> policies, string policyNamespace)
{
    public sealed record Pod(string Namespace, IDictionary<string, string> Labels);

    public bool Allows(Pod source, Pod destination, int port, string protocol = "TCP") =>
        EgressAllows(source, destination, port, protocol) && IngressAllows(source, destination, port, protocol);

    private bool EgressAllows(Pod source, Pod destination, int port, string protocol)
    {
        if (source.Namespace != policyNamespace)
        {
            return true;
        }
        var selecting = policies.Where(p => p.Spec.PolicyTypes.Contains("Egress") && Matches(p.Spec.PodSelector, source.Labels)).ToList();
        return selecting.Count == 0 || selecting.Any(p => (p.Spec.Egress ?? []).Any(rule =>
            PortMatches(rule.Ports, port, protocol) && PeerMatches(rule.To, destination)));
    }

    private bool IngressAllows(Pod source, Pod destination, int port, string protocol)
    {
        if (destination.Namespace != policyNamespace)
        {
            return true;
        }
        var selecting = policies.Where(p => p.Spec.PolicyTypes.Contains("Ingress") && Matches(p.Spec.PodSelector, destination.Labels)).ToList();
        return selecting.Count == 0 || selecting.Any(p => (p.Spec.Ingress ?? []).Any(rule =>
            PortMatches(rule.Ports, port, protocol) && PeerMatches(rule.FromProperty, source)));
    }

    private static bool PortMatches(IList<V1NetworkPolicyPort>? ports, int port, string protocol) =>
        ports is null || ports.Count == 0 || ports.Any(p => (p.Protocol ?? "TCP") == protocol && (p.Port is null || p.Port.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private bool PeerMatches(IList<V1NetworkPolicyPeer>? peers, Pod pod) =>
        peers is null || peers.Count == 0 || peers.Any(peer =>
        {
            if (peer.IpBlock is not null)
            {
                return false;
            }
            var namespaceOk = peer.NamespaceSelector is null
                ? pod.Namespace == policyNamespace
                : Matches(peer.NamespaceSelector, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = pod.Namespace });
            return namespaceOk && (peer.PodSelector is null || Matches(peer.PodSelector, pod.Labels));
        });

    private static bool Matches(V1LabelSelector selector, IDictionary<string, string> labels)
    {
        Assert.True(selector.MatchExpressions is null or { Count: 0 }, "the evaluator does not handle matchExpressions");
        return (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);
    }
}
