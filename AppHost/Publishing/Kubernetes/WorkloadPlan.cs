using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace AppHost.Publishing.Kubernetes;

/// <summary>What a workload runs as: a .NET project (Deployment) or the Redis container (StatefulSet).</summary>
internal enum WorkloadKind
{
    Project,
    Redis,
}

/// <summary>
/// One manifest resource as the cluster sees it: replicas, its endpoint, the workloads it connects to, and its settings
/// split into a ConfigMap (plain values) and container variables that come from the operator's Secret. Built complete
/// by <see cref="CreateAll"/>: every workload's endpoint is known before any settings are rendered.
/// </summary>
internal sealed class WorkloadPlan
{
    public const string SecretFileSuffix = ".secret.env";

    private WorkloadPlan(
        ManifestResource resource, WorkloadKind kind, KubernetesResourceOptions options, int replicas, int maxReplicas,
        WorkloadEndpoint endpoint, WorkloadSettings settings)
    {
        Resource = resource;
        Kind = kind;
        Options = options;
        Replicas = replicas;
        MaxReplicas = maxReplicas;
        Endpoint = endpoint;
        Settings = settings;
    }

    public ManifestResource Resource { get; }

    public WorkloadKind Kind { get; }

    public string Name => Resource.Name;

    public KubernetesResourceOptions Options { get; }

    public int Replicas { get; }

    /// <summary>Equal to <see cref="Replicas"/> unless an HPA scales the workload.</summary>
    public int MaxReplicas { get; }

    public bool IsAutoscaled => MaxReplicas > Replicas;

    /// <summary>Pods a rolling update may add on top of the maximum (Deployments surge by one; StatefulSets replace in place).</summary>
    public int Surge => Kind == WorkloadKind.Redis ? 0 : 1;

    public WorkloadEndpoint Endpoint { get; }

    public WorkloadSettings Settings { get; }

    public int Port => Endpoint.Port;

    public string PortName => Endpoint.PortName;

    public string Scheme => Endpoint.Scheme;

    public bool IsHttp => Endpoint.IsHttp;

    public bool IsExternal => Endpoint.IsExternal;

    public string? PublicUrl => Endpoint.PublicUrl;

    public string InternalUrl => Endpoint.InternalUrl;

    /// <summary>Other workloads this one opens connections to (its NetworkPolicy egress, their ingress).</summary>
    public IReadOnlySet<string> Connections => Settings.Connections;

    /// <summary>Non-secret settings (ConfigMap <c>{name}-config</c>), in key order.</summary>
    public IReadOnlyDictionary<string, string> Config => Settings.Config;

    /// <summary>Container variables that carry or embed a secret, in dependency order.</summary>
    public IReadOnlyList<V1EnvVar> SecretEnv => Settings.SecretEnv;

    /// <summary>Keys of this resource's Secret (<c>{name}-secrets</c>) with a line saying what each holds, in key order.</summary>
    public IReadOnlyDictionary<string, string> SecretKeys => Settings.SecretKeys;

    public string SecretName => WorkloadSettings.SecretNameOf(Name);

    public string ConfigMapName => $"{Name}-config";

    public string SecretFileName => $"{Name}{SecretFileSuffix}";

