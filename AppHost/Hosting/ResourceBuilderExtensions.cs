using AppHost.Hosting.Model;

namespace AppHost.Hosting;

/// <summary>Aspire's app-model vocabulary: <c>AddRedis</c>, <c>AddProject</c>, <c>WithReference</c>, <c>WaitFor</c> and friends.</summary>
public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<ParameterResource> AddParameter(
        this DistributedApplicationBuilder builder, string name, bool secret = false, Func<string>? generate = null) =>
        builder.AddResource(new ParameterResource(name, secret, generate));

    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name, int? port = null)
    {
        var password = builder.AddParameter($"{name}-password", secret: true, generate: () => ParameterResource.RandomToken(24));
        return builder.AddResource(new RedisResource(name, password.Resource)
        {
            Port = port,
            EndpointName = "tcp",
            Scheme = "tcp",
            TargetPort = RedisResource.DefaultTargetPort,
        });
    }

    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this DistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject(name, new TProject().ProjectPath);

    public static IResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectPath) =>
        builder.AddResource(new ProjectResource(name, Path.GetFullPath(projectPath)));

    public static IResourceBuilder<ExecutableResource> AddExecutable(
        this DistributedApplicationBuilder builder, string name, string command, string workingDirectory, params string[] args) =>
        builder.AddResource(new ExecutableResource(name, command, workingDirectory) { Arguments = args });

    /// <summary>Injects the connection string (<c>ConnectionStrings__name</c>) or service discovery entries (<c>services__name__http__i</c>).</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<ProcessResource> source)
        where T : Resource
    {
        if (!builder.Resource.References.Contains(source.Resource))
        {
            builder.Resource.References.Add(source.Resource);
        }
        return builder;
    }

    /// <summary>Holds this resource back until <paramref name="dependency"/> runs and reports healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        if (!builder.Resource.WaitsFor.Contains(dependency.Resource))
        {
            builder.Resource.WaitsFor.Add(dependency.Resource);
        }
        return builder;
    }

    public static IResourceBuilder<T> WithReplicas<T>(this IResourceBuilder<T> builder, int replicas) where T : ProcessResource
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null)
        where T : ProcessResource
    {
        builder.Resource.Port = port;
        builder.Resource.TargetPort = targetPort ?? builder.Resource.TargetPort;
        return builder;
    }

    /// <summary>Marks the HTTP endpoint public (an Ingress in Kubernetes output).</summary>
    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder) where T : ProcessResource
    {
        builder.Resource.IsExternal = true;
        return builder;
    }

    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string path = "/health")
        where T : ProcessResource
    {
        builder.Resource.HealthCheckPath = path;
        return builder;
    }

    /// <summary>Restarts the process with exponential backoff when it exits on its own.</summary>
    public static IResourceBuilder<T> WithRestartOnFailure<T>(this IResourceBuilder<T> builder, int maxRestarts = 5)
        where T : ProcessResource
    {
        builder.Resource.Restart = RestartPolicy.OnFailure(maxRestarts);
        return builder;
    }

    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, params string[] args) where T : ProcessResource
    {
        builder.Resource.Arguments = [.. builder.Resource.Arguments, .. args];
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value) where T : Resource =>
        builder.WithEnvironment(name, ReferenceExpression.Literal(value));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IValueProvider value) where T : Resource =>
        builder.WithEnvironment(name, value as ReferenceExpression ?? ReferenceExpression.From(value));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, ReferenceExpression value)
        where T : Resource
    {
        builder.Resource.Environment[name] = value;
        return builder;
    }

    public static EndpointReference GetEndpoint<T>(this IResourceBuilder<T> builder, string? name = null) where T : ProcessResource =>
        new(builder.Resource, name ?? builder.Resource.EndpointName);
}
