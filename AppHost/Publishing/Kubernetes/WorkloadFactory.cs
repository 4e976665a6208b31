using System.Security.Cryptography;
using System.Text;
using k8s.Models;

namespace AppHost.Publishing.Kubernetes;

/// <summary>
/// Deployments (projects), the Redis StatefulSet and what each pod needs: its own ServiceAccount without a token,
/// a restricted security context, sizing, probes on the port that serves them, and a graceful stop.
/// </summary>
internal static class WorkloadFactory
{
    public const string ConfigHashAnnotation = "tot-mcp/config-hash";
    private const string LivenessPath = "/alive";
    private const string DataVolume = "data";
    private const string TmpVolume = "tmp";

    public static V1ServiceAccount ServiceAccount(WorkloadPlan plan)
    {
        var account = KubernetesObjects.Create<V1ServiceAccount>(plan.Name, plan.Labels);
        // No workload talks to the Kubernetes API: no token, and no Role or RoleBinding anywhere.
        account.AutomountServiceAccountToken = false;
        return account;
    }

    public static V1ConfigMap ConfigMap(WorkloadPlan plan)
    {
        var map = KubernetesObjects.Create<V1ConfigMap>(plan.ConfigMapName, plan.Labels);
        map.Data = new SortedDictionary<string, string>(plan.Config.ToDictionary(), StringComparer.Ordinal);
        return map;
    }

    /// <summary>The label that tells <see cref="SessionService"/> from the resource's own Service (ServiceMonitors skip it).</summary>
    public const string ComponentLabel = "app.kubernetes.io/component";

    public static V1Service Service(WorkloadPlan plan) => Service(plan, plan.Name, plan.Labels);

    /// <summary>
    /// A second Service over the same pods, for the Ingress that routes requests carrying a session header. Labelled
    /// <c>component: sessions</c>, so a ServiceMonitor selecting the resource's Service does not scrape every pod twice.
    /// </summary>
    public static V1Service SessionService(WorkloadPlan plan) =>
        Service(plan, IngressFactory.SessionServiceName(plan), new Dictionary<string, string>(plan.Labels) { [ComponentLabel] = "sessions" });

    private static V1Service Service(WorkloadPlan plan, string name, IReadOnlyDictionary<string, string> labels)
    {
        var service = KubernetesObjects.Create<V1Service>(name, labels);
        service.Spec = new V1ServiceSpec
        {
            Selector = plan.Selector,
            Ports = [new V1ServicePort { Name = plan.PortName, Port = plan.Port, Protocol = "TCP", TargetPort = plan.PortName }],
            // Redis is addressed by the StatefulSet's stable pod identity: a headless Service.
            ClusterIP = plan.Kind == WorkloadKind.Redis ? "None" : null,
            Type = plan.Kind == WorkloadKind.Redis ? null : "ClusterIP",
        };
        return service;
    }

