using System.Collections;

namespace AppHost.Resources;

/// <summary>
/// A service run as N project resources of its own (<c>keyservice-0..N-1</c>), each on its own unproxied port.
/// <c>WithReplicas</c> would put the orchestrator's proxy in front of every request (a single discovery URL, and
/// about 0.4x the throughput of the direct port measured here), while TotService's key-set client fails over
/// replica by replica and the benchmarks must measure the services themselves.
/// </summary>
public sealed class ProjectInstances(string name, IReadOnlyList<IResourceBuilder<ProjectResource>> instances)
    : IReadOnlyList<IResourceBuilder<ProjectResource>>
{
    /// <summary>The service's name (the discovery name of all instances).</summary>
    public string Name { get; } = name;

    /// <summary>Instance 0: its URL is the public issuer / audience the instances share.</summary>
    public IResourceBuilder<ProjectResource> First => instances[0];

    public int Count => instances.Count;

    public IResourceBuilder<ProjectResource> this[int index] => instances[index];

    public ProjectInstances Each(Action<IResourceBuilder<ProjectResource>> configure)
    {
        foreach (var instance in instances)
        {
            configure(instance);
        }
        return this;
    }

    public ProjectInstances WithExternalHttpEndpoints() => Each(i => i.WithExternalHttpEndpoints());

    public ProjectInstances WithHttpHealthCheck(string path) => Each(i => i.WithHttpHealthCheck(path));

    /// <summary>The Redis connection string only (not Aspire's REDIS_HOST/PORT/PASSWORD copies), then a wait.</summary>
    public ProjectInstances WithReference(IResourceBuilder<IResourceWithConnectionString> redis) =>
        Each(i => i.WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString).WithReference(redis));

    /// <summary>One discovery entry per instance (<c>services__keyservice__http__i</c>), so a client can fail over.</summary>
    public ProjectInstances WithReference(ProjectInstances service) => Each(i =>
    {
        for (var index = 0; index < service.Count; index++)
        {
            i.WithEnvironment($"services__{service.Name}__http__{index}", service[index].GetEndpoint("http"));
        }
    });

    public ProjectInstances WaitFor(IResourceBuilder<IResource> dependency) => Each(i => i.WaitFor(dependency));

    public ProjectInstances WaitFor(ProjectInstances dependency) => Each(i =>
    {
        foreach (var other in dependency)
        {
            i.WaitFor(other);
        }
    });

    public IEnumerator<IResourceBuilder<ProjectResource>> GetEnumerator() => instances.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

public static class ProjectInstancesExtensions
{
    /// <summary>
    /// <paramref name="count"/> instances of a project, named <c>{name}-{i}</c> (just <c>{name}</c> when one, and always
    /// one when publishing: the deployment scales a single workload). Instance i listens on <c>port + 10 i</c>, or on a
    /// port the orchestrator picks when <paramref name="port"/> is null. They run in the AppHost's environment
    /// (Development by default), which the orchestrator would otherwise not pass on.
    /// </summary>
    public static ProjectInstances AddProjectInstances<TProject>(
        this IDistributedApplicationBuilder builder, string name, int count, int? port, string environment)
        where TProject : IProjectMetadata, new()
    {
        count = builder.ExecutionContext.IsPublishMode ? 1 : count;
        var instances = new List<IResourceBuilder<ProjectResource>>();
        for (var i = 0; i < count; i++)
        {
            var instance = builder.AddProject<TProject>(count == 1 ? name : $"{name}-{i}", options => options.ExcludeLaunchProfile = true)
                .WithHttpEndpoint(port: builder.ExecutionContext.IsPublishMode ? null : port + (10 * i), isProxied: false);
            if (builder.ExecutionContext.IsRunMode)
            {
                instance.WithEnvironment("ASPNETCORE_ENVIRONMENT", environment);
            }
            instances.Add(instance);
        }
        return new ProjectInstances(name, instances);
    }
}
