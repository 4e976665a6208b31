using System.Globalization;

namespace TotService.Tests.Engine.Support;

/// <summary>
/// Deliberately separate from the engine's code: double arithmetic with a tolerance, a tokenizer plus
/// operator-precedence (shunting-yard) evaluation, and a brute-force search over all operation orders.
/// </summary>
internal static class IndependentArithmetic
{
    private const double Tolerance = 1e-6;

    public static bool IsSolvable(IReadOnlyList<double> values)
    {
        if (values.Count == 1)
        {
            return Math.Abs(values[0] - 24) < Tolerance;
        }

        for (var i = 0; i < values.Count; i++)
        {
            for (var j = 0; j < values.Count; j++)
            {
                if (i == j)
                {
                    continue;
                }

                var rest = values.Where((_, k) => k != i && k != j).ToList();
                var a = values[i];
                var b = values[j];
                var results = new List<double> { a + b, a - b, a * b };
                if (Math.Abs(b) > Tolerance)
                {
                    results.Add(a / b);
                }

                if (results.Any(r => IsSolvable([.. rest, r])))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Value of an expression over + - * / ( ) and the integer literals it contains.</summary>
    public static (double Value, List<int> Literals) Evaluate(string expression)
    {
        var output = new Stack<double>();
        var operators = new Stack<char>();
        var literals = new List<int>();
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (char.IsDigit(c))
            {
                var start = i;
                while (i + 1 < expression.Length && char.IsDigit(expression[i + 1]))
                {
                    i++;
                }

                var literal = int.Parse(expression.AsSpan(start, i - start + 1), CultureInfo.InvariantCulture);
                literals.Add(literal);
                output.Push(literal);
            }
            else if (c == '(')
            {
                operators.Push(c);
            }
            else if (c == ')')
            {
                while (operators.Peek() != '(')
                {
                    Apply(output, operators.Pop());
                }

                operators.Pop();
            }
            else
            {
                while (operators.Count > 0 && operators.Peek() != '(' && Precedence(operators.Peek()) >= Precedence(c))
                {
                    Apply(output, operators.Pop());
                }

                operators.Push(c);
            }
        }

        while (operators.Count > 0)
        {
            Apply(output, operators.Pop());
        }

        return (output.Single(), literals);
    }

    public static bool IsTwentyFour(double value) => Math.Abs(value - 24) < Tolerance;

    private static int Precedence(char op) => op is '*' or '/' ? 2 : 1;

    private static void Apply(Stack<double> output, char op)
    {
        var right = output.Pop();
        var left = output.Pop();
        output.Push(op switch
        {
            '+' => left + right,
            '-' => left - right,
            '*' => left * right,
            '/' => left / right,
            _ => throw new InvalidOperationException($"Unknown operator '{op}'."),
        });
    }
}
