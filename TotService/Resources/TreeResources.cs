using System.ComponentModel;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Engine.Diagnostics;
using TotService.Identity;
using TotService.Tools;
using TotService.Trees;

namespace TotService.Resources;

/// <summary>
/// The caller's client-driven trees as resources, with the owner check of the tree tools. A tree changes with every
/// tree tool call, so it is stale at once.
/// </summary>
[McpServerResourceType]
public sealed class TreeResources(TreeCommands trees, IOptions<TreeOptions> options)
{
    public const string TreeTemplate = "tot://trees/{treeId}";
    public const string MermaidTemplate = "tot://trees/{treeId}/tree.mmd";

    [McpServerResource(UriTemplate = TreeTemplate, Name = "tot_tree", Title = "Thought tree", MimeType = ResourceResults.JsonMimeType)]
    [Description("One of your thought trees as JSON: task, constraints and nodes with scores and statuses. A large tree gives its first " +
        "page; nextFromNodeId says where tot_tree_view continues.")]
    [RequiresScope(TotScopes.Read)]
    public async Task<ReadResourceResult> Tree(
        RequestContext<ReadResourceRequestParams> context,
        [Description("The tree id returned by tot_tree_create (tree_ + 32 hex digits).")] string treeId,
        CancellationToken cancellationToken = default)
    {
        var (view, _) = await TreeQueryTools.ReadPageAsync(trees, options.Value, treeId, Caller.Owner(context), 0, cancellationToken);
        return ResourceResults.Json(context, view, TimeSpan.Zero);
    }

    [McpServerResource(UriTemplate = MermaidTemplate, Name = "tot_tree_diagram", Title = "Thought tree diagram", MimeType = ResourceResults.MermaidMimeType)]
    [Description("One of your thought trees as a Mermaid flowchart (best path green, pruned grey, dead ends red, solutions gold).")]
    [RequiresScope(TotScopes.Read)]
    public async Task<ReadResourceResult> Diagram(
        RequestContext<ReadResourceRequestParams> context,
        [Description("The tree id returned by tot_tree_create (tree_ + 32 hex digits).")] string treeId,
        CancellationToken cancellationToken = default)
    {
        var (_, mermaid) = await trees.ReadAsync(treeId, Caller.Owner(context), TreeOperationNames.Render,
            session => session.RenderMermaid(), cancellationToken);
        return ResourceResults.Text(context, mermaid, ResourceResults.MermaidMimeType, TimeSpan.Zero);
    }
}
