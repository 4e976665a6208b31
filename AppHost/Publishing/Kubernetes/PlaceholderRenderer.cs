using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace AppHost.Publishing.Kubernetes;

/// <summary>
/// Translates manifest placeholders the way Aspirate does: <c>{x.bindings.b.url|host|port|targetPort|scheme}</c> become
/// the Service's DNS name and port (or the public <c>https://host</c> of an external endpoint that has a Host),
/// <c>{x.connectionString}</c> and a <c>value.v0</c>'s <c>{x.value}</c> are rendered from that resource's own expression, a secret <c>{p.value}</c> becomes
/// <c>$(P)</c> (a container variable read from the Secret) and a plain one its configured value.
/// </summary>
internal sealed partial class PlaceholderRenderer(AspireManifest manifest, IReadOnlyDictionary<string, WorkloadEndpoint> endpoints, IConfiguration parameters)
{
    /// <summary>What an expression rendered to, the secret parameters it embeds and the workloads it connects to in the cluster.</summary>
    public sealed record Rendered(string Value, IReadOnlyList<ManifestResource> Secrets, IReadOnlySet<string> Connections);

    /// <summary>The parameter when the whole expression is one secret parameter (it becomes a plain secretKeyRef).</summary>
    public ManifestResource? SoleSecret(string expression) =>
        Placeholder().Match(expression) is { Success: true } match && match.Length == expression.Length
        && ParameterPath(match.Groups["path"].Value)
        && manifest.Find(match.Groups["name"].Value) is { Type: ManifestResource.ParameterType, Input.Secret: true } parameter
            ? parameter
            : null;

    /// <param name="expression">A manifest value.</param>
    /// <param name="context">Where the value comes from, for error messages (e.g. <c>keyservice: env 'X'</c>).</param>
    /// <param name="preferPublicUrls">Whether an external endpoint's URL is its public <c>https://host</c> (settings a client outside sees).</param>
    public Rendered Render(string expression, string context, bool preferPublicUrls)
    {
        var secrets = new List<ManifestResource>();
        var connections = new SortedSet<string>(StringComparer.Ordinal);
        var value = Render(expression, context, preferPublicUrls, secrets, connections, depth: 0);
        return new Rendered(value, secrets.Distinct().ToList(), connections);
    }

    private string Render(string expression, string context, bool preferPublicUrls, List<ManifestResource> secrets, SortedSet<string> connections, int depth)
    {
        if (depth > 8)
        {
            throw new InvalidOperationException($"{context}: placeholders nest too deep (a connection string that refers to itself?).");
        }
        return Placeholder().Replace(expression, match =>
        {
            var name = match.Groups["name"].Value;
            var pathText = match.Groups["path"].Value;
            var resource = manifest.Find(name)
                ?? throw new InvalidOperationException($"{context}: '{match.Value}' names no resource of the manifest.");

            if (ParameterPath(pathText) && resource.Type == ManifestResource.ParameterType)
            {
                return ParameterValue(resource, context, secrets);
            }
            if (pathText == "value" && resource.Type == ManifestResource.ValueType)
            {
                var value = resource.Value ?? throw new InvalidOperationException($"{context}: '{match.Value}': value '{name}' has no 'value'.");
                return Render(value, $"{context} -> {name}.value", preferPublicUrls, secrets, connections, depth + 1);
            }
            if (pathText == "connectionString")
            {
                var connectionString = resource.ConnectionString
                    ?? throw new InvalidOperationException($"{context}: '{match.Value}': resource '{name}' has no connection string.");
                if (endpoints.ContainsKey(name))
                {
                    connections.Add(name);
                }
                return Render(connectionString, $"{context} -> {name}.connectionString", preferPublicUrls: false, secrets, connections, depth + 1);
            }
            if (pathText.Split('.') is ["bindings", var bindingName, var property])
            {
                return Endpoint(match.Value, context, resource, bindingName, property, preferPublicUrls, connections);
            }
            throw new InvalidOperationException(
                $"{context}: cannot translate '{match.Value}' for Kubernetes (known: {{resource.bindings.<name>.url|host|port|targetPort|scheme}}, {{resource.connectionString}}, {{parameter.value}}).");
        });
    }

    private string Endpoint(string placeholder, string context, ManifestResource resource, string bindingName, string property, bool preferPublicUrls, SortedSet<string> connections)
    {
        if (!endpoints.TryGetValue(resource.Name, out var endpoint))
        {
            throw new InvalidOperationException($"{context}: '{placeholder}': '{resource.Name}' ({resource.Type}) is not a workload with endpoints.");
        }
        if (endpoint.PortName != bindingName)
        {
            throw new InvalidOperationException($"{context}: '{placeholder}': '{resource.Name}' has no binding '{bindingName}' (it has '{endpoint.PortName}').");
        }
        if (property == "scheme")
        {
            return endpoint.Scheme;
        }
        if (property == "url" && preferPublicUrls && endpoint.PublicUrl is { } publicUrl)
        {
            // Public URLs go through the ingress controller, not pod to pod: no NetworkPolicy edge.
            return publicUrl;
        }
        var value = property switch
        {
            "url" => endpoint.InternalUrl,
            "host" => endpoint.Name,
            "port" or "targetPort" => endpoint.Port.ToString(CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"{context}: unknown endpoint property in '{placeholder}' (known: url, host, port, targetPort, scheme)."),
        };
        connections.Add(endpoint.Name);
        return value;
    }

    private string ParameterValue(ManifestResource parameter, string context, List<ManifestResource> secrets)
    {
        var input = parameter.Input ?? throw new InvalidOperationException($"{context}: parameter '{parameter.Name}' has no 'inputs.value'.");
        if (input.Secret)
        {
            secrets.Add(parameter);
            return $"$({EnvironmentName(parameter.Name)})";
        }
        return parameters[$"Parameters:{parameter.Name}"]
            ?? input.DefaultValue
            ?? throw new InvalidOperationException($"{context}: parameter '{parameter.Name}' has no value: set 'Parameters:{parameter.Name}' when generating.");
    }

    /// <summary><c>redis-password</c> becomes <c>REDIS_PASSWORD</c>.</summary>
    public static string EnvironmentName(string parameter) => parameter.Replace('-', '_').ToUpperInvariant();

    private static bool ParameterPath(string path) => path is "value" or "inputs.value";

    [GeneratedRegex(@"\{(?<name>[A-Za-z0-9_-]+)\.(?<path>[A-Za-z0-9_.]+)\}")]
    private static partial Regex Placeholder();
}
