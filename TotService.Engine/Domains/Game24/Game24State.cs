namespace TotService.Engine.Domains.Game24;

/// <summary>
/// The numbers left on the table. Written into tree nodes as their expressions separated by ", "
/// (e.g. "(4 * 6), 8") so a state alone is enough to finish the answer; values are re-derived exactly.
/// </summary>
public sealed record Game24State(IReadOnlyList<Game24Term> Terms)
{
    private const string Separator = ", ";

    public static Game24State FromPuzzle(Game24Puzzle puzzle) =>
        new(puzzle.Numbers.Select(n => new Game24Term(n, n.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList());

    public static Game24State Parse(string text) =>
        new(text.Split(Separator).Select(e => new Game24Term(ArithmeticExpressionParser.Parse(e).Value, e)).ToList());

    public override string ToString() => string.Join(Separator, Terms.Select(t => t.Expression));

    /// <summary>The values, sorted: equal multisets reached in different ways share this key.</summary>
    public string Key => Game24Solver.KeyOf(Terms.Select(t => t.Value));

    /// <summary>
    /// Only 24 is left: every number was used once and every step was recomputed exactly, so the state is an answer.
    /// </summary>
    public bool IsGoal => Terms.Count == 1 && Terms[0].Value == Game24Puzzle.Target;

    /// <summary>
    /// The key a search merges duplicates by: states with the same numbers left have the same future, so they share
    /// <see cref="Key"/>; at the goal nothing is left to do and each expression is its own answer, so it is the key.
    /// </summary>
    public string SearchKey => IsGoal ? $"{Game24Puzzle.Target} = {Terms[0].Expression}" : Key;

    public string ValuesText => string.Join(' ', Terms.Select(t => t.Value));
}
