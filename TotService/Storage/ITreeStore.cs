using TotService.Trees;

namespace TotService.Storage;

/// <summary>Client-driven trees, shared by replicas; writes are compare-and-set on <see cref="TreeRecord.Version"/>.</summary>
public interface ITreeStore
{
    Task CreateAsync(TreeRecord tree, CancellationToken cancellationToken);

    Task<TreeRecord?> GetAsync(string treeId, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="updated"/> only if the stored version is still <paramref name="expectedVersion"/>.</summary>
    Task<bool> TryReplaceAsync(TreeRecord updated, long expectedVersion, CancellationToken cancellationToken);
}
