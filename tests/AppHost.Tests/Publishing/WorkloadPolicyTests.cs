using System.Globalization;
using k8s.Models;

namespace AppHost.Tests.Publishing;

/// <summary>Hardening rules checked over every workload of the kustomize-built output (what reaches the cluster).</summary>
public sealed class WorkloadPolicyTests(BuiltOutputFixture built) : IClassFixture<BuiltOutputFixture>
{
    /// <summary>ServiceDefaults' routes: liveness and readiness.</summary>
    private const string LivenessPath = "/alive";
    private const string ReadinessPath = "/health";

    [Fact]
    public void There_are_the_three_workloads()
    {
        Assert.Equal(["keyservice", "redis", "totservice"], built.Workloads().Select(w => w.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_pod_runs_restricted()
    {
        Assert.All(built.Workloads(), workload =>
        {
            var pod = workload.Template.Spec;
            Assert.True(pod.SecurityContext.RunAsNonRoot, $"{workload.Name}: runAsNonRoot");
            Assert.True(pod.SecurityContext.RunAsUser is > 0, $"{workload.Name}: needs a fixed non-root uid");
            Assert.True(pod.SecurityContext.RunAsGroup is > 0, $"{workload.Name}: needs a fixed non-root gid");
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile?.Type);
            Assert.NotEqual(true, pod.HostNetwork);
            Assert.NotEqual(true, pod.HostPID);
            Assert.All(pod.Containers.Concat(pod.InitContainers ?? []), container =>
            {
                var security = container.SecurityContext;
                Assert.NotNull(security);
                Assert.False(security.AllowPrivilegeEscalation ?? true, $"{container.Name}: allowPrivilegeEscalation");
                Assert.True(security.ReadOnlyRootFilesystem, $"{container.Name}: readOnlyRootFilesystem");
                Assert.NotEqual(true, security.Privileged);
                Assert.Equal(["ALL"], security.Capabilities?.Drop);
                Assert.True(security.Capabilities?.Add is null or { Count: 0 }, $"{container.Name}: adds capabilities");
                Assert.NotEqual(0, security.RunAsUser ?? pod.SecurityContext.RunAsUser);
                Assert.Equal("RuntimeDefault", (security.SeccompProfile ?? pod.SecurityContext.SeccompProfile)?.Type);

                var tmp = Assert.Single(container.VolumeMounts, m => m.MountPath == "/tmp");
                Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == tmp.Name).EmptyDir);
            });
        });
    }

    [Fact]
    public void The_services_run_as_the_dotnet_images_app_user()
    {
        foreach (var name in new[] { "keyservice", "totservice" })
        {
            var pod = built.Named<V1Deployment>(name).Spec.Template.Spec;
            Assert.Equal(1654, pod.SecurityContext.RunAsUser);
            Assert.Equal(1654, pod.SecurityContext.RunAsGroup);
        }
    }

