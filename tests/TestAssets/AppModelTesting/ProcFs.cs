using System.Globalization;
using System.Text;

namespace AppModelTesting;

/// <summary>
/// What the tests read of a Linux process from <c>/proc</c>. Any process may end between being listed and being read:
/// the readers that meet that often say so in their result, the others throw <see cref="IOException"/>.
/// </summary>
public static class ProcFs
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>Every process id <c>/proc</c> lists now.</summary>
    public static IReadOnlyList<int> Pids()
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                pids.Add(pid);
            }
        }
        return pids;
    }

    /// <summary>The fields of <c>/proc/pid/stat</c> after the command name (state, parent, ...); null once the process is gone.</summary>
    public static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces or ')': the fields start after the last one.
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static IReadOnlyList<int> ChildrenOf(int pid) =>
        Pids().Where(candidate => Stat(candidate) is { } fields && int.Parse(fields[1], CultureInfo.InvariantCulture) == pid).ToList();

    /// <summary>The process exists and is not a zombie waiting for its parent to reap it.</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { } fields && fields[0] != "Z";

    /// <summary>The arguments joined by spaces; empty once the process is gone.</summary>
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

    /// <summary>The environment the process started with; the last of repeated names wins, as getenv would see it.</summary>
    /// <exception cref="UnauthorizedAccessException">The process is another user's.</exception>
    public static Dictionary<string, string> Environment(int pid) =>
        Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);

    /// <summary>
    /// <see cref="Environment"/> for every process whose environment can be read, most of all this user's; a process that
    /// ends or is another user's is passed over.
    /// </summary>
    public static IEnumerable<(int Pid, Dictionary<string, string> Environment)> Environments()
    {
        foreach (var pid in Pids())
        {
            Dictionary<string, string> environment;
            try
            {
                environment = Environment(pid);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            yield return (pid, environment);
        }
    }

    public static string WorkingDirectory(int pid) =>
        new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: true)!.FullName;

    /// <summary>How long ago the process started (its start time in <c>stat</c> against <c>/proc/uptime</c>, in 10 ms steps).</summary>
    public static TimeSpan Age(int pid)
    {
        var startTicks = long.Parse(
            (Stat(pid) ?? throw new IOException($"Process {pid} is gone."))[19], CultureInfo.InvariantCulture);
        var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(uptime - (startTicks / TicksPerSecond));
    }

    /// <summary>The resident set (<c>VmRSS</c> in <c>/proc/pid/status</c>).</summary>
    public static double RssMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }
}
