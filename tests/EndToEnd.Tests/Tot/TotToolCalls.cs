using System.Data;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EndToEnd.Tests.Tot;

internal static partial class TotToolCalls
{
    /// <summary>An evaluator independent of the server's: the numbers used are the puzzle's, and the value is 24.</summary>
    public static void AssertSolves24(string puzzle, string expression)
    {
        var expected = puzzle.Split(' ').Select(int.Parse).Order().ToArray();
        var left = expression.Split('=')[0].Replace("×", "*", StringComparison.Ordinal).Replace("÷", "/", StringComparison.Ordinal);
        var used = Numbers().Matches(left).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).Order().ToArray();
        Assert.Equal(expected, used);
        // Decimal literals, so DataTable divides exactly enough (integer literals would divide as integers).
        var value = Convert.ToDouble(new DataTable().Compute(Numbers().Replace(left, "$0.0"), null), CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(value - 24) < 1e-9, $"{expression} = {value}");
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Numbers();
}
