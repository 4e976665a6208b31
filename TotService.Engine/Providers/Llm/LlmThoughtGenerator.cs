using Microsoft.Extensions.AI;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Providers.Llm;

/// <summary>Asks the model for numbered candidate next steps; a reply without any counts as malformed (a dead end, not a crash).</summary>
internal sealed class LlmThoughtGenerator(LlmCaller caller) : IThoughtGenerator
{
    // A fresh instance per call: ChatOptions is mutable and middleware may change it.
    private static ChatOptions Options() => new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 1000 };

    public string InitialState(ThoughtProblem problem) => problem.Task;

    public async Task<IReadOnlyList<ThoughtCandidate>> ProposeAsync(
        ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, int count, CancellationToken cancellationToken)
    {
        var reply = await caller.AskAsync(LlmOperations.Propose, LlmPrompts.Propose(problem, path, count), Options(), cancellationToken);
        var steps = LlmReplyParser.ParseSteps(reply, count);
        if (steps.Count == 0)
        {
            caller.RecordMalformed(LlmOperations.Propose);
        }

        // For free text the state is the whole line of reasoning, so equal steps after different histories stay distinct.
        var history = string.Join('\n', path.Skip(1).Select(n => n.Thought));
        return steps
            .Select(step => new ThoughtCandidate(
                step,
                step,
                StateKeys.Normalize(history + "\n" + step),
                IsFinal: step.StartsWith(LlmPrompts.AnswerPrefix, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }
}
