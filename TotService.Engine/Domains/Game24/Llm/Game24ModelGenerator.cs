using Microsoft.Extensions.AI;
using TotService.Engine.Providers;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Domains.Game24.Llm;

/// <summary>
/// The paper's proposer: one propose call per expansion. Steps the exact arithmetic refutes are dropped and counted as
/// malformed; a step that leaves one number ends its path (final), and <see cref="Game24ModelEvaluator"/> asks for the
/// answer line there. The count hint is ignored, as the paper keeps every proposal.
/// </summary>
internal sealed class Game24ModelGenerator(LlmCaller caller) : IThoughtGenerator
{
    private static ChatOptions Options() => new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 1000 };

    public string InitialState(ThoughtProblem problem) => Game24State.FromPuzzle(Game24Puzzle.Parse(problem.Task)).ToString();

    public async Task<IReadOnlyList<ThoughtCandidate>> ProposeAsync(
        ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, int count, CancellationToken cancellationToken)
    {
        var state = Game24State.Parse(path[^1].State);
        if (state.Terms.Count == 1)
        {
            // Nothing left to combine (only a client-driven tree can ask this: the search never expands a final state).
            return [];
        }

        var reply = await caller.AskAsync(LlmOperations.Propose, Game24Prompts.Propose(state.ValuesText), Options(), cancellationToken);
        var (steps, rejected) = Game24ReplyParser.ParseSteps(reply, state);
        caller.RecordMalformed(LlmOperations.Propose, steps.Count == 0 && rejected == 0 ? 1 : rejected);
        return steps;
    }
}
