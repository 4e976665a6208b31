using System.Globalization;
using Microsoft.Extensions.AI;
using TotService.Engine.Providers;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Domains.Game24.Llm;

/// <summary>
/// The paper's value step: the value prompt sampled <see cref="Samples"/> times, verdicts summed (sure 20, likely 1,
/// impossible 0.001) and scaled to 0..1 by the all-sure sum. A path that leaves only 24 is a solution on the exact
/// arithmetic alone (every step on it was recomputed on the numbers actually left): it scores 1 with its own expression,
/// and the method's last step (the chain-of-thought answer line, then the last-step judge on that line) is still asked
/// and recorded in the rationale, where a wrong answer line is counted as malformed but cannot undo the solution.
/// </summary>
internal sealed class Game24ModelEvaluator(LlmCaller caller) : IStateEvaluator
{
    public const int Samples = 3;

    private static readonly double AllSure = Game24ReplyParser.Weight("sure") * Samples;

    private static ChatOptions Options() => new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 300 };

    private static ChatOptions AnswerOptions() => new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 1000 };

    public async Task<StateEvaluation> EvaluateAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, CancellationToken cancellationToken)
    {
        var state = Game24State.Parse(path[^1].State);
        if (state.Terms.Count == 1)
        {
            return state.IsGoal
                ? await AnswerAsync(Game24Puzzle.Parse(problem.Task), path, state, cancellationToken)
                : new StateEvaluation(0, $"one number left and it is {state.ValuesText}, not 24");
        }

        var verdicts = await SampleAsync(Game24Prompts.Value(state.ValuesText), cancellationToken);
        var sum = verdicts.Sum(v => v is null ? 0 : Game24ReplyParser.Weight(v));
        return new StateEvaluation(sum / AllSure,
            string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", verdicts.Select(v => v ?? "unreadable"))}: {sum:0.###} of {AllSure}"));
    }

    private async Task<StateEvaluation> AnswerAsync(Game24Puzzle puzzle, IReadOnlyList<ThoughtNode> path, Game24State goal, CancellationToken cancellationToken)
    {
        var verification = Game24Verifier.Verify(puzzle, goal.Terms[0].Expression);
        var reply = await caller.AskAsync(LlmOperations.Finalize,
            Game24Prompts.ChainOfThought(puzzle, path.Skip(1).Select(n => n.Thought)), AnswerOptions(), cancellationToken);
        var line = Game24ReplyParser.ParseAnswer(reply);
        var lineCheck = line is null ? null : Game24Verifier.Verify(puzzle, line);
        if (lineCheck is not { IsValid: true })
        {
            caller.RecordMalformed(LlmOperations.Finalize);
        }

        var judged = await SampleAsync(Game24Prompts.LastStepValue(puzzle, line ?? goal.Terms[0].Expression), cancellationToken);
        var lineText = line is null ? "the model wrote no answer line" : $"the model's answer line {line} {(lineCheck!.IsValid ? "verifies" : "does not verify: " + lineCheck.Message)}";
        return new StateEvaluation(verification.IsValid ? 1 : 0,
            $"{(verification.IsValid ? "verified: " : "")}{verification.Message}; {lineText}; model judged {string.Join(", ", judged.Select(v => v ?? "unreadable"))}");
    }

    /// <summary>Asks <see cref="Samples"/> times in parallel; an unreadable verdict is null, counts as malformed and adds nothing.</summary>
    private async Task<string?[]> SampleAsync(IReadOnlyList<ChatMessage> prompt, CancellationToken cancellationToken)
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, Samples)
            .Select(_ => caller.AskAsync(LlmOperations.Evaluate, prompt, Options(), cancellationToken)));
        var verdicts = replies.Select(Game24ReplyParser.ParseVerdict).ToArray();
        caller.RecordMalformed(LlmOperations.Evaluate, verdicts.Count(v => v is null));
        return verdicts;
    }
}
