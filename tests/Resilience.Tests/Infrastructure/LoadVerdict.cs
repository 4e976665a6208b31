namespace Resilience.Tests.Infrastructure;

/// <summary>A stretch of time in which a fault is in force and some outcomes are expected.</summary>
/// <param name="Service">The service (or <c>redis</c>) that was down.</param>
/// <param name="Instance">Its instance; requests to it may get no response at all.</param>
/// <param name="Unavailable503">A dependency is down: 503 (the documented "not ready" answer) is allowed from any service.</param>
public sealed record FaultWindow(string Service, int Instance, TimeSpan From, TimeSpan To, bool Unavailable503 = false);

/// <summary>
/// The suite's rules for the answers the load got: a valid token is never refused (no 401, no failed tool call),
/// no 5xx except 503 while a dependency is down, no transport errors except towards the instance that was killed,
/// a lost MCP session only on a TotService instance that restarted.
/// </summary>
public static class LoadVerdict
{
    /// <summary>Answers within this much of a window's edges count as inside it (in-flight requests, probe delay).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    public static void AssertClean(IReadOnlyList<Outcome> outcomes, params FaultWindow[] windows)
    {
        Assert.True(outcomes.Count > 50, $"the load loop sent only {outcomes.Count} requests");
        var unexpected = outcomes.Where(o => !Allowed(o, windows)).ToList();
        Assert.True(unexpected.Count == 0,
            $"{unexpected.Count} unexpected answers of {outcomes.Count} (windows: {string.Join("; ", windows)}):\n" +
            string.Join("\n", unexpected.Take(25)));
    }

    /// <summary>Every kind of request succeeded on every instance after <paramref name="after"/>.</summary>
    public static void AssertServedAfter(IReadOnlyList<Outcome> outcomes, TimeSpan after, int instances)
    {
        foreach (var (kind, service) in new[] { ("token", "keyservice"), ("jwks", "keyservice"), ("mcp-whoami", "totservice") })
        {
            for (var instance = 0; instance < instances; instance++)
            {
                Assert.True(outcomes.Any(o => o.Kind == kind && o.Instance == instance && o.At >= after && o.Status == 200),
                    $"no successful {kind} on {service}-{instance} after {after.TotalSeconds:0.0} s");
            }
        }
    }

    private static bool Allowed(Outcome outcome, FaultWindow[] windows)
    {
        bool In(FaultWindow w) => outcome.At >= w.From - Slack && outcome.At <= w.To + Slack;
        switch (outcome.Status)
        {
            case null:
                return windows.Any(w => In(w) && w.Service == outcome.Service && w.Instance == outcome.Instance);
            case 200 or 202:
                return true;
            case 503:
                return windows.Any(w => In(w) && (w.Unavailable503 || (w.Service == outcome.Service && w.Instance == outcome.Instance)));
            case 404 when outcome.Kind == "mcp-whoami":
                return windows.Any(w => w.Service == "totservice" && w.Instance == outcome.Instance && outcome.At >= w.From);
            default:
                return false;
        }
    }
}
