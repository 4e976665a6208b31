using AppHost.Publishing.Monitoring;
using k8s.Models;

namespace AppHost.Tests.Publishing;

/// <summary>NetworkPolicies allow exactly the app's connections; the Ingresses expose exactly the public routes.</summary>
public sealed class NetworkAndIngressTests(BuiltOutputFixture built) : IClassFixture<BuiltOutputFixture>
{
    private const string Namespace = "tot-mcp";

    private static readonly NetworkReachability.Pod IngressController =
        new("ingress-nginx", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ingress-nginx" });

    private static readonly NetworkReachability.Pod Prometheus =
        new("monitoring", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus" });

    private static readonly NetworkReachability.Pod KubeDns =
        new("kube-system", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });

    private static readonly NetworkReachability.Pod Intruder =
        new("default", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ingress-nginx" });

    private NetworkReachability Network => new([.. built.All<V1NetworkPolicy>()], Namespace);

    private NetworkReachability.Pod PodOf(string workload) =>
        new(Namespace, built.Workloads().Single(w => w.Name == workload).Template.Metadata.Labels);

    [Fact]
    public void A_default_deny_policy_covers_every_pod_in_both_directions()
    {
        var deny = Assert.Single(built.All<V1NetworkPolicy>(), p => p.Spec.PodSelector.MatchLabels is null or { Count: 0 } && p.Spec.Ingress is null or { Count: 0 } && p.Spec.Egress is null or { Count: 0 });
        Assert.Equal(["Egress", "Ingress"], deny.Spec.PolicyTypes.Order(StringComparer.Ordinal));
        // A pod nobody planned for gets nothing but DNS.
        var stray = new NetworkReachability.Pod(Namespace, new Dictionary<string, string> { ["app"] = "debug" });
        Assert.False(Network.Allows(stray, PodOf("redis"), 6379));
        Assert.False(Network.Allows(IngressController, stray, 8080));
    }

    [Theory]
    [InlineData("totservice", "keyservice", 8080)]
    [InlineData("keyservice", "redis", 6379)]
    [InlineData("totservice", "redis", 6379)]
    public void The_apps_own_connections_are_allowed(string source, string destination, int port) =>
        Assert.True(Network.Allows(PodOf(source), PodOf(destination), port), $"{source} -> {destination}:{port} is blocked");

    [Theory]
    [InlineData("keyservice", "totservice", 8080)]
    [InlineData("redis", "keyservice", 8080)]
    [InlineData("redis", "totservice", 8080)]
    [InlineData("totservice", "redis", 8080)]
    [InlineData("keyservice", "keyservice", 6379)]
    public void Other_connections_inside_the_namespace_are_denied(string source, string destination, int port) =>
        Assert.False(Network.Allows(PodOf(source), PodOf(destination), port), $"{source} -> {destination}:{port} is open");

    [Fact]
    public void Only_the_ingress_controller_and_prometheus_reach_the_services_from_outside()
    {
        foreach (var service in new[] { "keyservice", "totservice" })
        {
            Assert.True(Network.Allows(IngressController, PodOf(service), 8080), $"ingress controller cannot reach {service}");
            Assert.True(Network.Allows(Prometheus, PodOf(service), 8080), $"Prometheus cannot scrape {service}");
            Assert.False(Network.Allows(Intruder, PodOf(service), 8080), $"a look-alike pod in another namespace reaches {service}");
        }
        Assert.False(Network.Allows(IngressController, PodOf("redis"), 6379));
        Assert.False(Network.Allows(Prometheus, PodOf("redis"), 6379));
    }

    [Theory]
    [InlineData("keyservice")]
    [InlineData("totservice")]
    [InlineData("redis")]
    public void Every_pod_resolves_dns_and_nothing_else_outside(string workload)
    {
        Assert.True(Network.Allows(PodOf(workload), KubeDns, 53, "UDP"));
        Assert.True(Network.Allows(PodOf(workload), KubeDns, 53, "TCP"));
        Assert.False(Network.Allows(PodOf(workload), IngressController, 443));
    }

    [Fact]
    public void The_ingresses_route_exactly_the_public_paths_without_rewriting()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["keyservice"] = ["/.well-known/jwks.json", "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/connect/token"],
            ["totservice"] = ["/mcp", "/.well-known/oauth-protected-resource"],
        };
        var routed = built.All<V1Ingress>()
            .SelectMany(i => i.Spec.Rules.SelectMany(r => r.Http.Paths.Select(p => (Service: p.Backend.Service.Name, p.Path, p.PathType, Ingress: i))))
            .ToList();

        foreach (var (service, paths) in expected)
        {
            Assert.Equal(paths.Order(StringComparer.Ordinal), routed.Where(r => r.Service == service).Select(r => r.Path).Order(StringComparer.Ordinal));
        }
        Assert.All(routed, r =>
        {
            Assert.Contains(r.PathType, new[] { "Exact", "Prefix" });
            Assert.DoesNotContain("/admin", r.Path, StringComparison.Ordinal);
            Assert.False(r.Path != "/" && r.PathType == "Prefix" && "/admin/keys".StartsWith(r.Path, StringComparison.Ordinal), $"{r.Path} would expose /admin");
            Assert.DoesNotContain(r.Ingress.Metadata.Annotations.Keys, k => k.Contains("rewrite", StringComparison.Ordinal) || k.Contains("snippet", StringComparison.Ordinal));
        });
        // Each backend exists and names a port its Service has.
        Assert.All(routed, r =>
        {
            var service = built.Named<V1Service>(r.Service);
            var port = r.Ingress.Spec.Rules.SelectMany(x => x.Http.Paths).First(p => p.Path == r.Path).Backend.Service.Port;
            Assert.Contains(service.Spec.Ports, p => p.Name == port.Name || p.Port == port.Number);
        });
    }

