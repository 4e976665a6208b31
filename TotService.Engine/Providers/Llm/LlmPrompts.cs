using System.Text;
using Microsoft.Extensions.AI;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Providers.Llm;

/// <summary>
/// The prompts, in the shape of the Tree-of-Thoughts paper's propose and value prompts, each asking for a
/// reply format <see cref="LlmReplyParser"/> can read.
/// </summary>
internal static class LlmPrompts
{
    public const string AnswerPrefix = "Answer:";

    private const string System =
        "You are a careful problem solver taking part in a Tree-of-Thoughts search. Follow the requested reply format exactly and write nothing else.";

    public static IReadOnlyList<ChatMessage> Propose(ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, int count) =>
    [
        new(ChatRole.System, System),
        new(ChatRole.User, Describe(problem, path) +
            $"Propose {count} different possible next steps. Write each on its own line as \"<number>. <step>\". " +
            $"If a step completes the task, write it as \"<number>. {AnswerPrefix} <final answer>\"."),
    ];

    public static IReadOnlyList<ChatMessage> Evaluate(ThoughtProblem problem, IReadOnlyList<ThoughtNode> path) =>
    [
        new(ChatRole.System, System),
        new(ChatRole.User, Describe(problem, path) +
            "Judge whether the steps so far are correct and can lead to a correct answer (if the last step is an answer, whether it is correct). " +
            "Reply with exactly one line: \"Verdict: sure\", \"Verdict: likely\" or \"Verdict: impossible\", or \"Score: N\" with N from 0 to 10."),
    ];

    public static IReadOnlyList<ChatMessage> Finalize(ThoughtProblem problem, IReadOnlyList<ThoughtNode> path) =>
    [
        new(ChatRole.System, System),
        new(ChatRole.User, Describe(problem, path) + "Write the final answer to the task based on these steps. Reply with the answer only."),
    ];

    private static string Describe(ThoughtProblem problem, IReadOnlyList<ThoughtNode> path)
    {
        var text = new StringBuilder().Append("Task: ").AppendLine(problem.Task);
        if (!string.IsNullOrWhiteSpace(problem.Constraints))
        {
            text.Append("Constraints: ").AppendLine(problem.Constraints);
        }

        text.AppendLine("Steps so far:");
        var steps = path.Skip(1).ToList();
        if (steps.Count == 0)
        {
            text.AppendLine("(none yet)");
        }

        for (var i = 0; i < steps.Count; i++)
        {
            text.Append(i + 1).Append(". ").AppendLine(steps[i].Thought);
        }

        return text.AppendLine().ToString();
    }
}
