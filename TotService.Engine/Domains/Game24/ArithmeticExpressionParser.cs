using System.Globalization;

namespace TotService.Engine.Domains.Game24;

/// <summary>
/// Recursive-descent parser for + - * / and parentheses over non-negative integer literals, evaluated
/// exactly. Also accepts × and ÷. No unary minus: Game of 24 allows binary operations only.
/// </summary>
public sealed class ArithmeticExpressionParser
{
    private readonly string text;
    private readonly List<long> numbers = [];
    private int position;

    private ArithmeticExpressionParser(string text) => this.text = text;

    /// <exception cref="FormatException">The text is not a well-formed expression, or divides by zero.</exception>
    public static ParsedExpression Parse(string text)
    {
        var parser = new ArithmeticExpressionParser(text);
        var value = parser.ParseSum();
        parser.SkipSpaces();
        if (parser.position < text.Length)
        {
            throw parser.Error($"unexpected '{text[parser.position]}'");
        }

        return new ParsedExpression(value, parser.numbers);
    }

    private Fraction ParseSum()
    {
        var value = ParseProduct();
        while (TryConsumeOperator("+-") is var op and not '\0')
        {
            var right = ParseProduct();
            value = op == '+' ? value + right : value - right;
        }

        return value;
    }

    private Fraction ParseProduct()
    {
        var value = ParseOperand();
        while (TryConsumeOperator("*×/÷") is var op and not '\0')
        {
            var right = ParseOperand();
            if (op == '/' && right.IsZero)
            {
                throw Error("division by zero");
            }

            value = op == '*' ? value * right : value / right;
        }

        return value;
    }

    private Fraction ParseOperand()
    {
        SkipSpaces();
        if (TryConsumeOperator("(") != '\0')
        {
            var inner = ParseSum();
            if (TryConsumeOperator(")") == '\0')
            {
                throw Error("missing ')'");
            }

            return inner;
        }

        var start = position;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            position++;
        }

        if (start == position)
        {
            throw Error(position < text.Length ? $"expected a number, found '{text[position]}'" : "expected a number, found the end");
        }

        if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw Error("number too large");
        }

        numbers.Add(number);
        return number;
    }

    /// <summary>Consumes the next character if it is one of <paramref name="accepted"/>; returns it in ASCII form, or '\0'.</summary>
    private char TryConsumeOperator(string accepted)
    {
        SkipSpaces();
        if (position < text.Length && accepted.Contains(text[position], StringComparison.Ordinal))
        {
            return text[position++] switch
            {
                '×' => '*',
                '÷' => '/',
                var c => c,
            };
        }

        return '\0';
    }

    private void SkipSpaces()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private FormatException Error(string problem) =>
        new($"Invalid expression at position {position + 1}: {problem}.");
}