    [Fact]
    public void Every_ingress_terminates_tls_for_its_hosts_with_a_cert_manager_certificate()
    {
        Assert.All(built.All<V1Ingress>(), ingress =>
        {
            Assert.True(ingress.Metadata.Annotations.TryGetValue("cert-manager.io/cluster-issuer", out var issuer) && issuer.Length > 0);
            var tls = Assert.Single(ingress.Spec.Tls);
            Assert.False(string.IsNullOrEmpty(tls.SecretName));
            Assert.Equal(ingress.Spec.Rules.Select(r => r.Host).Order(StringComparer.Ordinal), tls.Hosts.Order(StringComparer.Ordinal));
            Assert.Equal("true", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/ssl-redirect"]);
        });
    }

    [Fact]
    public void Requests_of_an_mcp_session_stick_to_one_replica_and_requests_without_a_session_are_spread()
    {
        const string Nginx = "nginx.ingress.kubernetes.io/";
        // MCP 2026-07-28 requests carry no session: balanced per request. Hashing them on the absent header would send
        // every one of them to the same replica.
        var main = built.Named<V1Ingress>("totservice");
        Assert.DoesNotContain(main.Metadata.Annotations.Keys, k => k is Nginx + "upstream-hash-by" or Nginx + "canary");

        // Requests with Mcp-Session-Id (any value) go to a canary of it, hashed on that header.
        var sessions = built.Named<V1Ingress>("totservice-sessions");
        var annotations = sessions.Metadata.Annotations;
        Assert.Equal("true", annotations[Nginx + "canary"]);
        Assert.Equal("Mcp-Session-Id", annotations[Nginx + "canary-by-header"]);
        Assert.Equal(".+", annotations[Nginx + "canary-by-header-pattern"]);
        Assert.Equal("$http_mcp_session_id", annotations[Nginx + "upstream-hash-by"]);
        Assert.Equal(Routes(main).Select(r => (r.Host, r.Path, r.PathType)), Routes(sessions).Select(r => (r.Host, r.Path, r.PathType)));

        // Its Service is another over the same pods and port, which the ServiceMonitor does not select (one scrape per pod).
        var service = built.Named<V1Service>(Assert.Single(Routes(sessions).Select(r => r.Service).Distinct()));
        var own = built.Named<V1Service>("totservice");
        Assert.NotEqual(own.Metadata.Name, service.Metadata.Name);
        Assert.Equal(own.Spec.Selector, service.Spec.Selector);
        Assert.Equal(own.Spec.Ports.Select(p => (p.Name, p.Port, p.TargetPort.Value)), service.Spec.Ports.Select(p => (p.Name, p.Port, p.TargetPort.Value)));
        var monitor = built.Named<V1ServiceMonitor>("totservice");
        Assert.True(WorkloadPolicyTests.Selects(monitor.Spec.Selector, own.Metadata.Labels));
        Assert.False(WorkloadPolicyTests.Selects(monitor.Spec.Selector, service.Metadata.Labels));

        // Only the MCP ingress needs affinity; the token service is stateless.
        Assert.DoesNotContain("nginx.ingress.kubernetes.io/upstream-hash-by", built.Named<V1Ingress>("keyservice").Metadata.Annotations.Keys);
        Assert.DoesNotContain(built.All<V1Ingress>(), i => i.Metadata.Name == "keyservice-sessions");
    }

    private static IEnumerable<(string Host, string Path, string PathType, string Service)> Routes(V1Ingress ingress) =>
        ingress.Spec.Rules.SelectMany(rule => rule.Http.Paths.Select(path => (rule.Host, path.Path, path.PathType, path.Backend.Service.Name)));
}
