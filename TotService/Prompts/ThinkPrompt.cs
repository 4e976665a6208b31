using System.ComponentModel;
using System.Globalization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Engine;
using TotService.Identity;

namespace TotService.Prompts;

/// <summary>
/// <c>tot_think</c>: clients show prompts as slash commands, so a person can type <c>/tot_think</c>, give a problem, and
/// the client's own model is walked through the client-driven tree tools (create, propose, evaluate, select, finish).
/// It needs <c>tot:write</c>, as the tools it leads to do: a token that could not follow it never sees it.
/// </summary>
[McpServerPromptType]
public sealed class ThinkPrompt
{
    public const string Name = "tot_think";
    public const int DefaultBreadth = 3;
    public const int DefaultDepth = 3;

    [McpServerPrompt(Name = Name, Title = "Think it through as a tree of thoughts")]
    [Description("Solve a problem by Tree-of-Thoughts search with this server's tree tools: propose several next steps, " +
        "score them, expand the most promising, and answer from the best path.")]
    [RequiresScope(TotScopes.Write)]
    public static GetPromptResult Think(
        [Description("The problem to solve, at most 10000 characters.")] string problem,
        [Description("Constraints the answer must meet, if any.")] string? constraints = null,
        [Description("Thoughts proposed per step and kept per level, 1-10 (default 3).")] string? breadth = null,
        [Description("Steps the search may go deep, 1-10 (default 3).")] string? depth = null)
    {
        // Prompt arguments are text on the wire; numbers are read here so a bad one gets a message, not a binding failure.
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(problem))
        {
            errors.Add("problem must not be empty.");
        }
        errors.AddRange(new[] { (Name: "problem", Text: problem), (Name: "constraints", Text: constraints) }
            .Where(argument => argument.Text?.Length > EngineLimits.MaxTextLength)
            .Select(argument => $"{argument.Name} must be at most {EngineLimits.MaxTextLength} characters (got {argument.Text!.Length})."));
        var width = Number(errors, "breadth", breadth, DefaultBreadth, EngineLimits.MaxBreadth);
        var levels = Number(errors, "depth", depth, DefaultDepth, EngineLimits.MaxDepth);
        if (errors.Count > 0)
        {
            throw new McpProtocolException($"Invalid arguments for prompt '{Name}': {string.Join(" ", errors)}", McpErrorCode.InvalidParams);
        }
        return new GetPromptResult
        {
            Description = "Tree-of-Thoughts search, step by step, with the tot_tree_* tools.",
            Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = Text(problem!, constraints, width, levels) } }],
        };
    }

    private static string Text(string problem, string? constraints, int breadth, int depth) => string.Create(CultureInfo.InvariantCulture, $$"""
        Solve the problem below by a Tree-of-Thoughts search. You propose and judge the thoughts; this server's tot_tree_* tools keep the tree, choose which node to expand next, prune, and find the best path. Put every thought you consider into the tree, so the search can be followed afterwards.

        Problem:
        {{problem}}
        {{(string.IsNullOrWhiteSpace(constraints) ? "" : $"\nConstraints:\n{constraints}\n")}}
        1. Create the tree: call tot_tree_create with task = the problem above{{(string.IsNullOrWhiteSpace(constraints) ? "" : ", constraints = the constraints above")}}, strategy = "beam", breadth = {{breadth}}, maxDepth = {{depth}}. Keep the treeId it returns. Node 0 holds the problem.
        2. Select: call tot_tree_next with the treeId. If it lists unscoredNodeIds, score those first (step 4) and call it again. If it gives a stopReason, the search is over: go to step 6. Otherwise it names the node to expand; the path from node 0 to that node is your partial solution so far.
        3. Propose: think of {{breadth}} different, concrete next steps that each carry that partial solution one step further. Call tot_tree_add_thoughts with the treeId, parentId = that node's id, and the steps as thoughts (each short and understandable on its own).
        4. Evaluate: judge each new thought strictly: check its arithmetic and facts, then score how likely it leads to a correct, complete answer (1 = certainly, 0.5 = maybe, 0 = impossible or wrong). Call tot_tree_score with a score and a one-sentence rationale for every new node. Mark a thought that is a complete, checked answer with tot_tree_mark (mark = "solution"), and one that is clearly wrong with mark = "dead_end".
        5. Repeat from step 2. The server keeps the best {{breadth}} nodes per level and prunes the rest.
        6. Finish: call tot_tree_best_path and give the final answer built from that path, step by step, with its score. If no path ends in a solution, say so and give the best partial answer. To show the search, call tot_tree_view with format = "mermaid" (or read the resource tot://trees/<treeId>/tree.mmd).
        """);

    private static int Number(List<string> errors, string name, string? text, int fallback, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
        {
            return value;
        }
        errors.Add($"{name} must be a whole number from 1 to {max} (got '{EchoedText.Clip(text)}').");
        return fallback;
    }
}