    public IReadOnlyDictionary<string, string> Labels => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = Name,
        ["app.kubernetes.io/part-of"] = "tot-mcp",
    };

    public IDictionary<string, string> Selector => new Dictionary<string, string>(StringComparer.Ordinal) { ["app.kubernetes.io/name"] = Name };

    /// <summary>Plans every workload of the manifest, in manifest order; <paramref name="parameters"/> holds plain parameters' values.</summary>
    public static IReadOnlyList<WorkloadPlan> CreateAll(AspireManifest manifest, KubernetesPublishingOptions options, IConfiguration parameters)
    {
        var workloads = manifest.Resources.Where(r => r.IsWorkload).Select(r => Describe(r, options)).ToList();
        var endpoints = workloads.ToDictionary(w => w.Resource.Name, w => w.Endpoint, StringComparer.Ordinal);
        var renderer = new PlaceholderRenderer(manifest, endpoints, parameters);
        var owners = SecretOwners(manifest, workloads, renderer);
        return workloads
            .Select(w => new WorkloadPlan(w.Resource, w.Kind, w.Options, w.Replicas, w.MaxReplicas, w.Endpoint,
                WorkloadSettings.For(w.Resource, w.Kind, w.Options, w.Endpoint, options, renderer, owners)))
            .ToList();
    }

    /// <summary>What a workload is before its settings are rendered: enough for the others' placeholders to reach it.</summary>
    private sealed record Workload(ManifestResource Resource, WorkloadKind Kind, KubernetesResourceOptions Options, int Replicas, int MaxReplicas, WorkloadEndpoint Endpoint);

    private static Workload Describe(ManifestResource resource, KubernetesPublishingOptions options)
    {
        var kind = resource.Type switch
        {
            ManifestResource.ProjectType => WorkloadKind.Project,
            ManifestResource.ContainerType when IsRedisImage(resource.Image) => WorkloadKind.Redis,
            ManifestResource.ContainerType => throw new InvalidOperationException(
                $"Container '{resource.Name}' (image '{resource.Image}') has no Kubernetes translation: the generator knows Redis containers only."),
            _ => throw new InvalidOperationException(
                $"Resource '{resource.Name}' of type '{resource.Type}' has no Kubernetes translation (known: {ManifestResource.ProjectType}, {ManifestResource.ContainerType} redis, {ManifestResource.ParameterType}, {ManifestResource.ValueType})."),
        };
        if (resource.Bindings.Count != 1)
        {
            throw new InvalidOperationException($"'{resource.Name}' has {resource.Bindings.Count} bindings: the generator publishes exactly one endpoint per workload.");
        }
        var resourceOptions = options.For(resource.Name);
        var replicas = resourceOptions.Replicas ?? 1;
        var maxReplicas = Math.Max(replicas, resourceOptions.MaxReplicas ?? replicas);
        if (kind == WorkloadKind.Redis && maxReplicas != 1)
        {
            throw new InvalidOperationException($"'{resource.Name}' is a single Redis primary: Publishing:Kubernetes:Resources:{resource.Name}:Replicas must be 1.");
        }
        return new Workload(resource, kind, resourceOptions, replicas, maxReplicas, WorkloadEndpoint.For(resource, kind, resourceOptions));
    }

    /// <summary><c>docker.io/library/redis:7.4</c>, <c>redis@sha256:...</c>: the repository's last segment is <c>redis</c>.</summary>
    private static bool IsRedisImage(string? image)
    {
        if (image is null)
        {
            return false;
        }
        var repository = image.Split('@')[0];
        var lastSegment = repository[(repository.LastIndexOf('/') + 1)..];
        return lastSegment.Split(':')[0] == "redis";
    }

    /// <summary>
    /// Which workload's Secret holds each secret parameter in use: the resource whose connection string names it
    /// (Redis owns its password), else the first workload, in manifest order, whose settings use it.
    /// </summary>
    private static Dictionary<string, string> SecretOwners(AspireManifest manifest, IReadOnlyList<Workload> workloads, PlaceholderRenderer renderer)
    {
        var used = new List<(string Parameter, string User)>();
        foreach (var workload in workloads)
        {
            var name = workload.Resource.Name;
            foreach (var (variable, value) in WorkloadSettings.ManifestEnvironment(workload.Resource, workload.Kind, workload.Options))
            {
                used.AddRange(renderer.Render(value, $"{name}: env '{variable}'", preferPublicUrls: true).Secrets.Select(s => (s.Name, name)));
            }
        }
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in manifest.Resources.Where(r => r.ConnectionString is not null && workloads.Any(w => w.Resource.Name == r.Name)))
        {
            foreach (var secret in renderer.Render(resource.ConnectionString!, $"{resource.Name}: connectionString", preferPublicUrls: false).Secrets)
            {
                if (used.Any(u => u.Parameter == secret.Name))
                {
                    owners.TryAdd(secret.Name, resource.Name);
                }
            }
        }
        foreach (var (parameter, user) in used)
        {
            owners.TryAdd(parameter, user);
        }
        return owners;
    }
}
