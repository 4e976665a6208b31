using System.Globalization;
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
/// One manifest resource as the cluster sees it: replicas, port, the workloads it connects to, and its settings split
/// into a ConfigMap (plain values) and container variables that come from the operator's Secret.
/// </summary>
internal sealed class WorkloadPlan
{
    public const string SecretFileSuffix = ".secret.env";

    /// <summary>The .NET container images listen on 8080 (<c>ASPNETCORE_HTTP_PORTS</c>); a project binding has no target port of its own.</summary>
    private const int ProjectPort = 8080;

    /// <summary>Manifest variables that say where Kestrel listens: <c>ASPNETCORE_URLS</c> replaces them (Kestrel warns when both are set).</summary>
    private static readonly HashSet<string> ListenVariables = new(StringComparer.Ordinal) { "HTTP_PORTS", "HTTPS_PORTS" };

    private WorkloadPlan(ManifestResource resource, WorkloadKind kind, ManifestBinding binding, KubernetesResourceOptions options, int replicas, int maxReplicas)
    {
        Resource = resource;
        Kind = kind;
        Binding = binding;
        Options = options;
        Replicas = replicas;
        MaxReplicas = maxReplicas;
        Port = binding.TargetPort ?? (kind == WorkloadKind.Project
            ? ProjectPort
            : throw new InvalidOperationException($"'{resource.Name}': binding '{binding.Name}' has no targetPort."));
    }

    public ManifestResource Resource { get; }

    public WorkloadKind Kind { get; }

    public ManifestBinding Binding { get; }

    public string Name => Resource.Name;

    public KubernetesResourceOptions Options { get; }

    public int Replicas { get; }

    /// <summary>Equal to <see cref="Replicas"/> unless an HPA scales the workload.</summary>
    public int MaxReplicas { get; }

    public bool IsAutoscaled => MaxReplicas > Replicas;

    /// <summary>Pods a rolling update may add on top of the maximum (Deployments surge by one; StatefulSets replace in place).</summary>
    public int Surge => Kind == WorkloadKind.Redis ? 0 : 1;

    public int Port { get; }

    public string PortName => Binding.Name;

    public string Scheme => Binding.Scheme;

    public bool IsHttp => Scheme is "http" or "https";

    public bool IsExternal => Binding.External;

    /// <summary>Other workloads this one opens connections to (its NetworkPolicy egress, their ingress).</summary>
    public SortedSet<string> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>Non-secret settings (ConfigMap <c>{name}-config</c>).</summary>
    public SortedDictionary<string, string> Config { get; } = new(StringComparer.Ordinal);

    /// <summary>Container variables that carry or embed a secret, in dependency order.</summary>
    public List<V1EnvVar> SecretEnv { get; } = [];

    /// <summary>Keys of this resource's Secret (<c>{name}-secrets</c>) with a line saying what each holds.</summary>
    public SortedDictionary<string, string> SecretKeys { get; } = new(StringComparer.Ordinal);

    public string SecretName => $"{Name}-secrets";

    public string ConfigMapName => $"{Name}-config";

    public string SecretFileName => $"{Name}{SecretFileSuffix}";

    public string? PublicUrl => IsExternal && Options.Host is { Length: > 0 } host ? $"https://{host}" : null;