    public static V1Deployment Deployment(WorkloadPlan plan)
    {
        var deployment = KubernetesObjects.Create<V1Deployment>(plan.Name, plan.Labels);
        deployment.Spec = new V1DeploymentSpec
        {
            // An HPA owns the replica count; writing it here would reset the HPA on every apply.
            Replicas = plan.IsAutoscaled ? null : plan.Replicas,
            RevisionHistoryLimit = 5,
            Selector = new V1LabelSelector { MatchLabels = plan.Selector },
            Strategy = new V1DeploymentStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = plan.Surge, MaxUnavailable = 0 },
            },
            Template = PodTemplate(plan, ProjectContainer(plan)),
        };
        return deployment;
    }

    public static V1StatefulSet RedisStatefulSet(WorkloadPlan plan)
    {
        var set = KubernetesObjects.Create<V1StatefulSet>(plan.Name, plan.Labels);
        var container = BaseContainer(plan, plan.Resource.Image!);
        // Not the manifest's entrypoint and args (--requirepass on the command line): the password goes into a config
        // file on an in-memory volume, never onto redis-server's command line.
        container.Command = ["sh", "-c"];
        container.Args =
        [
            $"printf 'requirepass %s\\n' \"$REDIS_PASSWORD\" > /tmp/redis.conf && exec redis-server /tmp/redis.conf " +
            $"--port {plan.Port} --dir /data --appendonly yes --appendfsync everysec",
        ];
        container.VolumeMounts = [.. container.VolumeMounts, new V1VolumeMount { MountPath = "/data", Name = DataVolume }];
        container.EnvFrom = plan.Config.Count == 0 ? null : [ConfigMapSource(plan)];
        var tcp = new V1TCPSocketAction { Port = plan.PortName };
        container.StartupProbe = new V1Probe { TcpSocket = tcp, PeriodSeconds = 5, FailureThreshold = 24 };
        container.LivenessProbe = new V1Probe { TcpSocket = tcp, PeriodSeconds = 10, FailureThreshold = 3, TimeoutSeconds = 3 };
        container.ReadinessProbe = new V1Probe
        {
            Exec = new V1ExecAction { Command = ["sh", "-c", $"redis-cli -p {plan.Port} ping | grep -q PONG"] },
            PeriodSeconds = 5,
            FailureThreshold = 3,
            TimeoutSeconds = 3,
        };

        var template = PodTemplate(plan, container);
        template.Spec.Volumes = [.. template.Spec.Volumes.Where(v => v.Name != TmpVolume), MemoryTmp()];
        set.Spec = new V1StatefulSetSpec
        {
            ServiceName = plan.Name,
            Replicas = plan.Replicas,
            RevisionHistoryLimit = 5,
            Selector = new V1LabelSelector { MatchLabels = plan.Selector },
            Template = template,
            VolumeClaimTemplates =
            [
                new V1PersistentVolumeClaim
                {
                    Metadata = new V1ObjectMeta { Name = DataVolume, Labels = plan.Labels.ToDictionary() },
                    Spec = new V1PersistentVolumeClaimSpec
                    {
                        AccessModes = ["ReadWriteOnce"],
                        Resources = new V1VolumeResourceRequirements
                        {
                            Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = Quantities.Parse(plan.Options.StorageSize) },
                        },
                    },
                },
            ],
        };
        return set;
    }

    private static V1Container ProjectContainer(WorkloadPlan plan)
    {
        var container = BaseContainer(plan, plan.Name);
        container.EnvFrom = [ConfigMapSource(plan)];
        container.Env =
        [
            new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new V1EnvVar { Name = "OTEL_RESOURCE_ATTRIBUTES", Value = "service.instance.id=$(POD_NAME)" },
            .. plan.SecretEnv,
        ];
        container.StartupProbe = HttpProbe(plan, LivenessPath, period: 2, failures: 30);
        container.LivenessProbe = HttpProbe(plan, LivenessPath, period: 10, failures: 3);
        container.ReadinessProbe = HttpProbe(plan, plan.Options.ReadinessPath, period: 5, failures: 3);
        container.Lifecycle = new V1Lifecycle
        {
            // Keep serving while the endpoint removal reaches kube-proxy and the ingress; built in, no shell needed.
            PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = plan.Options.PreStopSleepSeconds } },
        };
        return container;
    }

    private static V1EnvFromSource ConfigMapSource(WorkloadPlan plan) =>
        new() { ConfigMapRef = new V1ConfigMapEnvSource { Name = plan.ConfigMapName } };

    private static V1Probe HttpProbe(WorkloadPlan plan, string path, int period, int failures) => new()
    {
        HttpGet = new V1HTTPGetAction { Port = plan.PortName, Path = path, Scheme = plan.Scheme.ToUpperInvariant() },
        PeriodSeconds = period,
        FailureThreshold = failures,
        TimeoutSeconds = 3,
    };

    private static V1Container BaseContainer(WorkloadPlan plan, string image) => new()
    {
        Name = plan.Name,
        Image = image,
        ImagePullPolicy = "IfNotPresent",
        Ports = [new V1ContainerPort { Name = plan.PortName, ContainerPort = plan.Port, Protocol = "TCP" }],
        Resources = new V1ResourceRequirements
        {
            Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = Quantities.Parse(plan.Options.CpuRequest),
                ["memory"] = Quantities.Parse(plan.Options.MemoryRequest),
            },
            Limits = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = Quantities.Parse(plan.Options.CpuLimit),
                ["memory"] = Quantities.Parse(plan.Options.MemoryLimit),
            },
        },
        Env = plan.Kind == WorkloadKind.Redis ? [.. plan.SecretEnv] : null,
        SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            Privileged = false,
            ReadOnlyRootFilesystem = true,
            RunAsNonRoot = true,
            RunAsUser = plan.Options.RunAsUser,
            RunAsGroup = plan.Options.RunAsUser,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        VolumeMounts = [new V1VolumeMount { MountPath = "/tmp", Name = TmpVolume }],
    };

    private static V1PodTemplateSpec PodTemplate(WorkloadPlan plan, V1Container container) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Labels = plan.Labels.ToDictionary(),
            // Pods roll when their settings change (the ConfigMap keeps its name across edits).
            Annotations = plan.Config.Count == 0 ? null : new Dictionary<string, string> { [ConfigHashAnnotation] = ConfigHash(plan) },
        },
        Spec = new V1PodSpec
        {
            ServiceAccountName = plan.Name,
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            TerminationGracePeriodSeconds = plan.Options.TerminationGracePeriodSeconds,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = plan.Options.RunAsUser,
                RunAsGroup = plan.Options.RunAsUser,
                FsGroup = plan.Options.RunAsUser,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            TopologySpreadConstraints =
            [
                // ScheduleAnyway: spreading is a preference, so a small or draining cluster still schedules every pod.
                Spread(plan, "kubernetes.io/hostname"),
                Spread(plan, "topology.kubernetes.io/zone"),
            ],
            Containers = [container],
            Volumes = [new V1Volume { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = Quantities.Parse("64Mi") } }],
        },
    };

    private static V1TopologySpreadConstraint Spread(WorkloadPlan plan, string topologyKey) => new()
    {
        MaxSkew = 1,
        TopologyKey = topologyKey,
        WhenUnsatisfiable = "ScheduleAnyway",
        LabelSelector = new V1LabelSelector { MatchLabels = plan.Selector },
        // Count only pods of the same revision, so a rollout does not skew the spread.
        MatchLabelKeys = plan.Kind == WorkloadKind.Redis ? null : ["pod-template-hash"],
    };

    private static V1Volume MemoryTmp() =>
        new() { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = Quantities.Parse("16Mi") } };

    private static string ConfigHash(WorkloadPlan plan)
    {
        var text = string.Join('\n', plan.Config.Select(e => $"{e.Key}={e.Value}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    public static V1PodDisruptionBudget DisruptionBudget(WorkloadPlan plan)
    {
        var budget = KubernetesObjects.Create<V1PodDisruptionBudget>(plan.Name, plan.Labels);
        budget.Spec = new V1PodDisruptionBudgetSpec
        {
            // maxUnavailable (not minAvailable = replicas) so a drain can always evict, even a single replica.
            MaxUnavailable = 1,
            Selector = new V1LabelSelector { MatchLabels = plan.Selector },
            UnhealthyPodEvictionPolicy = "AlwaysAllow",
        };
        return budget;
    }

    public static V2HorizontalPodAutoscaler Autoscaler(WorkloadPlan plan)
    {
        var hpa = KubernetesObjects.Create<V2HorizontalPodAutoscaler>(plan.Name, plan.Labels);
        hpa.Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = plan.Name },
            MinReplicas = plan.Replicas,
            MaxReplicas = plan.MaxReplicas,
            Metrics =
            [
                Utilization("cpu", plan.Options.TargetCpuUtilization),
                Utilization("memory", plan.Options.TargetMemoryUtilization),
            ],
            Behavior = new V2HorizontalPodAutoscalerBehavior
            {
                // Up fast (double or +2 pods a minute, whichever is more), down slowly after 5 quiet minutes.
                ScaleUp = new V2HPAScalingRules
                {
                    StabilizationWindowSeconds = 0,
                    SelectPolicy = "Max",
                    Policies = [ScalingPolicy("Percent", 100), ScalingPolicy("Pods", 2)],
                },
                ScaleDown = new V2HPAScalingRules
                {
                    StabilizationWindowSeconds = 300,
                    SelectPolicy = "Min",
                    Policies = [ScalingPolicy("Pods", 1), ScalingPolicy("Percent", 50)],
                },
            },
        };
        return hpa;
    }

    private static V2HPAScalingPolicy ScalingPolicy(string type, int value) => new() { Type = type, Value = value, PeriodSeconds = 60 };

    private static V2MetricSpec Utilization(string resource, int percent) => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricSource { Name = resource, Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = percent } },
    };
}
