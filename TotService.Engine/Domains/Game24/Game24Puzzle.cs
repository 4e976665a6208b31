using System.Globalization;

namespace TotService.Engine.Domains.Game24;

/// <summary>A Game of 24 puzzle: reach 24 using each number exactly once with + - * /.</summary>
public sealed record Game24Puzzle(IReadOnlyList<int> Numbers)
{
    public const int Target = 24;
    public const int MinCount = 2;
    public const int MaxCount = 6;
    public const int MaxNumber = 1000;

    public const string Format = "2 to 6 whole numbers from 0 to 1000 separated by spaces or commas, e.g. \"4 9 10 13\"";

    public static bool TryParse(string text, out Game24Puzzle puzzle, out string error)
    {
        puzzle = new Game24Puzzle([]);
        var parts = text.Split([' ', ',', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var numbers = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > MaxNumber)
            {
                error = $"A Game of 24 task must be {Format}; '{EchoedText.Clip(part)}' is not allowed.";
                return false;
            }

            numbers.Add(n);
        }

        if (numbers.Count is < MinCount or > MaxCount)
        {
            error = $"A Game of 24 task must be {Format} (got {numbers.Count} numbers).";
            return false;
        }

        puzzle = new Game24Puzzle(numbers);
        error = "";
        return true;
    }

    public static Game24Puzzle Parse(string text) =>
        TryParse(text, out var puzzle, out var error) ? puzzle : throw new FormatException(error);

    public override string ToString() => string.Join(' ', Numbers);
}
