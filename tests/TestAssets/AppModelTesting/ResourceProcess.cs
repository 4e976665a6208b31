using System.Globalization;
using Aspire.Hosting;

namespace AppModelTesting;

/// <summary>The OS processes behind a resource, from what the orchestrator reports.</summary>
public sealed record ResourceProcess(string Resource, int Pid, int ServicePid)
{
    public static ResourceProcess Of(DistributedApplication app, string resource)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(resource, out var state))
        {
            throw new InvalidOperationException($"No state for '{resource}'.");
        }
        var pid = state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value switch
        {
            int value => value,
            long value => (int)value,
            string value => int.Parse(value, CultureInfo.InvariantCulture),
            var other => throw new InvalidOperationException($"'{resource}' reports no process id ({other ?? "none"}).")
        };
        // DCP starts a project through "dotnet run"; the service itself is its child.
        var child = ProcFs.ChildrenOf(pid).FirstOrDefault(c => !ProcFs.CommandLine(c).Contains(" run ", StringComparison.Ordinal));
        return new ResourceProcess(resource, pid, child == 0 ? pid : child);
    }

    /// <summary>How long ago the service process started.</summary>
    public TimeSpan ServiceAge() => ProcFs.Age(ServicePid);

    /// <summary>SIGKILL to the service process: a crash, as the operating system would deliver it.</summary>
    public void KillService() => System.Diagnostics.Process.GetProcessById(ServicePid).Kill(entireProcessTree: false);
}
