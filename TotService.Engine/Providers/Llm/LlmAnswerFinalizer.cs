using Microsoft.Extensions.AI;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Providers.Llm;

/// <summary>
/// Uses the best node's own answer when it gave one; otherwise asks the model to write the answer from the
/// path. After a cancellation or an exhausted budget it answers from the path without a model call.
/// </summary>
internal sealed class LlmAnswerFinalizer(LlmCaller caller) : IAnswerFinalizer
{
    // A fresh instance per call: ChatOptions is mutable and middleware may change it.
    private static ChatOptions Options() => new ChatOptions { Temperature = 0f, MaxOutputTokens = 1000 };

    public async Task<string> FinalizeAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> bestPath, CancellationToken cancellationToken)
    {
        var last = bestPath[^1].Thought;
        if (last.StartsWith(LlmPrompts.AnswerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return last[LlmPrompts.AnswerPrefix.Length..].Trim();
        }

        var fromPath = string.Join("\n", bestPath.Skip(1).Select(n => n.Thought));
        if (cancellationToken.IsCancellationRequested)
        {
            return fromPath;
        }

        var reply = (await caller.AskAsync(LlmOperations.Finalize, LlmPrompts.Finalize(problem, bestPath), Options(), cancellationToken)).Trim();
        if (reply.Length == 0)
        {
            caller.RecordMalformed(LlmOperations.Finalize);
            return fromPath;
        }

        return reply.Length > EngineLimits.MaxTextLength ? reply[..EngineLimits.MaxTextLength] : reply;
    }
}
