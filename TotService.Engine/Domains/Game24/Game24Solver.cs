using System.Collections.Concurrent;

namespace TotService.Engine.Domains.Game24;

/// <summary>
/// Exact reachability of 24, memoised over canonical (sorted) multisets of values. Thread-safe and
/// meant to be shared (a singleton): the cache only grows with distinct multisets met.
/// </summary>
public sealed class Game24Solver
{
    private static readonly Fraction Target = Game24Puzzle.Target;
    private readonly ConcurrentDictionary<string, bool> reachable = new(StringComparer.Ordinal);

    public static string KeyOf(IEnumerable<Fraction> values) => string.Join(' ', values.Order().Select(v => v.ToString()));

    /// <summary>Every value obtainable by one operation on <paramref name="a"/> and <paramref name="b"/> (division by zero skipped).</summary>
    public static IEnumerable<(Fraction Value, string Operator, bool Swapped)> Combine(Fraction a, Fraction b)
    {
        yield return (a + b, "+", false);
        yield return (a * b, "*", false);
        yield return (a - b, "-", false);
        yield return (b - a, "-", true);
        if (!b.IsZero)
        {
            yield return (a / b, "/", false);
        }

        if (!a.IsZero)
        {
            yield return (b / a, "/", true);
        }
    }

    public bool CanReach24(IReadOnlyList<Fraction> values)
    {
        if (values.Count == 1)
        {
            return values[0] == Target;
        }

        var key = KeyOf(values);
        if (reachable.TryGetValue(key, out var known))
        {
            return known;
        }

        var result = false;
        for (var i = 0; i < values.Count && !result; i++)
        {
            for (var j = i + 1; j < values.Count && !result; j++)
            {
                var rest = values.Where((_, k) => k != i && k != j).ToList();
                foreach (var (value, _, _) in Combine(values[i], values[j]))
                {
                    if (CanReach24([.. rest, value]))
                    {
                        result = true;
                        break;
                    }
                }
            }
        }

        reachable[key] = result;
        return result;
    }
}
