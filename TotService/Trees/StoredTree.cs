namespace TotService.Trees;

/// <summary>
/// A client-driven tree as the store holds it: an immutable header (task, constraints, settings) and one encoded
/// field per node, so an operation rewrites only the nodes it changed (<see cref="TreeEncoding"/> reads and writes them).
/// </summary>
public sealed record StoredTree(string Id, string Owner, long Version, DateTimeOffset UpdatedAt, byte[] Header, IReadOnlyList<byte[]> Nodes)
{
    /// <summary>Payload bytes: what the per-tree and per-client limits count.</summary>
    public long Bytes => Header.Length + Nodes.Sum(node => (long)node.Length);
}

/// <summary>
/// One compare-and-set write: applied only while the tree is still at <see cref="ExpectedVersion"/> (0: it must not
/// exist yet) and the owner's usage index is still at <see cref="ExpectedClientRevision"/>, so concurrent writes by
/// one client cannot together pass its limits.
/// </summary>
public sealed record TreeWrite(
    string TreeId,
    string Owner,
    long ExpectedVersion,
    long ExpectedClientRevision,
    DateTimeOffset UpdatedAt,
    byte[]? Header,
    IReadOnlyDictionary<int, byte[]> Nodes,
    long TreeBytes,
    IReadOnlyCollection<string> ExpiredTrees)
{
    public long Version => ExpectedVersion + 1;
}

/// <summary>A client's live trees with their stored bytes, and the revision a write must find unchanged.</summary>
public sealed record ClientTreeUsage(IReadOnlyDictionary<string, long> Trees, long Revision, IReadOnlyCollection<string> ExpiredTrees)
{
    public long Bytes => Trees.Values.Sum();

    /// <summary>The client's bytes if <paramref name="treeId"/> held <paramref name="treeBytes"/>.</summary>
    public long BytesWith(string treeId, long treeBytes) => Bytes - Trees.GetValueOrDefault(treeId) + treeBytes;
}
