using Microsoft.Extensions.AI;
using TotService.Engine.Diagnostics;
using TotService.Engine.Providers;
using TotService.Engine.Providers.Llm;

namespace TotService.Engine.Domains.Game24.Llm;

/// <summary>The paper's baselines: one call per puzzle with the few-shot input-output or chain-of-thought prompt, verified exactly.</summary>
public static class Game24Baselines
{
    public const string InputOutput = "io";
    public const string ChainOfThought = "cot";

    private static ChatOptions Options() => new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 1000 };

    /// <param name="method"><see cref="InputOutput"/> or <see cref="ChainOfThought"/>.</param>
    /// <returns>Never throws for model failures: they come back as an unsolved outcome with the error.</returns>
    public static async Task<Game24BaselineOutcome> RunAsync(
        IChatClient chatClient, string method, Game24Puzzle puzzle, EngineMetrics metrics, CancellationToken cancellationToken)
    {
        var prompt = method switch
        {
            InputOutput => Game24Prompts.InputOutput(puzzle),
            ChainOfThought => Game24Prompts.ChainOfThought(puzzle, []),
            _ => throw new ArgumentException($"Unknown baseline '{method}'; use {InputOutput} or {ChainOfThought}.", nameof(method)),
        };
        var usage = new ProviderUsage();
        var caller = new LlmCaller(chatClient, method, usage, metrics, maxConcurrentCalls: 1);
        try
        {
            var reply = await caller.AskAsync(LlmOperations.Finalize, prompt, Options(), cancellationToken);
            if (Game24ReplyParser.ParseAnswer(reply) is not { } expression)
            {
                caller.RecordMalformed(LlmOperations.Finalize);
                return new Game24BaselineOutcome(false, null, "The reply has no answer line.", usage.ToSnapshot());
            }

            var verification = Game24Verifier.Verify(puzzle, expression);
            return new Game24BaselineOutcome(verification.IsValid, expression, verification.Message, usage.ToSnapshot());
        }
        catch (ModelCallException ex)
        {
            return new Game24BaselineOutcome(false, null, ex.Message, usage.ToSnapshot(), Failed: true);
        }
    }
}

/// <summary>One baseline attempt: whether the answer verified, the answer, the verifier's (or the failure's) message.</summary>
public sealed record Game24BaselineOutcome(bool Solved, string? Answer, string Message, ProviderUsageSnapshot Usage, bool Failed = false);
