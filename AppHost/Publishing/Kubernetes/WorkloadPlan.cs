using System.Globalization;
using System.Text.RegularExpressions;
using AppHost.Hosting;
using AppHost.Hosting.Model;
using k8s.Models;

namespace AppHost.Publishing.Kubernetes;

/// <summary>
/// One app-model resource as the cluster sees it: replicas, ports, and its settings split into a ConfigMap (plain
/// values) and container variables that come from the operator's Secret. Endpoint and parameter placeholders are
/// translated the way Aspirate translates the manifest: endpoints become Service DNS names (or the public
/// <c>https://host</c> of an external endpoint), secret parameters become keys of a kustomize-generated Secret.
/// </summary>
internal sealed partial class WorkloadPlan
{
    public const string SecretFileSuffix = ".secret.env";

    private WorkloadPlan(ProcessResource resource, KubernetesResourceOptions options, int replicas, int maxReplicas)
    {
        Resource = resource;
        Options = options;
        Replicas = replicas;
        MaxReplicas = maxReplicas;
    }

    public ProcessResource Resource { get; }

    public string Name => Resource.Name;

    public KubernetesResourceOptions Options { get; }

    public int Replicas { get; }

    /// <summary>Equal to <see cref="Replicas"/> unless an HPA scales the workload.</summary>
    public int MaxReplicas { get; }

    public bool IsAutoscaled => MaxReplicas > Replicas;

    /// <summary>Pods a rolling update may add on top of the maximum (Deployments surge by one; StatefulSets replace in place).</summary>
    public int Surge => Resource is RedisResource ? 0 : 1;

    public int Port => Resource.TargetPort;

    public string PortName => Resource.EndpointName;

    public bool IsHttp => Resource.Scheme is "http" or "https";

    /// <summary>Non-secret settings (ConfigMap <c>{name}-config</c>).</summary>
    public SortedDictionary<string, string> Config { get; } = new(StringComparer.Ordinal);

    /// <summary>Container variables that carry or embed a secret, in dependency order.</summary>
    public List<V1EnvVar> SecretEnv { get; } = [];

    /// <summary>Keys of this resource's Secret (<c>{name}-secrets</c>) with a line saying what each holds.</summary>
    public SortedDictionary<string, string> SecretKeys { get; } = new(StringComparer.Ordinal);

    public string SecretName => $"{Name}-secrets";

    public string ConfigMapName => $"{Name}-config";

    public string SecretFileName => $"{Name}{SecretFileSuffix}";

    public string? PublicUrl => Resource.IsExternal && Options.Host is { Length: > 0 } host ? $"https://{host}" : null;

