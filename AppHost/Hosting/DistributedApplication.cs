using System.Runtime.InteropServices;
using AppHost.Hosting.Model;
using AppHost.Hosting.Orchestration;
using AppHost.Hosting.Testing;

namespace AppHost.Hosting;

/// <summary>A built app model: runs it locally (or hands it to a publisher) and answers questions about it.</summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly Orchestrator _orchestrator;
    private readonly List<Func<DistributedApplication, string>> _readyMessages;

    internal DistributedApplication(DistributedApplicationBuilder model)
    {
        Model = model;
        _orchestrator = new Orchestrator(model, ResourceNotifications, ResourceLogs, TimeProvider.System);
        _readyMessages = [.. model.ReadyMessages];
    }

    public DistributedApplicationBuilder Model { get; }

    public ResourceNotificationService ResourceNotifications { get; } = new();

    public ResourceLoggerService ResourceLogs { get; } = new();

    public static DistributedApplicationBuilder CreateBuilder(string[] args) =>
        new(args, AppModelCapture.Current?.Configure);

    /// <summary>Allocates ports and parameters, then starts every resource in dependency order (returns at once).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _orchestrator.Prepare();
        foreach (var hook in Model.LifecycleHooks)
        {
            await hook.AfterEndpointsAllocatedAsync(this, cancellationToken);
        }
        _orchestrator.Start();
    }

    public async Task StopAsync()
    {
        foreach (var hook in Model.LifecycleHooks)
        {
            await hook.StopAsync();
        }
        await _orchestrator.StopAsync();
    }

    /// <summary>The entry point's loop: publish when asked to, else run until Ctrl+C / SIGTERM and stop everything.</summary>
    public async Task<int> RunAsync()
    {
        if (Model.Configuration["Publishing:Publisher"] is { Length: > 0 } publisher)
        {
            return await Model.Publishers.PublishAsync(publisher, this);
        }

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        await using var reporter = Model.Options.ConsoleOutput ? new ConsoleReporter(this) : null;

        try
        {
            await StartAsync(stop.Token);
        }
        catch (Exception ex) when (ex is PortInUseException or InvalidOperationException)
        {
            Console.Error.WriteLine($"AppHost cannot start: {ex.Message}");
            return 1;
        }

        _ = AnnounceWhenReadyAsync(reporter, stop.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        reporter?.WriteLine("Stopping all resources...");
        await StopAsync();
        reporter?.WriteLine("All resources stopped.");
        return 0;
    }

    public void Run() => Environment.ExitCode = RunAsync().GetAwaiter().GetResult();

    private async Task AnnounceWhenReadyAsync(ConsoleReporter? reporter, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var resource in Model.Resources.OfType<ProcessResource>())
            {
                await ResourceNotifications.WaitForResourceHealthyAsync(resource.Name, cancellationToken);
            }
            reporter?.WriteBanner(_readyMessages.Select(message => message(this)));
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // A failed resource is already on screen with its exit code and last lines.
        }
    }

    public Uri GetEndpoint(string resource, int replica = 0)
    {
        var process = Model.GetResource<ProcessResource>(resource);
        return new Uri(ResourceInstanceUrl(process, replica));
    }

    public IReadOnlyList<Uri> GetEndpoints(string resource) =>
        [.. _orchestrator.Instances[Model.GetResource<ProcessResource>(resource)].Select(i => new Uri(ResourceInstance.UrlOf(i.Resource, i.Port)))];

    private string ResourceInstanceUrl(ProcessResource resource, int replica) =>
        ResourceInstance.UrlOf(resource, _orchestrator.PortOf(resource, replica));

    /// <summary>Stops one replica of a resource gracefully and keeps it stopped (until <see cref="StartResourceAsync"/>).</summary>
    public Task StopResourceAsync(string resource, int replica = 0) =>
        _orchestrator.StopInstanceAsync(Model.GetResource<ProcessResource>(resource), replica);

    /// <summary>Starts a stopped or crashed replica again on its port; returns at once (wait for health separately).</summary>
    public Task StartResourceAsync(string resource, int replica = 0)
    {
        _orchestrator.StartInstance(Model.GetResource<ProcessResource>(resource), replica);
        return Task.CompletedTask;
    }

    public HttpClient CreateHttpClient(string resource, int replica = 0) => new() { BaseAddress = GetEndpoint(resource, replica) };

    public Task<string> GetConnectionStringAsync(string resource) =>
        Task.FromResult(Model.GetResource<RedisResource>(resource).ConnectionStringExpression.Resolve(new ResolutionContext(_orchestrator.PortOf, 0)));

    /// <summary>Resolves any model value (parameter, endpoint, expression) as the processes see it.</summary>
    public string Resolve(IValueProvider value) => value.Resolve(new ResolutionContext(_orchestrator.PortOf, 0));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _orchestrator.DisposeAsync();
        if (Model.Options.DeleteDataDirectoryOnDispose && Directory.Exists(Model.Options.DataDirectory))
        {
            Directory.Delete(Model.Options.DataDirectory, recursive: true);
        }
    }
}
