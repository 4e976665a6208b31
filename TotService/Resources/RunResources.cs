using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Engine.Rendering;
using TotService.Identity;
using TotService.Runs;
using TotService.Tools;

namespace TotService.Resources;

/// <summary>
/// The caller's runs as resources, for clients that attach context by URI: the same owner check as the run tools
/// (another client's run reads as not found). A finished run never changes again, so a client may keep it
/// <see cref="FinishedTimeToLive"/>; a live one is stale at once.
/// </summary>
[McpServerResourceType]
public sealed class RunResources(RunQueries queries, RunResultReader results)
{
    public const string RunTemplate = "tot://runs/{runId}";
    public const string TreeTemplate = "tot://runs/{runId}/tree.mmd";

    /// <summary>Runs are kept a day; after an hour a client asks again, and learns if the run has expired meanwhile.</summary>
    public static readonly TimeSpan FinishedTimeToLive = TimeSpan.FromHours(1);

    [McpServerResource(UriTemplate = RunTemplate, Name = "tot_run", Title = "Run", MimeType = ResourceResults.JsonMimeType)]
    [Description("One of your runs as JSON: state and progress, and once it has finished, its answer, best path and search counters.")]
    [RequiresScope(TotScopes.Read)]
    public async Task<ReadResourceResult> Run(
        RequestContext<ReadResourceRequestParams> context,
        [Description(RunArgumentDescriptions.RunId)] string runId,
        CancellationToken cancellationToken = default)
    {
        var run = await queries.GetOwnedAsync(runId, Caller.Owner(context), cancellationToken);
        var result = await results.FindAsync(run, cancellationToken);
        var view = new RunResourceView(RunStatusView.From(run), result is null ? null : RunResultView.From(run, result));
        return ResourceResults.Json(context, view, run.State.IsLive() ? TimeSpan.Zero : FinishedTimeToLive);
    }

    [McpServerResource(UriTemplate = TreeTemplate, Name = "tot_run_tree", Title = "Run thought tree", MimeType = ResourceResults.MermaidMimeType)]
    [Description("The thought tree of one of your finished runs as a Mermaid flowchart (best path green, pruned grey, dead ends red, solutions gold).")]
    [RequiresScope(TotScopes.Read)]
    public async Task<ReadResourceResult> Tree(
        RequestContext<ReadResourceRequestParams> context,
        [Description(RunArgumentDescriptions.RunId)] string runId,
        CancellationToken cancellationToken = default)
    {
        var (_, result) = await results.ReadAsync(runId, Caller.Owner(context), cancellationToken);
        return ResourceResults.Text(context, MermaidRenderer.Render(result.Tree), ResourceResults.MermaidMimeType, FinishedTimeToLive);
    }

    [Description("A run: its status, and its result once it has one.")]
    public sealed record RunResourceView(
        [property: Description("State and progress.")] RunStatusView Run,
        [property: Description("Answer, best path and counters; null while the run is live or when it ended before its search started.")] RunResultView? Result);
}
