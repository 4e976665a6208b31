using System.Globalization;
using System.Text;
using TotService.Engine.Tree;

namespace TotService.Engine.Rendering;

/// <summary>
/// Renders a tree as a Mermaid flowchart (<c>graph TD</c>) that any Mermaid viewer can draw:
/// labels escaped and shortened, the best path drawn in green and thick, pruned nodes grey,
/// dead ends red, solutions gold.
/// </summary>
public static class MermaidRenderer
{
    public const int MaxLabelLength = 80;

    public static string Render(ThoughtTreeSnapshot tree)
    {
        var bestPath = ThoughtTree.FromSnapshot(tree).BestPath().Select(n => n.Id).ToHashSet();
        var text = new StringBuilder("graph TD\n");
        foreach (var node in tree.Nodes)
        {
            text.Append(CultureInfo.InvariantCulture, $"    n{node.Id}[\"{Label(node)}\"]\n");
        }

        var edgeIndex = 0;
        var bestEdges = new List<int>();
        foreach (var node in tree.Nodes.Where(n => n.ParentId is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"    n{node.ParentId} --> n{node.Id}\n");
            if (bestPath.Contains(node.Id))
            {
                bestEdges.Add(edgeIndex);
            }

            edgeIndex++;
        }

        text.Append("    classDef best fill:#d9f7d9,stroke:#2e7d32,stroke-width:3px;\n");
        text.Append("    classDef pruned fill:#eeeeee,stroke:#9e9e9e,color:#757575;\n");
        text.Append("    classDef deadEnd fill:#fde0e0,stroke:#c62828;\n");
        text.Append("    classDef solution fill:#fff3c4,stroke:#f9a825,stroke-width:3px;\n");
        AppendClass(text, "pruned", tree.Nodes.Where(n => n.Status == NodeStatus.Pruned && !bestPath.Contains(n.Id)));
        AppendClass(text, "deadEnd", tree.Nodes.Where(n => n.Status == NodeStatus.DeadEnd && !bestPath.Contains(n.Id)));
        AppendClass(text, "best", tree.Nodes.Where(n => bestPath.Contains(n.Id) && n.Status != NodeStatus.Solution));
        AppendClass(text, "solution", tree.Nodes.Where(n => n.Status == NodeStatus.Solution));
        if (bestEdges.Count > 0)
        {
            text.Append("    linkStyle ").AppendJoin(',', bestEdges).Append(" stroke:#2e7d32,stroke-width:3px;\n");
        }

        return text.ToString();
    }

    /// <summary>Makes text safe inside a quoted Mermaid label (entity codes, one line).</summary>
    public static string Escape(string text)
    {
        var oneLine = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
        var escaped = new StringBuilder(oneLine.Length);
        foreach (var c in oneLine)
        {
            escaped.Append(c switch
            {
                '#' => "#35;",
                '"' => "#quot;",
                '<' => "#lt;",
                '>' => "#gt;",
                '&' => "#amp;",
                '[' => "#91;",
                ']' => "#93;",
                '{' => "#123;",
                '}' => "#125;",
                '|' => "#124;",
                '`' => "#96;",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    private static string Label(ThoughtNode node)
    {
        var text = node.Thought.Length > MaxLabelLength ? string.Concat(node.Thought.AsSpan(0, MaxLabelLength - 1), "…") : node.Thought;
        var score = node.Score is double s ? string.Create(CultureInfo.InvariantCulture, $" ({s:0.##})") : "";
        return $"{node.Id}: {Escape(text)}{score}";
    }

    private static void AppendClass(StringBuilder text, string className, IEnumerable<ThoughtNode> nodes)
    {
        var ids = nodes.Select(n => $"n{n.Id.ToString(CultureInfo.InvariantCulture)}").ToList();
        if (ids.Count > 0)
        {
            text.Append("    class ").AppendJoin(',', ids).Append(' ').Append(className).Append(";\n");
        }
    }
}
