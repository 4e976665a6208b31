using System.Collections.Immutable;
using System.Globalization;
using k8s.Models;

namespace AppHost.Publishing.Kubernetes;

/// <summary>
/// A workload's settings as the cluster gives them: non-secret values for its ConfigMap, container variables that come
/// from a Secret, the keys of its own Secret, and the workloads its settings make it connect to.
/// </summary>
internal sealed record WorkloadSettings(
    ImmutableSortedSet<string> Connections,
    ImmutableSortedDictionary<string, string> Config,
    ImmutableArray<V1EnvVar> SecretEnv,
    ImmutableSortedDictionary<string, string> SecretKeys)
{
    /// <summary>Manifest variables that say where Kestrel listens: <c>ASPNETCORE_URLS</c> replaces them (Kestrel warns when both are set).</summary>
    private static readonly HashSet<string> ListenVariables = new(StringComparer.Ordinal) { "HTTP_PORTS", "HTTPS_PORTS" };

    public static string SecretNameOf(string workload) => $"{workload}-secrets";

    /// <summary>The manifest's variables a workload keeps: options remove or set some themselves (options win).</summary>
    public static IEnumerable<KeyValuePair<string, string>> ManifestEnvironment(ManifestResource resource, WorkloadKind kind, KubernetesResourceOptions options)
    {
        var replaced = options.RemoveEnvironment.Concat(options.Environment.Keys).Concat(options.SecretEnvironment.Keys).ToHashSet(StringComparer.Ordinal);
        return resource.Env.Where(e => !replaced.Contains(e.Key) && !(kind == WorkloadKind.Project && ListenVariables.Contains(e.Key)));
    }

    /// <summary>
    /// Renders the workload's manifest variables and adds what the cluster needs on top; <paramref name="owners"/> says
    /// which workload's Secret holds each secret parameter.
    /// </summary>
    public static WorkloadSettings For(
        ManifestResource resource, WorkloadKind kind, KubernetesResourceOptions resourceOptions, WorkloadEndpoint endpoint,
        KubernetesPublishingOptions options, PlaceholderRenderer renderer, IReadOnlyDictionary<string, string> owners)
    {
        var name = resource.Name;
        var connections = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var config = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var secretEnv = ImmutableArray.CreateBuilder<V1EnvVar>();
        var secretKeys = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);

        foreach (var (parameter, _) in owners.Where(o => o.Value == name))
        {
            secretKeys[parameter] = $"secret parameter '{parameter}'";
        }
        if (kind == WorkloadKind.Project)
        {
            // What a project needs in the cluster on top of the manifest: listen address, environment, log format, telemetry name.
            config["ASPNETCORE_URLS"] = $"{endpoint.Scheme}://+:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
            config["ASPNETCORE_ENVIRONMENT"] = options.Environment;
            config["LOGGING__CONSOLE__FORMATTERNAME"] = "json";
            config["OTEL_SERVICE_NAME"] = name;
            if (endpoint.IsExternal)
            {
                // Behind the ingress: scheme and client address come from X-Forwarded-* headers.
                config["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true";
            }
        }
        foreach (var (variable, expression) in ManifestEnvironment(resource, kind, resourceOptions))
        {
            AddRendered(variable, expression);
        }
        if (kind == WorkloadKind.Redis)
        {
            var password = secretEnv.SingleOrDefault(e => e.Name == "REDIS_PASSWORD")?.ValueFrom?.SecretKeyRef
                ?? throw new InvalidOperationException($"Redis '{name}' has no secret REDIS_PASSWORD in the manifest: the StatefulSet runs Redis only with a password.");
            // redis-cli (readiness probe) authenticates from this variable, keeping the password off its command line.
            secretEnv.Add(SecretKeyRef("REDISCLI_AUTH", password.Name, password.Key));
        }
        foreach (var (variable, value) in resourceOptions.Environment)
        {
            config[variable] = value;
        }
        foreach (var (variable, key) in resourceOptions.SecretEnvironment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            secretKeys[key] = $"value of {variable}";
            secretEnv.Add(SecretKeyRef(variable, SecretNameOf(name), key));
        }
        return new WorkloadSettings(connections.ToImmutable(), config.ToImmutable(), secretEnv.ToImmutable(), secretKeys.ToImmutable());

        void AddRendered(string variable, string expression)
        {
            if (renderer.SoleSecret(expression) is { } parameter)
            {
                secretEnv.Add(SecretKeyRef(variable, SecretNameOf(owners[parameter.Name]), parameter.Name));
                return;
            }
            // Service discovery stays inside the cluster: one entry, the Service spreads load over the pods.
            var rendered = renderer.Render(expression, $"{name}: env '{variable}'", preferPublicUrls: !variable.StartsWith("services__", StringComparison.Ordinal));
            connections.UnionWith(rendered.Connections.Where(c => c != name));
            if (rendered.Secrets.Count == 0)
            {
                config[variable] = rendered.Value;
                return;
            }
            foreach (var secret in rendered.Secrets)
            {
                var secretVariable = PlaceholderRenderer.EnvironmentName(secret.Name);
                if (!secretEnv.Any(e => e.Name == secretVariable))
                {
                    secretEnv.Add(SecretKeyRef(secretVariable, SecretNameOf(owners[secret.Name]), secret.Name));
                }
            }
            // Kubernetes expands $(VAR) from variables defined earlier in the same container.
            secretEnv.Add(new V1EnvVar { Name = variable, Value = rendered.Value });
        }
    }

    private static V1EnvVar SecretKeyRef(string name, string secret, string key) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } } };
}
