using Microsoft.Extensions.AI;
using TotService.Engine.Providers;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Domains.Game24.Llm;

/// <summary>
/// The paper's proposer: one propose call per expansion while numbers remain to combine, and the chain-of-thought
/// prompt to write the answer once only 24 is left. Steps and answers the exact arithmetic refutes are dropped and
/// counted as malformed; the count hint is ignored, as the paper keeps every proposal.
/// </summary>
internal sealed class Game24ModelGenerator(LlmCaller caller) : IThoughtGenerator
{
    private static ChatOptions Options() => new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 1000 };

    public string InitialState(ThoughtProblem problem) => Game24State.FromPuzzle(Game24Puzzle.Parse(problem.Task)).ToString();

    public async Task<IReadOnlyList<ThoughtCandidate>> ProposeAsync(
        ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, int count, CancellationToken cancellationToken)
    {
        var state = Game24State.Parse(path[^1].State);
        if (state.Terms.Count > 1)
        {
            var reply = await caller.AskAsync(LlmOperations.Propose, Game24Prompts.Propose(state.ValuesText), Options(), cancellationToken);
            var (steps, rejected) = Game24ReplyParser.ParseSteps(reply, state);
            caller.RecordMalformed(LlmOperations.Propose, steps.Count == 0 && rejected == 0 ? 1 : rejected);
            return steps;
        }

        // One number left: only 24 is worth an answer, anything else is a dead end without asking.
        if (state.Terms[0].Value != Game24Puzzle.Target)
        {
            return [];
        }

        var puzzle = Game24Puzzle.Parse(problem.Task);
        var answer = await caller.AskAsync(LlmOperations.Finalize,
            Game24Prompts.ChainOfThought(puzzle, path.Skip(1).Select(n => n.Thought)), Options(), cancellationToken);
        if (Game24ReplyParser.ParseAnswer(answer) is { } expression && Game24Verifier.Verify(puzzle, expression) is { IsValid: true } verified)
        {
            return [new ThoughtCandidate($"{Game24Prompts.AnswerPrefix} {verified.Message}", expression, "answer " + expression, IsFinal: true)];
        }

        caller.RecordMalformed(LlmOperations.Finalize);
        return [];
    }
}
