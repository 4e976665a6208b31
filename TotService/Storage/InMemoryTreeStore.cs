using Microsoft.Extensions.Options;
using TotService.Runs;
using TotService.Trees;

namespace TotService.Storage;

/// <summary>Trees in this process's memory (no Redis configured), with the same TTL and version rules as Redis.</summary>
public sealed class InMemoryTreeStore(IOptions<RunOptions> options, TimeProvider timeProvider) : ITreeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (TreeRecord Tree, DateTimeOffset ExpiresAt)> _trees = new(StringComparer.Ordinal);

    public Task CreateAsync(TreeRecord tree, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _trees[tree.Id] = (tree, timeProvider.GetUtcNow() + options.Value.Ttl);
        }
        return Task.CompletedTask;
    }

    public Task<TreeRecord?> GetAsync(string treeId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Live(treeId));
        }
    }

    public Task<bool> TryReplaceAsync(TreeRecord updated, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Live(updated.Id)?.Version != expectedVersion)
            {
                return Task.FromResult(false);
            }
            _trees[updated.Id] = (updated, timeProvider.GetUtcNow() + options.Value.Ttl);
            return Task.FromResult(true);
        }
    }

    private TreeRecord? Live(string treeId)
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
}
