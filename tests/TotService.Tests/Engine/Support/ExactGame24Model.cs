using System.Collections.Concurrent;
using FakeOpenAi;

namespace TotService.Tests.Engine.Support;

/// <summary>
/// A scripted Game of 24 model for the paper's prompts that proposes every legal step in a seeded random order, values
/// states exactly (sure when 24 is still reachable, impossible otherwise), and writes a wrong answer line and a wrong
/// judgement at the end of every path. Deterministic per seed and thread-safe, since the engine values siblings concurrently.
/// </summary>
internal sealed class ExactGame24Model(int seed) : IFakeModel
{
    public const string WrongAnswerLine = "Answer: 1 + 1 = 24";

    private readonly ConcurrentDictionary<string, bool> reachable = new(StringComparer.Ordinal);

    public string? Reply(string prompt, int sample)
    {
        var lines = prompt.TrimEnd().Split('\n');
        if (lines[^1].StartsWith("Judge:", StringComparison.Ordinal))
        {
            return "impossible";
        }

        if (prompt.Contains("Possible next steps:", StringComparison.Ordinal))
        {
            var numbers = Numbers(lines.Last(l => l.StartsWith("Input:", StringComparison.Ordinal))["Input:".Length..]);
            var steps = Game24Oracle.Steps(numbers).ToArray();
            new Random(StableHash(Game24Oracle.Key(numbers))).Shuffle(steps);
            return string.Join('\n', steps.Select(s => $"{s.A} {s.Op} {s.B} = {s.Result} (left: {Game24Oracle.Key(s.Left)})"));
        }

        if (prompt.Contains("sure, likely or impossible", StringComparison.Ordinal))
        {
            return CanReach24(Numbers(lines[^1])) ? "sure" : "impossible";
        }

        return prompt.Contains("Steps:", StringComparison.Ordinal) ? WrongAnswerLine : null;
    }

    private bool CanReach24(Rational[] numbers) => reachable.GetOrAdd(Game24Oracle.Key(numbers), _ => Game24Oracle.CanReach24(numbers));

    private static Rational[] Numbers(string text) =>
        [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => Rational.TryParse(t, out var r) ? r : throw new FormatException($"'{t}' is not a number."))];

    /// <summary>FNV-1a over the seed and the text: unlike string.GetHashCode, the same in every process.</summary>
    private int StableHash(string text)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
