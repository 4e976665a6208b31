namespace TotService.Storage;

/// <summary>Every Redis key and channel TotService uses; all start with <c>tot:</c>.</summary>
public static class StorageKeys
{
    public const string Prefix = "tot:";

    /// <summary>Pub/sub channel carrying the ids of runs whose owner asked to cancel them.</summary>
    public const string CancelChannel = "tot:cancel";

    /// <summary>String: the <see cref="Runs.RunRecord"/> as JSON.</summary>
    public static string Run(string runId) => $"tot:run:{runId}";

    /// <summary>String: the engine's <c>SearchResult</c> as JSON (tree included).</summary>
    public static string RunResult(string runId) => $"tot:run:{runId}:result";

    /// <summary>String with a PX expiry: the executing replica's id, renewed by its heartbeat.</summary>
    public static string RunLease(string runId) => $"tot:run:{runId}:lease";

    /// <summary>String: what a run on the client's model has been told so far (<see cref="Runs.ModelTranscript"/>).</summary>
    public static string RunTranscript(string runId) => $"tot:run:{runId}:transcript";

    /// <summary>String: present once the owner asked to cancel the run.</summary>
    public static string RunCancel(string runId) => $"tot:run:{runId}:cancel";

    /// <summary>Sorted set: the owner's run ids scored by creation time (Unix ms).</summary>
    public static string OwnerRuns(string owner) => $"tot:runs:{owner}";

    /// <summary>Hash: the owner's result usage <c>revision</c>, and per run id its stored result bytes and expiry (<c>bytes:unixMs</c>).</summary>
    public static string OwnerRunUsage(string owner) => $"tot:run-usage:{owner}";

    /// <summary>Hash: <c>owner</c>, <c>version</c>, <c>updated</c>, <c>header</c> and one field per node id of a client-driven tree.</summary>
    public static string Tree(string treeId) => $"tot:tree:{treeId}";

    /// <summary>Hash: the owner's usage <c>revision</c>, and per tree id its stored bytes and expiry (<c>bytes:unixMs</c>).</summary>
    public static string OwnerTrees(string owner) => $"tot:trees:{owner}";
}
