using System.Reflection;
using AppHost.Hosting.Model;

namespace AppHost.Hosting.Testing;

/// <summary>
/// Aspire.Hosting.Testing's shape: runs the AppHost's real entry point, captures its app model, and lets a test
/// adjust it (replicas, environment, configuration) before starting it with random ports and a throw-away data
/// folder. Disposing the built application stops every process it started.
/// </summary>
public sealed class DistributedApplicationTestingBuilder
{
    private DistributedApplicationTestingBuilder(DistributedApplicationBuilder builder) => Builder = builder;

    public DistributedApplicationBuilder Builder { get; }

    public IReadOnlyList<Resource> Resources => Builder.Resources;

    /// <summary>Captures the model declared by <typeparamref name="TEntryPoint"/>'s assembly entry point (the AppHost's Program.cs).</summary>
    public static async Task<DistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(params string[] args)
        where TEntryPoint : class
    {
        var entryPoint = typeof(TEntryPoint).Assembly.EntryPoint
            ?? throw new InvalidOperationException($"{typeof(TEntryPoint).Assembly.GetName().Name} has no entry point.");
        var capture = new AppModelCapture(ConfigureForTesting);
        AppModelCapture.Current = capture;
        try
        {
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [args]);
            if (result is Task task)
            {
                await task;
            }
        }
        catch (TargetInvocationException ex) when (ex.InnerException is AppModelCapturedException)
        {
        }
        catch (AppModelCapturedException)
        {
        }
        finally
        {
            AppModelCapture.Current = null;
        }

        return new DistributedApplicationTestingBuilder(capture.Builder
            ?? throw new InvalidOperationException("The AppHost's entry point finished without calling Build()."));
    }

    /// <summary>An empty model, for tests that declare their own resources.</summary>
    public static DistributedApplicationTestingBuilder Create(params string[] args) =>
        new(new DistributedApplicationBuilder(args, ConfigureForTesting));

    public DistributedApplicationTestingBuilder WithReplicas(string resource, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        Builder.GetResource<ProcessResource>(resource).Replicas = replicas;
        return this;
    }

    public DistributedApplicationTestingBuilder WithEnvironment(string resource, string name, string value)
    {
        Builder.GetResource<Resource>(resource).Environment[name] = ReferenceExpression.Literal(value);
        return this;
    }

    public DistributedApplicationTestingBuilder WithEnvironment(string resource, string name, ReferenceExpression value)
    {
        Builder.GetResource<Resource>(resource).Environment[name] = value;
        return this;
    }

    /// <summary>The URL of a resource's endpoint as its processes will see it (replica 0).</summary>
    public EndpointReference GetEndpoint(string resource) =>
        new(Builder.GetResource<ProcessResource>(resource), Builder.GetResource<ProcessResource>(resource).EndpointName);

    public Task<DistributedApplication> BuildAsync() => Task.FromResult(Builder.Build());

    private static void ConfigureForTesting(DistributedApplicationBuilder builder)
    {
        builder.Options.RandomPorts = true;
        builder.Options.ConsoleOutput = false;
        builder.Options.DataDirectory = Path.Combine(Path.GetTempPath(), "apphost-tests", Guid.NewGuid().ToString("N"));
        builder.Options.DeleteDataDirectoryOnDispose = true;
    }
}
