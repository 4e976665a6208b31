using TotService.Engine.Providers;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Domains.Game24;

/// <summary>Builds the answer expression from the best node's state and checks it with <see cref="Game24Verifier"/>.</summary>
public sealed class Game24AnswerFinalizer : IAnswerFinalizer
{
    public Task<string> FinalizeAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> bestPath, CancellationToken cancellationToken)
    {
        var state = Game24State.Parse(bestPath[^1].State);
        if (state.Terms.Count == 1)
        {
            var expression = StripOuterParentheses(state.Terms[0].Expression);
            var verification = Game24Verifier.Verify(Game24Puzzle.Parse(problem.Task), expression);
            if (verification.IsValid)
            {
                return Task.FromResult(verification.Message);
            }
        }

        return Task.FromResult($"No solution found; closest state: {state.ValuesText}.");
    }

    private static string StripOuterParentheses(string expression) =>
        expression.StartsWith('(') && expression.EndsWith(')') && EnclosesAll(expression) ? expression[1..^1] : expression;

    private static bool EnclosesAll(string expression)
    {
        var depth = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            depth += expression[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0 && i < expression.Length - 1)
            {
                return false;
            }
        }

        return true;
    }
}
