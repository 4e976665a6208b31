using System.Text;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using TotService.Engine.Diagnostics;
using TotService.Engine.Search;
using TotService.Engine.Sessions;
using TotService.Engine.Tree;
using TotService.Runs;

namespace TotService.Trees;

/// <summary>
/// Loads a client-driven tree for its owner, applies one <see cref="ThoughtTreeSession"/> operation and writes back
/// only the nodes it changed, within the <see cref="TreeOptions"/> limits, with compare-and-set (retried on a
/// concurrent write) so replicas can share trees safely.
/// </summary>
public sealed class TreeCommands(
    ITreeStore store,
    EngineMetrics metrics,
    TreeUsageMetrics usageMetrics,
    IOptions<RunOptions> runOptions,
    IOptions<TreeOptions> treeOptions,
    TimeProvider timeProvider)
{
    private const int MaxAttempts = 5;

    private TreeOptions Limits => treeOptions.Value;

    public async Task<TreeRecord> CreateAsync(string owner, ThoughtProblem problem, SearchSettings settings, CancellationToken cancellationToken)
    {
        var session = Guard(() => ThoughtTreeSession.Create(problem, settings));
        var state = session.ToState();
        CheckText(problem.Task, "The task");
        CheckText(problem.Constraints, "The constraints");
        var now = timeProvider.GetUtcNow();
        var id = TreeIds.New();
        var header = TreeEncoding.EncodeHeader(state, now);
        var root = TreeEncoding.EncodeNode(state.Tree.Nodes[0], problem.Task);
        var bytes = header.Length + root.Length;
        CheckTreeBytes(bytes, 0);

        return await WithRetries(id, async () =>
        {
            var usage = await store.GetUsageAsync(owner, cancellationToken);
            if (usage.Trees.Count >= Limits.MaxTreesPerClient)
            {
                throw Refuse(nameof(TreeOptions.MaxTreesPerClient),
                    $"You already keep {usage.Trees.Count} trees; the limit is {Limits.MaxTreesPerClient} trees per client ({Setting(nameof(TreeOptions.MaxTreesPerClient))}). Trees expire {runOptions.Value.Ttl.TotalHours:0.#} h after their last change.");
            }
            CheckClientBytes(usage, id, bytes, 0);
            var write = new TreeWrite(id, owner, 0, usage.Revision, now, header, new Dictionary<int, byte[]> { [0] = root }, bytes, usage.ExpiredTrees);
            if (!await store.TryWriteAsync(write, cancellationToken))
            {
                return (false, default(TreeRecord)!);
            }
            Written(write, usage, bytes);
            metrics.TreeOperation(TreeOperationNames.Create, settings.Strategy);
            return (true, new TreeRecord(id, owner, write.Version, now, now, bytes, state));
        });
    }

    /// <summary>Applies <paramref name="apply"/> and saves what it changed; refusals become tool errors that say why.</summary>
    public async Task<(TreeRecord Tree, T Outcome)> UpdateAsync<T>(
        string treeId, string owner, string operation, Func<ThoughtTreeSession, T> apply, CancellationToken cancellationToken) =>
        await WithRetries<(TreeRecord, T)>(treeId, async () =>
        {
            var (stored, tree, session) = await LoadAsync(treeId, owner, cancellationToken);
            var before = tree.Session.Tree.Nodes;
            var outcome = Guard(() => apply(session));
            var state = session.ToState();
            var changed = ChangedNodes(before, state.Tree.Nodes).ToDictionary(
                node => node.Id, node => Encode(node, state.Tree.Task));
            if (changed.Count == 0)
            {
                metrics.TreeOperation(operation, session.Settings.Strategy);
                return (true, (tree, outcome));
            }

            var bytes = stored.Bytes + changed.Sum(n => n.Value.Length - (n.Key < stored.Nodes.Count ? stored.Nodes[n.Key].Length : 0L));
            CheckTreeBytes(bytes, stored.Bytes);
            var usage = await store.GetUsageAsync(owner, cancellationToken);
            CheckClientBytes(usage, treeId, bytes, stored.Bytes);
            var now = timeProvider.GetUtcNow();
            var write = new TreeWrite(treeId, owner, stored.Version, usage.Revision, now, null, changed, bytes, usage.ExpiredTrees);
            if (!await store.TryWriteAsync(write, cancellationToken))
            {
                return (false, default);
            }
            Written(write, usage, bytes);
            metrics.TreeOperation(operation, session.Settings.Strategy);
            return (true, (tree with { Version = write.Version, UpdatedAt = now, StoredBytes = bytes, Session = state }, outcome));
        });

    /// <summary>Reads the tree and computes <paramref name="read"/> without saving.</summary>
    public async Task<(TreeRecord Tree, T Outcome)> ReadAsync<T>(
        string treeId, string owner, string operation, Func<ThoughtTreeSession, T> read, CancellationToken cancellationToken)
    {
        var (_, tree, session) = await LoadAsync(treeId, owner, cancellationToken);
        var outcome = Guard(() => read(session));
        metrics.TreeOperation(operation, session.Settings.Strategy);
        return (tree, outcome);
    }

    /// <summary>Runs <paramref name="attempt"/> again while its compare-and-set write loses to a concurrent one.</summary>
    private static async Task<T> WithRetries<T>(string treeId, Func<Task<(bool Written, T Value)>> attempt)
    {
        for (var i = 1; i <= MaxAttempts; i++)
        {
            var (written, value) = await attempt();
            if (written)
            {
                return value;
            }
        }
        throw new McpException($"Tree '{RunIds.Display(treeId)}' is being changed by other requests at the same time; try again.");
    }

    private async Task<(StoredTree Stored, TreeRecord Tree, ThoughtTreeSession Session)> LoadAsync(string treeId, string owner, CancellationToken cancellationToken)
    {
        var stored = TreeIds.IsWellFormed(treeId) ? await store.GetAsync(treeId, cancellationToken) : null;
        if (stored is null || stored.Owner != owner)
        {
            throw new McpException(
                $"Tree '{RunIds.Display(treeId)}' was not found. Trees are visible only to the client that created them and are kept for {runOptions.Value.Ttl.TotalHours:0.#} h after their last change.");
        }
        var (state, createdAt) = TreeEncoding.Decode(stored);
        var tree = new TreeRecord(stored.Id, stored.Owner, stored.Version, createdAt, stored.UpdatedAt, stored.Bytes, state);
        return (stored, tree, ThoughtTreeSession.Restore(state));
    }

    private static IEnumerable<ThoughtNode> ChangedNodes(IReadOnlyList<ThoughtNode> before, IReadOnlyList<ThoughtNode> after) =>
        after.Where(node => node.Id >= before.Count || !before[node.Id].Equals(node));

    private byte[] Encode(ThoughtNode node, string task)
    {
        CheckText(node.Thought, $"The thought of node {node.Id}");
        if (!ReferenceEquals(node.State, node.Thought))
        {
            CheckText(node.State, $"The state of node {node.Id}");
        }
        CheckText(node.Rationale, $"The rationale of node {node.Id}");
        return TreeEncoding.EncodeNode(node, task);
    }

    private void CheckText(string? text, string what)
    {
        if (text is null || text.Length <= Limits.MaxThoughtBytes / 3)
        {
            return; // no UTF-16 unit needs more than 3 UTF-8 bytes
        }
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > Limits.MaxThoughtBytes)
        {
            throw Refuse(nameof(TreeOptions.MaxThoughtBytes),
                $"{what} is {bytes} bytes (UTF-8); the limit is {Limits.MaxThoughtBytes} bytes per thought ({Setting(nameof(TreeOptions.MaxThoughtBytes))}).");
        }
    }

    private void CheckTreeBytes(long bytes, long before)
    {
        if (bytes > Limits.MaxTreeBytes && bytes > before)
        {
            throw Refuse(nameof(TreeOptions.MaxTreeBytes),
                $"The tree would hold {bytes} bytes; the limit is {Limits.MaxTreeBytes} bytes per tree ({Setting(nameof(TreeOptions.MaxTreeBytes))}). Continue in a new tree or keep thoughts shorter.");
        }
    }

    private void CheckClientBytes(ClientTreeUsage usage, string treeId, long treeBytes, long before)
    {
        var total = usage.BytesWith(treeId, treeBytes);
        if (total > Limits.MaxStoredBytesPerClient && treeBytes > before)
        {
            throw Refuse(nameof(TreeOptions.MaxStoredBytesPerClient),
                $"Your trees would hold {total} bytes in all; the limit is {Limits.MaxStoredBytesPerClient} stored bytes per client ({Setting(nameof(TreeOptions.MaxStoredBytesPerClient))}). Trees expire {runOptions.Value.Ttl.TotalHours:0.#} h after their last change.");
        }
    }

    private void Written(TreeWrite write, ClientTreeUsage before, long treeBytes) => usageMetrics.Written(
        write.Nodes.Values.Sum(n => (long)n.Length) + (write.Header?.Length ?? 0),
        before.BytesWith(write.TreeId, treeBytes),
        before.Trees.Count + (before.Trees.ContainsKey(write.TreeId) ? 0 : 1));

    private McpException Refuse(string limit, string message)
    {
        usageMetrics.Refused(limit);
        return new McpException("Refused: " + message);
    }

    private static string Setting(string name) => TreeOptions.SectionName + ":" + name;

    private static T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (TreeOperationException ex)
        {
            throw new McpException(ex.Message);
        }
    }
}