    public string InternalUrl => $"{Resource.Scheme}://{Name}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public IReadOnlyDictionary<string, string> Labels => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = Name,
        ["app.kubernetes.io/part-of"] = "tot-mcp",
    };

    public IDictionary<string, string> Selector => new Dictionary<string, string>(StringComparer.Ordinal) { ["app.kubernetes.io/name"] = Name };

    /// <summary>Plans every process resource of the model, in model order.</summary>
    public static IReadOnlyList<WorkloadPlan> CreateAll(DistributedApplicationBuilder model, KubernetesPublishingOptions options)
    {
        var resources = model.Resources.OfType<ProcessResource>().ToList();
        var plans = resources.Select(r => Create(r, options)).ToList();
        var byName = plans.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var owners = SecretOwners(model.Resources, options);
        foreach (var plan in plans)
        {
            plan.AddSettings(model, options, byName, owners);
        }
        return plans;
    }

    private static WorkloadPlan Create(ProcessResource resource, KubernetesPublishingOptions options)
    {
        var resourceOptions = options.For(resource.Name);
        var replicas = Math.Max(resource.Replicas, resourceOptions.Replicas ?? resource.Replicas);
        var maxReplicas = Math.Max(replicas, resourceOptions.MaxReplicas ?? replicas);
        if (resource is RedisResource && replicas != 1)
        {
            throw new InvalidOperationException($"'{resource.Name}' is a single Redis primary: its replica count must be 1.");
        }
        return new WorkloadPlan(resource, resourceOptions, replicas, maxReplicas);
    }

    /// <summary>Which resource's Secret holds each secret parameter: Redis owns its password, others belong to their first user.</summary>
    private static Dictionary<ParameterResource, string> SecretOwners(IReadOnlyList<Resource> resources, KubernetesPublishingOptions options)
    {
        var owners = new Dictionary<ParameterResource, string>();
        foreach (var redis in resources.OfType<RedisResource>())
        {
            owners[redis.Password] = redis.Name;
        }
        foreach (var resource in resources)
        {
            var replaced = Replaced(options.For(resource.Name));
            var used = resource.Environment.Where(e => !replaced.Contains(e.Key)).Select(e => e.Value);
            foreach (var parameter in used.SelectMany(Parameters).Where(p => p.Secret))
            {
                owners.TryAdd(parameter, resource.Name);
            }
        }
        return owners;
    }

    /// <summary>Model variables the options remove or set themselves (options win over the model).</summary>
    private static HashSet<string> Replaced(KubernetesResourceOptions options) =>
        options.RemoveEnvironment.Concat(options.Environment.Keys).Concat(options.SecretEnvironment.Keys).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<ParameterResource> Parameters(IValueProvider value) => value switch
    {
        ParameterResource parameter => [parameter],
        ReferenceExpression expression => expression.Providers.SelectMany(Parameters),
        _ => [],
    };

    private void AddSettings(
        DistributedApplicationBuilder model, KubernetesPublishingOptions options, Dictionary<string, WorkloadPlan> plans, Dictionary<ParameterResource, string> owners)
    {
        var renderer = new PlaceholderRenderer(model, plans);
        switch (Resource)
        {
            case RedisResource redis:
                AddSecretVariable("REDIS_PASSWORD", redis.Password, owners);
                // redis-cli (readiness probe) authenticates from this variable, keeping the password off its command line.
                AddSecretVariable("REDISCLI_AUTH", redis.Password, owners);
                return;
            case ProjectResource:
                AddAspireEnvironment(options);
                break;
        }

        foreach (var reference in Resource.References.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            switch (reference)
            {
                case RedisResource redis:
                    AddRendered($"ConnectionStrings__{redis.Name}", redis.ConnectionStringExpression.ManifestExpression, renderer, owners);
                    break;
                case ProcessResource service:
                    // Service discovery stays inside the cluster: one entry, the Service spreads load over the pods.
                    Config[$"services__{service.Name}__{service.EndpointName}__0"] = plans[service.Name].InternalUrl;
                    break;
            }
        }

        var replaced = Replaced(Options);
        foreach (var (name, value) in Resource.Environment.Where(e => !replaced.Contains(e.Key)))
        {
            AddRendered(name, value.ManifestExpression, renderer, owners, preferPublicUrls: true);
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

    /// <summary>The variables Aspire gives every project (DESIGN.md section 4), with cluster values.</summary>
    private void AddAspireEnvironment(KubernetesPublishingOptions options)
    {
        Config["ASPNETCORE_URLS"] = $"{Resource.Scheme}://+:{Port.ToString(CultureInfo.InvariantCulture)}";
        Config["ASPNETCORE_ENVIRONMENT"] = options.Environment;
        Config["LOGGING__CONSOLE__FORMATTERNAME"] = "json";
        Config["OTEL_SERVICE_NAME"] = Name;
        Config["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true";
        Config["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true";
        Config["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
        if (Resource.IsExternal)
        {
            // Behind the ingress: scheme and client address come from X-Forwarded-* headers.
            Config["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true";
        }
    }

    private void AddRendered(
        string name, string manifestExpression, PlaceholderRenderer renderer, Dictionary<ParameterResource, string> owners, bool preferPublicUrls = false)
    {
        if (renderer.SoleSecret(manifestExpression) is { } parameter)
        {
            AddSecretVariable(name, parameter, owners);
            return;
        }
        var rendered = renderer.Render(manifestExpression, preferPublicUrls);
        if (rendered.Secrets.Count == 0)
        {
            Config[name] = rendered.Value;
            return;
        }
        foreach (var secret in rendered.Secrets)
        {
            var variable = EnvironmentName(secret);
            if (!SecretEnv.Any(e => e.Name == variable))
            {
                AddSecretVariable(variable, secret, owners);
            }
        }
        // Kubernetes expands $(VAR) from variables defined earlier in the same container.
        SecretEnv.Add(new V1EnvVar { Name = name, Value = rendered.Value });
    }

    private void AddSecretVariable(string name, ParameterResource parameter, Dictionary<ParameterResource, string> owners)
    {
        var owner = owners[parameter];
        if (owner == Name)
        {
            SecretKeys[parameter.Name] = $"secret parameter '{parameter.Name}'";
        }
        SecretEnv.Add(SecretKeyRef(name, $"{owner}-secrets", parameter.Name));
    }

    private static V1EnvVar SecretKeyRef(string name, string secret, string key) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } } };

    /// <summary><c>redis-password</c> becomes <c>REDIS_PASSWORD</c>.</summary>
    public static string EnvironmentName(ParameterResource parameter) =>
        parameter.Name.Replace('-', '_').ToUpperInvariant();

    /// <summary>Translates manifest placeholders (<c>{x.bindings.http.url}</c>, <c>{p.value}</c>) into cluster values.</summary>
    private sealed partial class PlaceholderRenderer(DistributedApplicationBuilder model, Dictionary<string, WorkloadPlan> plans)
    {
        public ParameterResource? SoleSecret(string expression) =>
            SolePlaceholder().Match(expression) is { Success: true } match
            && Parameter(match.Groups["name"].Value) is { Secret: true } parameter
                ? parameter
                : null;

        public (string Value, List<ParameterResource> Secrets) Render(string expression, bool preferPublicUrls)
        {
            var secrets = new List<ParameterResource>();
            var value = Placeholder().Replace(expression, match =>
            {
                var name = match.Groups["name"].Value;
                var path = match.Groups["path"].Value.Split('.');
                if (path is ["value"] && Parameter(name) is { } parameter)
                {
                    if (!parameter.Secret)
                    {
                        return model.Configuration[$"Parameters:{name}"]
                            ?? throw new InvalidOperationException($"Parameter '{name}' has no value: set 'Parameters:{name}' when publishing.");
                    }
                    secrets.Add(parameter);
                    return $"$({EnvironmentName(parameter)})";
                }
                if (path is ["bindings", _, var property] && plans.TryGetValue(name, out var plan))
                {
                    var port = plan.Port.ToString(CultureInfo.InvariantCulture);
                    return property switch
                    {
                        "url" => preferPublicUrls && plan.PublicUrl is { } publicUrl ? publicUrl : plan.InternalUrl,
                        "host" => plan.Name,
                        "port" or "targetPort" => port,
                        _ => throw new InvalidOperationException($"Unknown endpoint property in '{match.Value}'."),
                    };
                }
                throw new InvalidOperationException($"Cannot translate '{match.Value}' for Kubernetes.");
            });
            return (value, secrets);
        }

        private ParameterResource? Parameter(string name) =>
            model.Resources.OfType<ParameterResource>().SingleOrDefault(p => p.Name == name);

        [GeneratedRegex(@"\{(?<name>[a-z0-9-]+)\.(?<path>[A-Za-z.]+)\}")]
        private static partial Regex Placeholder();

        [GeneratedRegex(@"^\{(?<name>[a-z0-9-]+)\.value\}$")]
        private static partial Regex SolePlaceholder();
    }
}
