using System.Globalization;

namespace Bench.Runner.Infrastructure;

/// <summary>Linux /proc figures of one process: resident memory and CPU time consumed.</summary>
public static class ProcStats
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>VmRSS in bytes.</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line.");
    }

    /// <summary>User + system CPU time of the process so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
