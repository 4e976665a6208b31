using System.Globalization;

namespace AppHost.Lifecycle;

/// <summary>Process trees from <c>/proc</c>: a project resource is a <c>dotnet run</c> with the service as its child.</summary>
internal static class ProcessTree
{
    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    public static IEnumerable<int> WithDescendants(int pid)
    {
        var parents = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var candidate) && ParentOf(candidate) is { } parent)
            {
                (parents.TryGetValue(parent, out var list) ? list : parents[parent] = []).Add(candidate);
            }
        }
        var result = new List<int>();
        var pending = new Stack<int>([pid]);
        while (pending.TryPop(out var next))
        {
            result.Add(next);
            foreach (var child in parents.GetValueOrDefault(next) ?? [])
            {
                pending.Push(child);
            }
        }
        return result;
    }

    private static int? ParentOf(int pid) => Stat(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : null;

    private static bool IsZombie(int pid) => Stat(pid) is ["Z", ..];

    /// <summary>The fields of <c>/proc/pid/stat</c> after the command name: state, parent, ...</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
