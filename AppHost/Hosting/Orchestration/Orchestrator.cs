using System.Globalization;
using System.Reflection;
using AppHost.Hosting.Model;

namespace AppHost.Hosting.Orchestration;

/// <summary>
/// Runs the app model as local processes: allocates ports, resolves parameters, starts resources in dependency
/// order once what they wait for is healthy, and stops everything on shutdown.
/// </summary>
internal sealed class Orchestrator : IAsyncDisposable
{
    private readonly DistributedApplicationBuilder _model;
    private readonly ResourceNotificationService _notifications;
    private readonly ResourceLoggerService _logs;
    private readonly TimeProvider _time;
    private readonly Dictionary<ProcessResource, List<ResourceInstance>> _instances = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
    private readonly HttpClient _healthClient = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly RedisServerLocator _redisLocator = new(DistributedApplicationBuilder.RepositoryRoot);
    private int _stopped;

    public Orchestrator(DistributedApplicationBuilder model, ResourceNotificationService notifications, ResourceLoggerService logs, TimeProvider time)
    {
        _model = model;
        _notifications = notifications;
        _logs = logs;
        _time = time;
    }

    public IReadOnlyDictionary<ProcessResource, List<ResourceInstance>> Instances => _instances;

    /// <summary>Allocates ports and parameter values; throws a plain message when a fixed port is taken.</summary>
    public void Prepare()
    {
        ParameterStore.Resolve(_model.Resources.OfType<ParameterResource>(), _model.Configuration, _model.Options.DataDirectory);
        var taken = new HashSet<int>();
        foreach (var resource in _model.Resources.OfType<ProcessResource>())
        {
            if (_model.Configuration[$"AppHost:Ports:{resource.Name}"] is { Length: > 0 } configuredPort)
            {
                resource.Port = int.Parse(configuredPort, CultureInfo.InvariantCulture);
            }
            var instances = new List<ResourceInstance>();
            for (var replica = 0; replica < resource.Replicas; replica++)
            {
                var port = replica == 0 && resource.Port is { } fixedPort && !_model.Options.RandomPorts ? fixedPort : PortAllocator.FreePort();
                if (!taken.Add(port) || PortAllocator.IsInUse(port))
                {
                    throw new PortInUseException(resource.Name, port);
                }
                instances.Add(new ResourceInstance(resource, replica, port, _notifications, _logs, _time));
            }
            _instances[resource] = instances;
            foreach (var instance in instances)
            {
                instance.Publish(s => s with { State = resource.WaitsFor.Count > 0 ? ResourceState.Waiting : ResourceState.NotStarted });
            }
        }
    }

    public void Start()
    {
        foreach (var resource in AppModelValidator.TopologicalOrder(_model.Resources).OfType<ProcessResource>())
        {
            lock (_running)
            {
                _running.Add(StartWhenReadyAsync(resource, _stopping.Token));
            }
        }
    }

    public int PortOf(ProcessResource resource, int replica) => _instances[resource][replica].Port;

    /// <summary>Stops one replica (SIGTERM, then SIGKILL) and leaves it stopped: fault and resilience tests.</summary>
    public Task StopInstanceAsync(ProcessResource resource, int replica) =>
        _instances[resource][replica].StopAsync(_model.Options.ShutdownTimeout);

    /// <summary>Starts a fresh process for a stopped or exited replica, on the same port with the same settings.</summary>
    public void StartInstance(ProcessResource resource, int replica)
    {
        var previous = _instances[resource][replica];
        if (previous.IsProcessAlive)
        {
            throw new InvalidOperationException($"{previous.InstanceName} is still running: stop it before starting it again.");
        }
        previous.Retire();
        var instance = new ResourceInstance(resource, replica, previous.Port, _notifications, _logs, _time);
        _instances[resource][replica] = instance;
        lock (_running)
        {
            _running.Add(RunInstanceAsync(instance, _stopping.Token));
        }
    }

