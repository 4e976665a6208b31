using System.Globalization;
using Microsoft.Extensions.AI;
using TotService.Engine.Providers;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Domains.Game24.Llm;

/// <summary>
/// The paper's value step: the value prompt sampled <see cref="Samples"/> times, verdicts summed (sure 20, likely 1,
/// impossible 0.001) and scaled to 0..1 by the all-sure sum. A complete answer is judged with the last-step prompt,
/// but its score is the exact verifier's: a proof outranks an opinion, and the model's verdicts stay in the rationale.
/// </summary>
internal sealed class Game24ModelEvaluator(LlmCaller caller) : IStateEvaluator
{
    public const int Samples = 3;

    private static readonly double AllSure = Game24ReplyParser.Weight("sure") * Samples;

    private static ChatOptions Options() => new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 300 };

    public async Task<StateEvaluation> EvaluateAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, CancellationToken cancellationToken)
    {
        var node = path[^1];
        if (node.IsFinal)
        {
            var puzzle = Game24Puzzle.Parse(problem.Task);
            var verification = Game24Verifier.Verify(puzzle, node.State);
            var judged = await SampleAsync(Game24Prompts.LastStepValue(puzzle, node.State), cancellationToken);
            return new StateEvaluation(verification.IsValid ? 1 : 0,
                $"{(verification.IsValid ? "verified" : verification.Message)}; model judged {string.Join(", ", judged.Select(v => v ?? "unreadable"))}");
        }

        var state = Game24State.Parse(node.State);
        if (state.Terms.Count == 1 && state.Terms[0].Value != Game24Puzzle.Target)
        {
            return new StateEvaluation(0, $"one number left and it is {state.ValuesText}, not 24");
        }

        var verdicts = await SampleAsync(Game24Prompts.Value(state.ValuesText), cancellationToken);
        var sum = verdicts.Sum(v => v is null ? 0 : Game24ReplyParser.Weight(v));
        return new StateEvaluation(sum / AllSure,
            string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", verdicts.Select(v => v ?? "unreadable"))}: {sum:0.###} of {AllSure}"));
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