    public string InternalUrl => $"{Scheme}://{Name}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public IReadOnlyDictionary<string, string> Labels => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = Name,
        ["app.kubernetes.io/part-of"] = "tot-mcp",
    };

    public IDictionary<string, string> Selector => new Dictionary<string, string>(StringComparer.Ordinal) { ["app.kubernetes.io/name"] = Name };

    /// <summary>Plans every workload of the manifest, in manifest order; <paramref name="parameters"/> holds plain parameters' values.</summary>
    public static IReadOnlyList<WorkloadPlan> CreateAll(AspireManifest manifest, KubernetesPublishingOptions options, IConfiguration parameters)
    {
        var plans = manifest.Resources.Where(r => r.IsWorkload).Select(r => Create(r, options)).ToList();
        var byName = plans.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var renderer = new PlaceholderRenderer(manifest, byName, parameters);
        var owners = SecretOwners(manifest, plans, renderer);
        foreach (var plan in plans)
        {
            plan.AddSettings(options, renderer, owners);
        }
        return plans;
    }

    private static WorkloadPlan Create(ManifestResource resource, KubernetesPublishingOptions options)
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
        return new WorkloadPlan(resource, kind, resource.Bindings[0], resourceOptions, replicas, maxReplicas);
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
    private static Dictionary<string, string> SecretOwners(AspireManifest manifest, IReadOnlyList<WorkloadPlan> plans, PlaceholderRenderer renderer)
    {
        var used = new List<(string Parameter, string User)>();
        foreach (var plan in plans)
        {
            foreach (var (name, value) in plan.ManifestEnvironment())
            {
                used.AddRange(renderer.Render(value, $"{plan.Name}: env '{name}'", preferPublicUrls: true).Secrets.Select(s => (s.Name, plan.Name)));
            }
        }
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in manifest.Resources.Where(r => r.ConnectionString is not null && plans.Any(p => p.Name == r.Name)))
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

    /// <summary>The manifest's variables this workload keeps: options remove or set some themselves (options win).</summary>
    private IEnumerable<KeyValuePair<string, string>> ManifestEnvironment()
    {
        var replaced = Options.RemoveEnvironment.Concat(Options.Environment.Keys).Concat(Options.SecretEnvironment.Keys).ToHashSet(StringComparer.Ordinal);
        return Resource.Env.Where(e => !replaced.Contains(e.Key) && !(Kind == WorkloadKind.Project && ListenVariables.Contains(e.Key)));
    }

    private void AddSettings(KubernetesPublishingOptions options, PlaceholderRenderer renderer, Dictionary<string, string> owners)
    {
        foreach (var (parameter, owner) in owners.Where(o => o.Value == Name))
        {
            SecretKeys[parameter] = $"secret parameter '{parameter}'";
        }
        if (Kind == WorkloadKind.Project)
        {
            AddClusterEnvironment(options);
        }
        foreach (var (name, value) in ManifestEnvironment())
        {
            AddRendered(name, value, renderer, owners);
        }
        if (Kind == WorkloadKind.Redis)
        {
            var password = SecretEnv.SingleOrDefault(e => e.Name == "REDIS_PASSWORD")?.ValueFrom?.SecretKeyRef
                ?? throw new InvalidOperationException($"Redis '{Name}' has no secret REDIS_PASSWORD in the manifest: the StatefulSet runs Redis only with a password.");
            // redis-cli (readiness probe) authenticates from this variable, keeping the password off its command line.
            SecretEnv.Add(SecretKeyRef("REDISCLI_AUTH", password.Name, password.Key));
        }
        foreach (var (name, value) in Options.Environment)
        {
            Config[name] = value;
        }
        foreach (var (name, key) in Options.SecretEnvironment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            SecretKeys[key] = $"value of {name}";
            SecretEnv.Add(SecretKeyRef(name, SecretName, key));
        }
    }

    /// <summary>What a project needs in the cluster on top of the manifest: listen address, environment, log format, telemetry name.</summary>
    private void AddClusterEnvironment(KubernetesPublishingOptions options)
    {
        Config["ASPNETCORE_URLS"] = $"{Scheme}://+:{Port.ToString(CultureInfo.InvariantCulture)}";
        Config["ASPNETCORE_ENVIRONMENT"] = options.Environment;
        Config["LOGGING__CONSOLE__FORMATTERNAME"] = "json";
        Config["OTEL_SERVICE_NAME"] = Name;
        if (IsExternal)
        {
            // Behind the ingress: scheme and client address come from X-Forwarded-* headers.
            Config["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true";
        }
    }

    private void AddRendered(string name, string expression, PlaceholderRenderer renderer, Dictionary<string, string> owners)
    {
        var context = $"{Name}: env '{name}'";
        if (renderer.SoleSecret(expression) is { } parameter)
        {
            SecretEnv.Add(SecretKeyRef(name, $"{owners[parameter.Name]}-secrets", parameter.Name));
            return;
        }
        // Service discovery stays inside the cluster: one entry, the Service spreads load over the pods.
        var rendered = renderer.Render(expression, context, preferPublicUrls: !name.StartsWith("services__", StringComparison.Ordinal));
        Connections.UnionWith(rendered.Connections.Where(c => c != Name));
        if (rendered.Secrets.Count == 0)
        {
            Config[name] = rendered.Value;
            return;
        }
        foreach (var secret in rendered.Secrets)
        {
            var variable = PlaceholderRenderer.EnvironmentName(secret.Name);
            if (!SecretEnv.Any(e => e.Name == variable))
            {
                SecretEnv.Add(SecretKeyRef(variable, $"{owners[secret.Name]}-secrets", secret.Name));
            }
        }
        // Kubernetes expands $(VAR) from variables defined earlier in the same container.
        SecretEnv.Add(new V1EnvVar { Name = name, Value = rendered.Value });
    }

    private static V1EnvVar SecretKeyRef(string name, string secret, string key) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } } };
}
