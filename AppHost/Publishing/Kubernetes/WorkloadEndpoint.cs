using System.Globalization;

namespace AppHost.Publishing.Kubernetes;

/// <summary>How other workloads and clients reach a workload: its Service's name and port, and its public URL if it has one.</summary>
internal sealed record WorkloadEndpoint(string Name, string PortName, string Scheme, int Port, bool IsExternal, string? Host)
{
    /// <summary>The .NET container images listen on 8080 (<c>ASPNETCORE_HTTP_PORTS</c>); a project binding has no target port of its own.</summary>
    private const int ProjectPort = 8080;

    public bool IsHttp => Scheme is "http" or "https";

    public string? PublicUrl => IsExternal && Host is { Length: > 0 } host ? $"https://{host}" : null;

    public string InternalUrl => $"{Scheme}://{Name}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static WorkloadEndpoint For(ManifestResource resource, WorkloadKind kind, KubernetesResourceOptions options)
    {
        var binding = resource.Bindings[0];
        var port = binding.TargetPort ?? (kind == WorkloadKind.Project
            ? ProjectPort
            : throw new InvalidOperationException($"'{resource.Name}': binding '{binding.Name}' has no targetPort."));
        return new WorkloadEndpoint(resource.Name, binding.Name, binding.Scheme, port, binding.External, options.Host);
    }
}
