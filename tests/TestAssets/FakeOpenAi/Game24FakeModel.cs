using System.Text;

namespace FakeOpenAi;

/// <summary>
/// A scripted Game of 24 model. On the puzzles it is good at (and every state reachable from them) it proposes legal
/// steps, those that keep 24 reachable first, judges states truthfully and writes correct answers. Everywhere else it
/// writes wrong arithmetic, uses numbers that are not left, judges backwards and writes wrong answers. Tree search,
/// chain of thought and input-output prompting can each be good on a different set of puzzles, and the answer line it
/// writes at the end of a search can be made wrong on puzzles whose search it does well.
/// </summary>
public sealed class Game24FakeModel : IFakeModel
{
    /// <summary>Legal steps the good model lists per propose reply by default, as the paper's prompts yield about this many.</summary>
    public const int DefaultStepsPerProposal = 8;

    private readonly int stepsPerProposal;
    private readonly HashSet<string> searchStates = new(StringComparer.Ordinal);
    private readonly HashSet<string> cotPuzzles;
    private readonly HashSet<string> ioPuzzles;
    private readonly HashSet<string> wrongSearchAnswers;

    /// <param name="wrongSearchAnswers">Puzzles whose answer line after a search's last step is wrong even where the search is good.</param>
    public Game24FakeModel(
        IEnumerable<int[]> goodForSearch, IEnumerable<int[]> goodForCot, IEnumerable<int[]> goodForIo, int stepsPerProposal = DefaultStepsPerProposal,
        IEnumerable<int[]>? wrongSearchAnswers = null)
    {
        this.stepsPerProposal = stepsPerProposal;
        foreach (var puzzle in goodForSearch)
        {
            AddReachable(puzzle.Select(n => Rational.Of(n)).ToArray());
        }

        cotPuzzles = goodForCot.Select(KeyOf).ToHashSet(StringComparer.Ordinal);
        ioPuzzles = goodForIo.Select(KeyOf).ToHashSet(StringComparer.Ordinal);
        this.wrongSearchAnswers = (wrongSearchAnswers ?? []).Select(KeyOf).ToHashSet(StringComparer.Ordinal);
    }

    public string? Reply(string prompt, int sample)
    {
        var lines = prompt.TrimEnd().Split('\n');
        if (lines[^1].StartsWith("Judge:", StringComparison.Ordinal))
        {
            return searchStates.Contains(Game24Oracle.Key(InputNumbers(lines))) ? "The answer uses each number once and equals 24.\nsure" : "impossible";
        }

        if (prompt.Contains("Possible next steps:", StringComparison.Ordinal))
        {
            var numbers = InputNumbers(lines);
            return searchStates.Contains(Game24Oracle.Key(numbers)) ? GoodSteps(numbers) : BadSteps(numbers);
        }

        if (prompt.Contains("sure, likely or impossible", StringComparison.Ordinal))
        {
            var numbers = Numbers(lines[^1]);
            return Judge(numbers, truthful: searchStates.Contains(Game24Oracle.Key(numbers)));
        }

        if (!lines.Any(l => l.StartsWith("Input:", StringComparison.Ordinal)))
        {
            return null;
        }

        var puzzle = InputNumbers(lines);
        if (prompt.Contains("Steps:", StringComparison.Ordinal))
        {
            var searchStep = !lines[^1].StartsWith("Steps:", StringComparison.Ordinal);
            var key = Game24Oracle.Key(puzzle);
            var good = searchStep ? searchStates.Contains(key) && !wrongSearchAnswers.Contains(key) : cotPuzzles.Contains(key);
            return (searchStep ? "" : "(steps omitted)\n") + Answer(puzzle, good);
        }

        return Answer(puzzle, ioPuzzles.Contains(Game24Oracle.Key(puzzle)));
    }

    private static string KeyOf(int[] puzzle) => Game24Oracle.Key(puzzle.Select(n => Rational.Of(n)));

    private void AddReachable(Rational[] numbers)
    {
        if (searchStates.Add(Game24Oracle.Key(numbers)) && numbers.Length > 1)
        {
            foreach (var step in Game24Oracle.Steps(numbers))
            {
                AddReachable(step.Left);
            }
        }
    }

    private string GoodSteps(Rational[] numbers)
    {
        var steps = Game24Oracle.Steps(numbers)
            .OrderByDescending(s => Game24Oracle.CanReach24(s.Left))
            .Take(stepsPerProposal)
            .Select(s => $"{s.A} {Symbol(s.Op)} {s.B} = {s.Result} (left: {Game24Oracle.Key(s.Left)})");
        return "Possible next steps:\n" + string.Join('\n', steps);
    }

    private static string BadSteps(Rational[] numbers)
    {
        var reply = new StringBuilder();
        if (numbers.Length >= 2)
        {
            reply.AppendLine($"{numbers[0]} + {numbers[1]} = {numbers[0] + numbers[1] + Rational.Of(1)} (left: lots)");
            reply.AppendLine($"{numbers[0]} * 100 = {numbers[0] * Rational.Of(100)} (left: some)");
        }

        var doomed = Game24Oracle.Steps(numbers).FirstOrDefault(s => !Game24Oracle.CanReach24(s.Left));
        if (doomed.Left is not null)
        {
            reply.AppendLine($"{doomed.A} {doomed.Op} {doomed.B} = {doomed.Result} (left: {Game24Oracle.Key(doomed.Left)})");
        }

        return reply.ToString();
    }

    private static string Judge(Rational[] numbers, bool truthful)
    {
        var reachable = Game24Oracle.CanReach24(numbers);
        var verdict = reachable == truthful ? "sure" : numbers.Length >= 3 ? "likely" : "impossible";
        return $"{string.Join(" + ", numbers)} = {numbers.Aggregate(Rational.Of(0), (a, b) => a + b)}\n{verdict}";
    }

    private static string Answer(Rational[] puzzle, bool good)
    {
        if (good && Game24Oracle.Solve(puzzle) is { } solution)
        {
            return $"Answer: {solution} = 24";
        }

        string[] wrong = [string.Join(" + ", puzzle), string.Join(" * ", puzzle), string.Join(" - ", puzzle)];
        var sums = new[] { puzzle.Aggregate((a, b) => a + b), puzzle.Aggregate((a, b) => a * b), puzzle.Aggregate((a, b) => a - b) };
        var index = Array.FindIndex(sums, s => s != Rational.Of(24));
        return $"Answer: {wrong[index]} = 24";
    }

    private static string Symbol(char op) => op switch
    {
        '*' => "×",
        '/' => "÷",
        _ => op.ToString(),
    };

    private static Rational[] InputNumbers(string[] lines) =>
        Numbers(lines.Last(l => l.StartsWith("Input:", StringComparison.Ordinal))["Input:".Length..]);

    private static Rational[] Numbers(string text) => text
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(t => Rational.TryParse(t, out var r) ? (Rational?)r : null)
        .Where(r => r is not null)
        .Select(r => r!.Value)
        .ToArray();
}
