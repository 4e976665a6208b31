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
        var child = ChildrenOf(pid).FirstOrDefault(c => !CommandLine(c).Contains(" run ", StringComparison.Ordinal));
        return new ResourceProcess(resource, pid, child == 0 ? pid : child);
    }

    public static IReadOnlyList<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    children.Add(candidate);
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }
        return children;
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>How long ago the service process started (<c>/proc/&lt;pid&gt;/stat</c> against <c>/proc/uptime</c>, in 10 ms steps).</summary>
    public TimeSpan ServiceAge()
    {
        const double TicksPerSecond = 100; // USER_HZ on Linux
        var stat = File.ReadAllText($"/proc/{ServicePid}/stat");
        var startTicks = long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
        var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(uptime - (startTicks / TicksPerSecond));
    }

    /// <summary>SIGKILL to the service process: a crash, as the operating system would deliver it.</summary>
    public void KillService() => System.Diagnostics.Process.GetProcessById(ServicePid).Kill(entireProcessTree: false);
}
