using Microsoft.Extensions.Options;
using TotService.Runs;
using TotService.Trees;

namespace TotService.Storage;

/// <summary>Trees in this process's memory (no Redis configured), with the same TTL and compare-and-set rules as Redis.</summary>
public sealed class InMemoryTreeStore(IOptions<RunOptions> options, TimeProvider timeProvider) : ITreeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (StoredTree Tree, DateTimeOffset ExpiresAt)> _trees = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OwnerIndex> _owners = new(StringComparer.Ordinal);

    public Task<StoredTree?> GetAsync(string treeId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Live(treeId));
        }
    }

    public Task<ClientTreeUsage> GetUsageAsync(string owner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_owners.TryGetValue(owner, out var index))
            {
                return Task.FromResult(new ClientTreeUsage(new Dictionary<string, long>(), 0, []));
            }
            var now = timeProvider.GetUtcNow();
            var live = index.Trees.Where(t => t.Value.ExpiresAt > now).ToDictionary(t => t.Key, t => t.Value.Bytes, StringComparer.Ordinal);
            var expired = index.Trees.Keys.Where(id => !live.ContainsKey(id)).ToList();
            return Task.FromResult(new ClientTreeUsage(live, index.Revision, expired));
        }
    }

    public Task<bool> TryWriteAsync(TreeWrite write, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = Live(write.TreeId);
            var index = _owners.GetValueOrDefault(write.Owner) ?? new OwnerIndex();
            if ((current?.Version ?? 0) != write.ExpectedVersion || index.Revision != write.ExpectedClientRevision
                || (current is null && write.Header is null))
            {
                return Task.FromResult(false);
            }

            var nodes = current?.Nodes.ToList() ?? [];
            foreach (var (id, node) in write.Nodes.OrderBy(n => n.Key))
            {
                if (id < nodes.Count)
                {
                    nodes[id] = node;
                }
                else
                {
                    nodes.Add(node);
                }
            }
            var expiresAt = timeProvider.GetUtcNow() + options.Value.Ttl;
            var tree = new StoredTree(write.TreeId, write.Owner, write.Version, write.UpdatedAt, current?.Header ?? write.Header!, nodes);
            _trees[write.TreeId] = (tree, expiresAt);

            foreach (var expired in write.ExpiredTrees)
            {
                index.Trees.Remove(expired);
            }
            index.Trees[write.TreeId] = (write.TreeBytes, expiresAt);
            index.Revision++;
            _owners[write.Owner] = index;
            return Task.FromResult(true);
        }
    }

    private StoredTree? Live(string treeId)
    {
        if (!_trees.TryGetValue(treeId, out var entry))
        {
            return null;
        }
        if (entry.ExpiresAt > timeProvider.GetUtcNow())
        {
            return entry.Tree;
        }
        _trees.Remove(treeId);
        return null;
    }

    private sealed class OwnerIndex
    {
        public long Revision { get; set; }

        public Dictionary<string, (long Bytes, DateTimeOffset ExpiresAt)> Trees { get; } = new(StringComparer.Ordinal);
    }
}
