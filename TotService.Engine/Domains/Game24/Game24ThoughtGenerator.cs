using TotService.Engine.Providers;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Domains.Game24;

/// <summary>
/// Proposes every legal step: one of + - * / on two of the remaining numbers, exact arithmetic,
/// duplicates (same remaining multiset; at the goal, the same expression) dropped. The count hint is ignored: the evaluator is exact,
/// so pruning by the search beats guessing which steps to leave out.
/// </summary>
public sealed class Game24ThoughtGenerator : IThoughtGenerator
{
    public string InitialState(ThoughtProblem problem) => Game24State.FromPuzzle(Game24Puzzle.Parse(problem.Task)).ToString();

    public Task<IReadOnlyList<ThoughtCandidate>> ProposeAsync(
        ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var terms = Game24State.Parse(path[^1].State).Terms;
        var candidates = new List<ThoughtCandidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < terms.Count; i++)
        {
            for (var j = i + 1; j < terms.Count; j++)
            {
                var rest = terms.Where((_, k) => k != i && k != j).ToList();
                foreach (var (value, op, swapped) in Game24Solver.Combine(terms[i].Value, terms[j].Value))
                {
                    var (left, right) = swapped ? (terms[j], terms[i]) : (terms[i], terms[j]);
                    var next = new Game24State([.. rest, new Game24Term(value, $"({left.Expression} {op} {right.Expression})")]);
                    if (seen.Add(next.SearchKey))
                    {
                        var thought = $"{left.Value} {op} {right.Value} = {value} (left: {next.ValuesText})";
                        candidates.Add(new ThoughtCandidate(thought, next.ToString(), next.SearchKey, IsFinal: next.Terms.Count == 1));
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlyList<ThoughtCandidate>>(candidates);
    }
}
