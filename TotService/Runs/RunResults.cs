using System.Text;
using TotService.Engine;
using TotService.Engine.Rendering;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Runs;

/// <summary>
/// A run's result as stored, within <see cref="RunOptions.MaxResultBytes"/>: model-written texts can be long (a
/// sampling client writes them), so when the trace is too large its texts are clipped, off the best path first.
/// </summary>
public static class RunResults
{
    private static readonly int[] ClipLengths = [1000, 200, 40];

    public static (string Json, bool Trimmed) Serialize(SearchResult result, int maxBytes)
    {
        result = result with { Answer = ClipAnswer(result.Answer) };
        var json = EngineJson.Serialize(result);
        if (Encoding.UTF8.GetByteCount(json) <= maxBytes)
        {
            return (json, false);
        }
        var bestPath = result.BestPath.Select(n => n.Id).ToHashSet();
        foreach (var offPath in ClipLengths)
        {
            foreach (var onPath in new[] { EngineLimits.MaxTextLength, offPath })
            {
                var nodes = result.Tree.Nodes.Select(n => ClipNode(n, bestPath.Contains(n.Id) ? onPath : offPath)).ToArray();
                var trimmed = result with
                {
                    Tree = result.Tree with { Nodes = nodes },
                    BestPath = [.. result.BestPath.Select(n => nodes[n.Id])],
                };
                json = EngineJson.Serialize(trimmed);
                if (Encoding.UTF8.GetByteCount(json) <= maxBytes)
                {
                    return (json, true);
                }
            }
        }
        return (json, true); // every text is clipped short: the node count alone bounds the size
    }

    /// <summary>The finalizer's answer (model-written) within the length of any other text a client may send.</summary>
    public static string? ClipAnswer(string? answer) => Clip(answer, EngineLimits.MaxTextLength);

    private static ThoughtNode ClipNode(ThoughtNode node, int length) => node with
    {
        Thought = Clip(node.Thought, length)!,
        State = Clip(node.State, length)!,
        StateKey = Clip(node.StateKey, length)!,
        Rationale = Clip(node.Rationale, length),
    };

    private static string? Clip(string? text, int length) =>
        text is null || text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");
}
