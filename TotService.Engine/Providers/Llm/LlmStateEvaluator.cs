using Microsoft.Extensions.AI;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Providers.Llm;

/// <summary>Asks the model for a verdict (sure / likely / impossible) or a 0-10 score.</summary>
internal sealed class LlmStateEvaluator(LlmCaller caller) : IStateEvaluator
{
    /// <summary>A reply without a readable verdict neither promotes nor condemns the state.</summary>
    public const double MalformedScore = 0.5;

    // A fresh instance per call: ChatOptions is mutable and middleware may change it.
    private static ChatOptions Options() => new ChatOptions { Temperature = 0f, MaxOutputTokens = 200 };

    public async Task<StateEvaluation> EvaluateAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, CancellationToken cancellationToken)
    {
        var reply = await caller.AskAsync(LlmOperations.Evaluate, LlmPrompts.Evaluate(problem, path), Options(), cancellationToken);
        if (LlmReplyParser.ParseValue(reply) is double score)
        {
            return new StateEvaluation(score, Shorten(reply));
        }

        caller.RecordMalformed(LlmOperations.Evaluate);
        return new StateEvaluation(MalformedScore, "The model's verdict could not be read.");
    }

    private static string Shorten(string reply) => reply.Trim() is { Length: > 200 } text ? text[..200] : reply.Trim();
}
