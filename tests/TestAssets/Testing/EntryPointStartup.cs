using System.Reflection;

namespace Testing;

/// <summary>
/// Runs a service's real entry point (its <c>Program.cs</c>) with settings as command-line arguments and returns the
/// exception start-up failed with. For tests of start-up refusals: WebApplicationFactory cannot report those reliably,
/// since the entry point's <c>app.Run()</c> disposes the host when start fails, and the factory then reads the disposed
/// host's services (ObjectDisposedException) in a race with it.
/// </summary>
public static class EntryPointStartup
{
    public static async Task<Exception> FailureAsync(Assembly service, IDictionary<string, string?> settings, TimeSpan timeout)
    {
        var entryPoint = service.EntryPoint ?? throw new InvalidOperationException($"{service.GetName().Name} has no entry point.");
        string[] args =
        [
            "--environment=Production",
            "--urls=http://127.0.0.1:0",
            .. settings.Where(setting => setting.Value is not null).Select(setting => $"--{setting.Key}={setting.Value}"),
        ];
        var run = Task.Factory.StartNew(() => entryPoint.Invoke(null, [args]), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await run.WaitAsync(timeout);
        }
        catch (TargetInvocationException invocation) when (invocation.InnerException is { } failure)
        {
            return failure;
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{service.GetName().Name} did not refuse to start within {timeout.TotalSeconds:0} s (it is running).");
        }
        throw new Xunit.Sdk.XunitException($"{service.GetName().Name}'s entry point returned without an error.");
    }
}
