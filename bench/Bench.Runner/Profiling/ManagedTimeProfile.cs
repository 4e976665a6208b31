using System.Text.Json;

namespace Bench.Runner.Profiling;

/// <summary>
/// Managed CPU time by owner, read from a dotnet-trace thread-time trace in Speedscope form. A sample whose leaf is
/// <c>CPU_TIME</c> was running managed code (<c>UNMANAGED_CODE_TIME</c>, waits and native I/O, is not counted). Each
/// sample goes to the owner of the frame nearest its leaf that some owner claims, so JSON or collections code counts
/// for whoever called it; a sample no specific owner claims goes to the first generic owner that matches, else to
/// "other".
/// </summary>
public sealed class ManagedTimeProfile
{
    public const string Other = "Other managed code (runtime, thread pool, GC helpers, BCL called from no owner above)";

    /// <summary>
    /// Samples whose top managed frame is a GC poll or a contended <c>Monitor.Enter</c>: where the sampler (or a GC)
    /// stopped the thread, usually shown under whatever async method it resumed in, so not attributable to a part.
    /// </summary>
    public const string Stopped = "Stopped at a GC poll or a contended lock (where the sampler stops threads; not attributable)";

    private static readonly string[] StopFrames = ["PollGCWorker", "System.Threading.Monitor.Enter_Slowpath"];

    private ManagedTimeProfile(IReadOnlyDictionary<string, double> milliseconds, double total)
    {
        Milliseconds = milliseconds;
        TotalMilliseconds = total;
    }

    /// <summary>Managed CPU milliseconds per owner name.</summary>
    public IReadOnlyDictionary<string, double> Milliseconds { get; }

    public double TotalMilliseconds { get; }

    public static ManagedTimeProfile Read(string speedscopePath, IReadOnlyList<ProfileOwner> owners)
    {
        using var stream = File.OpenRead(speedscopePath);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var frames = root.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("name").GetString() ?? "").ToArray();
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        var ownerOfStack = new Dictionary<string, string>(StringComparer.Ordinal);
        double total = 0;
        foreach (var profile in root.GetProperty("profiles").EnumerateArray())
        {
            var stack = new List<int>();
            double? last = null;
            foreach (var e in profile.GetProperty("events").EnumerateArray())
            {
                var at = e.GetProperty("at").GetDouble();
                if (last is { } from && stack.Count > 1 && frames[stack[^1]] == "CPU_TIME")
                {
                    var top = frames[stack[^2]];
                    var owner = StopFrames.Any(f => top.Contains(f, StringComparison.Ordinal)) ? Stopped : OwnerOf(stack, frames, owners, ownerOfStack);
                    totals[owner] = totals.GetValueOrDefault(owner) + (at - from);
                    total += at - from;
                }
                if (e.GetProperty("type").GetString() == "O")
                {
                    stack.Add(e.GetProperty("frame").GetInt32());
                }
                else if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }
                last = at;
            }
        }
        return new ManagedTimeProfile(totals, total);
    }

    private static string OwnerOf(List<int> stack, string[] frames, IReadOnlyList<ProfileOwner> owners, Dictionary<string, string> cache)
    {
        var key = string.Join(',', stack);
        if (cache.TryGetValue(key, out var known))
        {
            return known;
        }
        string? generic = null;
        for (var i = stack.Count - 2; i >= 0; i--)
        {
            var frame = frames[stack[i]];
            foreach (var owner in owners)
            {
                if (owner.Claims(frame))
                {
                    if (!owner.Generic)
                    {
                        return cache[key] = owner.Name;
                    }
                    generic ??= owner.Name;
                }
            }
        }
        return cache[key] = generic ?? Other;
    }
}

/// <summary>A part of the request path, recognised by the frames (module!namespace.type.method) it runs in.</summary>
/// <param name="Generic">Claims a sample only when no specific owner does (the host and pipeline around everything).</param>
public sealed record ProfileOwner(string Name, IReadOnlyList<string> FramePrefixes, bool Generic = false)
{
    public bool Claims(string frame)
    {
        foreach (var prefix in FramePrefixes)
        {
            if (frame.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
