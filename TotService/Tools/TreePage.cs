using System.Text.Json;
using ModelContextProtocol;
using TotService.Engine.Rendering;
using TotService.Engine.Tree;

namespace TotService.Tools;

/// <summary>A run of consecutive nodes of a tree that fits a byte budget as JSON (always at least one node).</summary>
internal sealed record TreePage(ThoughtTreeSnapshot Tree, int NodeCount, int? NextFromNodeId)
{
    public static TreePage Cut(ThoughtTreeSnapshot tree, int fromNodeId, int maxBytes)
    {
        if (fromNodeId < 0 || fromNodeId >= tree.Nodes.Count)
        {
            throw new McpException($"Invalid arguments: fromNodeId must be between 0 and {tree.Nodes.Count - 1} (got {fromNodeId}).");
        }
        long bytes = JsonSerializer.SerializeToUtf8Bytes(tree with { Nodes = [] }, EngineJsonContext.Default.ThoughtTreeSnapshot).Length;
        var end = fromNodeId;
        while (end < tree.Nodes.Count)
        {
            bytes += JsonSerializer.SerializeToUtf8Bytes(tree.Nodes[end], EngineJsonContext.Default.ThoughtNode).Length + 1;
            if (bytes > maxBytes && end > fromNodeId)
            {
                break;
            }
            end++;
        }
        var nodes = tree.Nodes.Skip(fromNodeId).Take(end - fromNodeId).ToArray();
        return new TreePage(tree with { Nodes = nodes }, tree.Nodes.Count, end < tree.Nodes.Count ? end : null);
    }
}
