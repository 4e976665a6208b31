namespace FakeOpenAi;

/// <summary>Brute-force Game of 24 for the fake model: legal steps, reachability and one solution expression.</summary>
public static class Game24Oracle
{
    private static readonly Rational Target = Rational.Of(24);

    /// <summary>Every distinct step on two of <paramref name="numbers"/>: the written step and the numbers left after it.</summary>
    public static IEnumerable<(Rational A, char Op, Rational B, Rational Result, Rational[] Left)> Steps(IReadOnlyList<Rational> numbers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, j, op) in Moves(numbers))
        {
            if (op is '+' or '*' && i > j)
            {
                continue;
            }

            var result = Apply(numbers[i], op, numbers[j]);
            Rational[] left = [.. numbers.Where((_, k) => k != i && k != j), result];
            if (seen.Add(Key(left)))
            {
                yield return (numbers[i], op, numbers[j], result, left);
            }
        }
    }

    public static bool CanReach24(IReadOnlyList<Rational> numbers) =>
        numbers.Count == 1 ? numbers[0] == Target : Steps(numbers).Any(s => CanReach24(s.Left));

    /// <summary>An expression over the numbers equal to 24, or null.</summary>
    public static string? Solve(IReadOnlyList<Rational> numbers) => Solve(numbers.Select(n => (n, n.ToString())).ToList());

    public static Rational Apply(Rational a, char op, Rational b) => op switch
    {
        '+' => a + b,
        '-' => a - b,
        '*' => a * b,
        _ => a / b,
    };

    /// <summary>Sorted values: equal multisets share it.</summary>
    public static string Key(IEnumerable<Rational> numbers) =>
        string.Join(' ', numbers.OrderBy(n => (double)n.Numerator / n.Denominator).Select(n => n.ToString()));

    private static string? Solve(List<(Rational Value, string Expression)> terms)
    {
        if (terms.Count == 1)
        {
            return terms[0].Value == Target ? terms[0].Expression : null;
        }

        foreach (var (i, j, op) in Moves(terms.Select(t => t.Value).ToList()))
        {
            var combined = (Apply(terms[i].Value, op, terms[j].Value), $"({terms[i].Expression} {op} {terms[j].Expression})");
            if (Solve([.. terms.Where((_, k) => k != i && k != j), combined]) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Every operator on every ordered pair of distinct positions, divisions by zero left out.</summary>
    private static IEnumerable<(int I, int J, char Op)> Moves(IReadOnlyList<Rational> numbers) =>
        from i in Enumerable.Range(0, numbers.Count)
        from j in Enumerable.Range(0, numbers.Count)
        where i != j
        from op in "+-*/"
        where op != '/' || !numbers[j].IsZero
        select (i, j, op);
}