    private async Task StartWhenReadyAsync(ProcessResource resource, CancellationToken stopping)
    {
        try
        {
            foreach (var dependency in resource.WaitsFor.OfType<ProcessResource>())
            {
                await _notifications.WaitForResourceHealthyAsync(dependency.Name, stopping);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (InvalidOperationException ex)
        {
            foreach (var instance in _instances[resource])
            {
                instance.Publish(s => s with { State = ResourceState.FailedToStart, Message = $"dependency failed: {ex.Message}" });
            }
            return;
        }

        await Task.WhenAll(_instances[resource].Select(instance => RunInstanceAsync(instance, stopping)));
    }

    private async Task RunInstanceAsync(ResourceInstance instance, CancellationToken stopping)
    {
        LaunchSpec spec;
        try
        {
            spec = await CreateLaunchSpecAsync(instance);
        }
        catch (InvalidOperationException ex)
        {
            instance.Publish(s => s with { State = ResourceState.FailedToStart, Message = ex.Message });
            _logs.Write(instance.InstanceName, $"failed to start: {ex.Message}", true, _time);
            return;
        }
        await instance.RunAsync(() => spec, () => CreateProbe(instance), stopping);
    }

    private IHealthProbe CreateProbe(ResourceInstance instance) => instance.Resource switch
    {
        RedisResource redis => new RedisHealthProbe(instance.Port, redis.Password.Resolve(Context(instance))),
        { HealthCheckPath: { } path } => new HttpHealthProbe(_healthClient, new Uri($"http://localhost:{instance.Port}{path}")),
        _ => new RunningIsHealthyProbe(),
    };

    private ResolutionContext Context(ResourceInstance instance) => new(PortOf, instance.Replica);

    private async Task<LaunchSpec> CreateLaunchSpecAsync(ResourceInstance instance)
    {
        var environment = BuildEnvironment(instance);
        var dataDirectory = Path.Combine(_model.Options.DataDirectory, instance.InstanceName);
        switch (instance.Resource)
        {
            case RedisResource redis:
                return await _redisLocator.CreateLaunchSpecAsync(redis, instance.Port, redis.Password.Resolve(Context(instance)), dataDirectory, environment);
            case ProjectResource project:
                var assembly = ProjectAssemblyPath(project);
                if (!File.Exists(assembly))
                {
                    throw new InvalidOperationException($"{assembly} does not exist: build the solution first (dotnet build).");
                }
                return new LaunchSpec(DotNetHost.Path, [assembly, .. project.Arguments], project.ProjectDirectory, environment);
            case ExecutableResource executable:
                return new LaunchSpec(executable.Command, executable.Arguments, executable.WorkingDirectory, environment);
            default:
                throw new InvalidOperationException($"Resource kind {instance.Resource.Kind} cannot run locally.");
        }
    }

    /// <summary>The build output next to the project, in the AppHost's own configuration (Debug or Release).</summary>
    private static string ProjectAssemblyPath(ProjectResource project)
    {
        var configuration = typeof(Orchestrator).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return Path.Combine(project.ProjectDirectory, "bin", configuration, "net10.0", project.AssemblyName + ".dll");
    }

    /// <summary>The environment Aspire 9.x gives a process (DESIGN.md section 4), then the model's own variables.</summary>
    private Dictionary<string, string> BuildEnvironment(ResourceInstance instance)
    {
        var resource = instance.Resource;
        var options = _model.Options;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resource is ProjectResource)
        {
            environment["ASPNETCORE_URLS"] = $"http://localhost:{instance.Port}";
            environment["ASPNETCORE_ENVIRONMENT"] = options.EnvironmentName;
            environment["DOTNET_ENVIRONMENT"] = options.EnvironmentName;
            environment["LOGGING__CONSOLE__FORMATTERNAME"] = "simple";
            environment["OTEL_SERVICE_NAME"] = resource.Name;
            environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance.InstanceName}";
            environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true";
            environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true";
            environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
            if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
            {
                environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = options.OtlpEndpoint;
                environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = options.OtlpProtocol;
            }
        }

        var context = Context(instance);
        foreach (var reference in resource.References)
        {
            switch (reference)
            {
                case RedisResource redis:
                    environment[$"ConnectionStrings__{redis.Name}"] = redis.ConnectionStringExpression.Resolve(context);
                    break;
                case ProcessResource service:
                    var replicas = _instances[service];
                    for (var i = 0; i < replicas.Count; i++)
                    {
                        environment[$"services__{service.Name}__{service.EndpointName}__{i.ToString(CultureInfo.InvariantCulture)}"] =
                            ResourceInstance.UrlOf(service, replicas[i].Port);
                    }
                    break;
            }
        }

        foreach (var (name, value) in resource.Environment)
        {
            environment[name] = value.Resolve(context);
        }
        return environment;
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        await Task.WhenAll(_instances.Values.SelectMany(i => i).Select(i => i.StopAsync(_model.Options.ShutdownTimeout)));
        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }
        try
        {
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // Every process is gone by now; only bookkeeping tasks were still unwinding.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _healthClient.Dispose();
        _stopping.Dispose();
    }
}

/// <summary>A fixed port is taken: reported as a plain sentence, never a stack trace.</summary>
public sealed class PortInUseException(string resource, int port)
    : InvalidOperationException($"Port {port} for '{resource}' is already in use by another process. " +
        $"Stop that process, or start the AppHost with AppHost__RandomPorts=true (or change the port in AppHost/Program.cs).")
{
    public string ResourceName { get; } = resource;

    public int Port { get; } = port;
}
