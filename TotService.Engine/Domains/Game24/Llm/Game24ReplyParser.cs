using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using TotService.Engine.Providers;

namespace TotService.Engine.Domains.Game24.Llm;

/// <summary>
/// Reads Game of 24 replies leniently (decimals, fractions such as 2/3, unicode operators, list markers and chatter
/// around the step) but trusts nothing: every step is recomputed with exact fractions on the numbers actually left.
/// </summary>
internal static partial class Game24ReplyParser
{
    /// <summary>The paper's weights for summing sampled verdicts.</summary>
    public static double Weight(string verdict) => verdict switch
    {
        "sure" => 20,
        "likely" => 1,
        _ => 0.001,
    };

    /// <summary>
    /// The legal steps in a propose reply as candidates after <paramref name="state"/>; <c>Rejected</c> counts lines
    /// shaped like a step whose arithmetic is wrong or whose operands are not among the numbers left.
    /// </summary>
    public static (IReadOnlyList<ThoughtCandidate> Steps, int Rejected) ParseSteps(string reply, Game24State state)
    {
        var steps = new List<ThoughtCandidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rejected = 0;
        foreach (var line in reply.Split('\n'))
        {
            var match = Step().Match(Normalize(line));
            if (!match.Success)
            {
                continue;
            }

            if (TryApply(state, match) is not { } candidate)
            {
                rejected++;
            }
            else if (seen.Add(candidate.StateKey!))
            {
                steps.Add(candidate);
            }
        }

        return (steps, rejected);
    }

    /// <summary>The last sure / likely / impossible in the reply (lower case), or null.</summary>
    public static string? ParseVerdict(string reply)
    {
        var verdicts = Verdict().Matches(reply);
        return verdicts.Count == 0 ? null : verdicts[^1].Value.ToLowerInvariant();
    }

    /// <summary>The expression of the last <c>Answer:</c> line (left of any '='), operators in ASCII, or null.</summary>
    public static string? ParseAnswer(string reply)
    {
        var answer = reply.Split('\n')
            .Select(line => line.Trim().TrimStart('*', '#', ' '))
            .LastOrDefault(line => line.StartsWith(Game24Prompts.AnswerPrefix, StringComparison.OrdinalIgnoreCase));
        if (answer is null)
        {
            return null;
        }

        var expression = Normalize(answer[Game24Prompts.AnswerPrefix.Length..]).Split('=')[0].Trim().Trim('*', '.').Trim();
        return expression.Length == 0 ? null : expression;
    }

    /// <summary>Unicode and letter operators in ASCII, so the exact parser can read them.</summary>
    public static string Normalize(string text)
    {
        var ascii = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            ascii.Append(c switch
            {
                '×' or '✕' or '∗' or '·' or '⋅' => '*',
                '÷' or '∕' => '/',
                '−' or '–' or '—' => '-',
                _ => c,
            });
        }

        return LetterTimes().Replace(ascii.ToString(), "$1 * $2");
    }

    private static ThoughtCandidate? TryApply(Game24State state, Match match)
    {
        if (!TryNumber(match.Groups["a"].Value, out var a) || !TryNumber(match.Groups["b"].Value, out var b)
            || !TryNumber(match.Groups["c"].Value, out var claimed))
        {
            return null;
        }

        var terms = state.Terms.ToList();
        var left = Take(terms, a);
        var right = left is null ? null : Take(terms, b);
        if (left is null || right is null)
        {
            return null;
        }

        var op = match.Groups["op"].Value;
        if (op == "/" && right.Value.IsZero)
        {
            return null;
        }

        var value = op switch
        {
            "+" => left.Value + right.Value,
            "-" => left.Value - right.Value,
            "*" => left.Value * right.Value,
            _ => left.Value / right.Value,
        };
        if (!Matches(claimed, value))
        {
            return null;
        }

        var next = new Game24State([.. terms, new Game24Term(value, $"({left.Expression} {op} {right.Expression})")]);
        var thought = $"{left.Value} {op} {right.Value} = {value} (left: {next.ValuesText})";
        // A step that leaves one number ends the path: with 24 it is a verified answer, with anything else a dead end.
        return new ThoughtCandidate(thought, next.ToString(), next.SearchKey, IsFinal: next.Terms.Count == 1);
    }

    /// <summary>Removes and returns the first term the written number stands for.</summary>
    private static Game24Term? Take(List<Game24Term> terms, Written number)
    {
        var index = terms.FindIndex(t => Matches(number, t.Value));
        if (index < 0)
        {
            return null;
        }

        var term = terms[index];
        terms.RemoveAt(index);
        return term;
    }

    /// <summary>Exact for whole numbers and fractions; a decimal must be the value rounded to the digits written (8/3 as 2.67).</summary>
    private static bool Matches(Written number, Fraction value)
    {
        if (number.Digits == 0)
        {
            return number.Value == value;
        }

        var difference = number.Value - value;
        var scale = BigInteger.Pow(10, number.Digits);
        return BigInteger.Abs(difference.Numerator) * scale * 2 <= difference.Denominator;
    }

    private static bool TryNumber(string text, out Written number)
    {
        number = default;
        text = text.Trim('(', ')', ' ');
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            if (long.TryParse(text[..slash], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                && long.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d != 0)
            {
                number = new Written(Fraction.Of(n, d), 0);
                return true;
            }

            return false;
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? 0 : text.Length - point - 1;
        if (digits > 9 || !BigInteger.TryParse(text.Replace(".", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var scaled))
        {
            return false;
        }

        number = new Written(Fraction.Of(scaled, BigInteger.Pow(10, digits)), digits);
        return true;
    }

    /// <summary>A number as the model wrote it, with the decimal digits it showed.</summary>
    private readonly record struct Written(Fraction Value, int Digits);

    private const string Number = @"\(?-?\d+(?:\.\d+)?(?:/\d+)?\)?";

    [GeneratedRegex(@"(?<a>" + Number + @")\s*(?<op>[-+*/])\s*(?<b>" + Number + @")\s*=\s*(?<c>" + Number + ")")]
    private static partial Regex Step();

    [GeneratedRegex(@"\b(sure|likely|impossible)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Verdict();

    [GeneratedRegex(@"(\d|\))\s*[xX]\s*(\d|\()")]
    private static partial Regex LetterTimes();
}