    [Fact]
    public void Every_container_has_cpu_and_memory_requests_within_limits_within_the_limit_range()
    {
        var range = Assert.Single(Assert.Single(built.All<V1LimitRange>()).Spec.Limits, l => l.Type == "Container");
        Assert.All(built.Workloads().SelectMany(w => w.Template.Spec.Containers), container =>
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var request = container.Resources.Requests[resource].ToDecimal();
                var limit = container.Resources.Limits[resource].ToDecimal();
                Assert.True(request > 0 && request <= limit, $"{container.Name}: {resource} request {request} must be positive and at most the limit {limit}");
                Assert.True(limit <= range.Max[resource].ToDecimal(), $"{container.Name}: {resource} limit above the LimitRange maximum");
            }
        });
    }

    [Fact]
    public void Http_probes_hit_the_health_routes_on_the_port_the_service_listens_on()
    {
        foreach (var name in new[] { "keyservice", "totservice" })
        {
            var deployment = built.Named<V1Deployment>(name);
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            var environment = built.EnvironmentOf(container);
            var listenPort = new Uri(environment["ASPNETCORE_URLS"].Replace("+", "localhost", StringComparison.Ordinal)).Port;

            foreach (var (probe, path) in new[] { (container.StartupProbe, LivenessPath), (container.LivenessProbe, LivenessPath), (container.ReadinessProbe, ReadinessPath) })
            {
                Assert.NotNull(probe?.HttpGet);
                Assert.Equal(path, probe.HttpGet.Path);
                Assert.Equal(listenPort, ResolvePort(container, probe.HttpGet.Port));
            }
        }
    }

    [Fact]
    public void Redis_probes_target_its_port_and_authenticate_without_the_command_line()
    {
        var container = Assert.Single(built.Named<V1StatefulSet>("redis").Spec.Template.Spec.Containers);
        Assert.Equal(6379, ResolvePort(container, container.LivenessProbe.TcpSocket.Port));
        Assert.Equal(6379, ResolvePort(container, container.StartupProbe.TcpSocket.Port));
        var readiness = string.Join(' ', container.ReadinessProbe.Exec.Command);
        Assert.Contains("redis-cli -p 6379 ping", readiness, StringComparison.Ordinal);
        Assert.DoesNotContain(" -a ", readiness, StringComparison.Ordinal);
        Assert.StartsWith("secret:", built.EnvironmentOf(container)["REDISCLI_AUTH"], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_image_is_pinned_to_a_registry_and_a_tag()
    {
        Assert.All(built.Workloads().SelectMany(w => w.Template.Spec.Containers), container =>
        {
            Assert.Matches(@"^[a-z0-9.-]+\.[a-z]+(:[0-9]+)?/[a-z0-9./-]+:[A-Za-z0-9._-]+$", container.Image);
            Assert.False(container.Image.EndsWith(":latest", StringComparison.Ordinal), $"{container.Name}: ':latest' is not a version");
        });
        Assert.Equal("registry.example.com/tot-mcp/keyservice:1.0.0", Assert.Single(built.Named<V1Deployment>("keyservice").Spec.Template.Spec.Containers).Image);
    }

    [Fact]
    public void Pods_stop_gracefully()
    {
        foreach (var name in new[] { "keyservice", "totservice" })
        {
            var pod = built.Named<V1Deployment>(name).Spec.Template.Spec;
            var sleep = Assert.Single(pod.Containers).Lifecycle?.PreStop?.Sleep?.Seconds;
            Assert.True(sleep is > 0, $"{name}: preStop sleep lets the ingress stop routing first");
            Assert.True(pod.TerminationGracePeriodSeconds > sleep + 10, $"{name}: grace period must leave time to drain after the preStop sleep");
        }
    }

    [Fact]
    public void Every_pod_has_its_own_service_account_without_a_token_and_there_is_no_rbac()
    {
        var accounts = built.All<V1ServiceAccount>().ToDictionary(a => a.Metadata.Name, StringComparer.Ordinal);
        var used = built.Workloads().Select(w => w.Template.Spec.ServiceAccountName).ToList();

        Assert.Equal(used.Count, used.Distinct(StringComparer.Ordinal).Count());
        Assert.All(built.Workloads(), workload =>
        {
            var pod = workload.Template.Spec;
            Assert.False(pod.AutomountServiceAccountToken ?? true, $"{workload.Name}: pod automounts a token");
            Assert.True(accounts.TryGetValue(pod.ServiceAccountName ?? "default", out var account), $"{workload.Name}: no ServiceAccount '{pod.ServiceAccountName}'");
            Assert.False(account.AutomountServiceAccountToken ?? true, $"{account.Metadata.Name}: automountServiceAccountToken");
        });
        Assert.DoesNotContain(built.Objects.OfType<k8s.IKubernetesObject>(), o => o.Kind is "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding");
    }

    [Fact]
    public void Keyservice_runs_two_replicas_and_totservice_autoscales_from_two_to_five()
    {
        Assert.Equal(2, built.Named<V1Deployment>("keyservice").Spec.Replicas);
        Assert.Null(built.Named<V1Deployment>("totservice").Spec.Replicas);

        var hpa = Assert.Single(built.All<V2HorizontalPodAutoscaler>());
        Assert.Equal(("Deployment", "totservice"), (hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name));
        Assert.Equal(2, hpa.Spec.MinReplicas);
        Assert.Equal(5, hpa.Spec.MaxReplicas);
        Assert.Equal(70, Assert.Single(hpa.Spec.Metrics, m => m.Resource.Name == "cpu").Resource.Target.AverageUtilization);
        Assert.Equal(80, Assert.Single(hpa.Spec.Metrics, m => m.Resource.Name == "memory").Resource.Target.AverageUtilization);
        Assert.True(hpa.Spec.Behavior.ScaleDown.StabilizationWindowSeconds >= 300, "scale down slowly");
        Assert.True(hpa.Spec.Behavior.ScaleUp.StabilizationWindowSeconds < hpa.Spec.Behavior.ScaleDown.StabilizationWindowSeconds, "scale up faster than down");
        Assert.NotEmpty(hpa.Spec.Behavior.ScaleUp.Policies);
        Assert.NotEmpty(hpa.Spec.Behavior.ScaleDown.Policies);
    }

    [Fact]
    public void The_quota_admits_every_workload_at_its_maximum_replicas_during_a_rollout()
    {
        var quota = Assert.Single(built.All<V1ResourceQuota>()).Spec.Hard;
        var workloads = built.Workloads().ToList();

        foreach (var key in new[] { "limits.cpu", "limits.memory", "requests.cpu", "requests.memory" })
        {
            var (kind, resource) = (key.Split('.')[0], key.Split('.')[1]);
            var needed = workloads.Sum(w => (w.MaxReplicas + w.Surge) * w.Template.Spec.Containers.Sum(c =>
                (kind == "limits" ? c.Resources.Limits : c.Resources.Requests)[resource].ToDecimal()));
            Assert.True(needed <= quota[key].ToDecimal(), $"{key}: workloads at maximum scale need {needed}, the quota allows {quota[key]}");
        }
        Assert.True(workloads.Sum(w => w.MaxReplicas + w.Surge) <= quota["pods"].ToDecimal(), "pod count quota below maximum scale");
        var claims = built.All<V1StatefulSet>().SelectMany(s => s.Spec.VolumeClaimTemplates.Select(t => (s.Spec.Replicas ?? 1, t))).ToList();
        Assert.True(claims.Sum(c => c.Item1 * c.t.Spec.Resources.Requests["storage"].ToDecimal()) <= quota["requests.storage"].ToDecimal());
    }

    [Fact]
    public void Disruption_budgets_protect_every_workload_but_never_block_a_drain()
    {
        var budgets = built.All<V1PodDisruptionBudget>().ToList();
        Assert.All(built.Workloads(), workload =>
        {
            var budget = Assert.Single(budgets, b => Selects(b.Spec.Selector, workload.Template.Metadata.Labels));
            if (budget.Spec.MaxUnavailable is { } maxUnavailable)
            {
                Assert.True(int.Parse(maxUnavailable.Value, CultureInfo.InvariantCulture) >= 1, $"{workload.Name}: maxUnavailable 0 blocks every drain");
            }
            else
            {
                var minAvailable = int.Parse(budget.Spec.MinAvailable.Value, CultureInfo.InvariantCulture);
                Assert.True(minAvailable < workload.MinReplicas, $"{workload.Name}: minAvailable {minAvailable} >= replicas {workload.MinReplicas} blocks every drain");
            }
        });
    }

    [Fact]
    public void Pods_spread_across_nodes_without_becoming_unschedulable()
    {
        Assert.All(built.Workloads(), workload =>
        {
            var spread = Assert.Single(workload.Template.Spec.TopologySpreadConstraints, c => c.TopologyKey == "kubernetes.io/hostname");
            Assert.Equal("ScheduleAnyway", spread.WhenUnsatisfiable);
            Assert.True(Selects(spread.LabelSelector, workload.Template.Metadata.Labels), $"{workload.Name}: spread selector misses its own pods");
        });
    }

    [Fact]
    public void Every_service_selects_a_pod_template_and_targets_a_port_it_declares()
    {
        Assert.All(built.All<V1Service>(), service =>
        {
            var workload = Assert.Single(built.Workloads(), w => Selects(new V1LabelSelector { MatchLabels = service.Spec.Selector }, w.Template.Metadata.Labels));
            var container = Assert.Single(workload.Template.Spec.Containers);
            Assert.All(service.Spec.Ports, port => Assert.Equal(port.Port, ResolvePort(container, port.TargetPort)));
        });
    }

    [Fact]
    public void Redis_persists_with_an_append_only_file_on_a_claim_behind_a_headless_service()
    {
        var set = built.Named<V1StatefulSet>("redis");
        var container = Assert.Single(set.Spec.Template.Spec.Containers);
        var claim = Assert.Single(set.Spec.VolumeClaimTemplates);
        Assert.Equal("/data", Assert.Single(container.VolumeMounts, m => m.Name == claim.Metadata.Name).MountPath);
        var command = string.Join(' ', container.Command.Concat(container.Args));
        Assert.Contains("--appendonly yes", command, StringComparison.Ordinal);
        Assert.Contains("--dir /data", command, StringComparison.Ordinal);
        Assert.Contains("requirepass", command, StringComparison.Ordinal);
        Assert.StartsWith("secret:redis-secrets", built.EnvironmentOf(container)["REDIS_PASSWORD"], StringComparison.Ordinal);
        Assert.Equal("None", built.Named<V1Service>("redis").Spec.ClusterIP);
        Assert.Equal("redis", set.Spec.ServiceName);
    }

    /// <summary>Whether a non-empty selector selects <paramref name="labels"/>, as the API server decides it.</summary>
    internal static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels) =>
        selector.MatchLabels is { Count: > 0 } match
        && match.All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value)
        && (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            "In" => labels.TryGetValue(e.Key, out var value) && e.Values.Contains(value),
            "NotIn" => !labels.TryGetValue(e.Key, out var value) || !e.Values.Contains(value),
            _ => throw new InvalidOperationException($"Unknown selector operator {e.OperatorProperty}."),
        });

    private static int ResolvePort(V1Container container, IntOrString port) =>
        int.TryParse(port.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? Assert.Single(container.Ports, p => p.ContainerPort == number).ContainerPort
            : Assert.Single(container.Ports, p => p.Name == port.Value).ContainerPort;
}
