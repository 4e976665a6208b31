namespace TotService.Trees;

/// <summary>
/// Client-driven trees, shared by replicas, one field per node. Writes are compare-and-set on the tree's version
/// and the owner's usage revision; every entry expires <c>Ttl</c> after its last write.
/// </summary>
public interface ITreeStore
{
    Task<StoredTree?> GetAsync(string treeId, CancellationToken cancellationToken);

    /// <summary>The owner's live trees and their bytes; trees that expired are listed for the next write to drop.</summary>
    Task<ClientTreeUsage> GetUsageAsync(string owner, CancellationToken cancellationToken);

    /// <summary>False when the tree or the owner's usage changed since they were read.</summary>
    Task<bool> TryWriteAsync(TreeWrite write, CancellationToken cancellationToken);
}
