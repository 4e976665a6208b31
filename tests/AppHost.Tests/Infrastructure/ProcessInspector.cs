using System.Globalization;
using System.Text;

namespace AppHost.Tests.Infrastructure;

/// <summary>Reads what the kernel knows about a process (Linux /proc): alive, environment, command line, children.</summary>
internal static class ProcessInspector
{
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }
        try
        {
            // A zombie has exited; only its parent's bookkeeping remains.
            var fields = File.ReadAllText(stat);
            var state = fields[(fields.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!IsAlive(pid))
            {
                return true;
            }
            await Task.Delay(100);
        }
        return !IsAlive(pid);
    }

    public static IReadOnlyDictionary<string, string> Environment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ", Encoding.UTF8)
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);

    public static string CommandLine(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');

    public static IReadOnlyList<int> ChildrenOf(int parentPid) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            .Where(pid => ParentOf(pid) == parentPid)];

    private static int? ParentOf(int pid)
    {
        try
        {
            var fields = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = fields[(fields.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(afterName[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
