using FakeOpenAi;

namespace Bench.Accuracy;

/// <summary>Serves the scripted Game of 24 model on loopback for <c>--fake-model</c>, good on the ranks the options name.</summary>
public static class FakeModelMode
{
    public static Task<FakeOpenAiServer> StartAsync(AccuracyOptions options, CancellationToken cancellationToken)
    {
        var all = PuzzleFile.Load(1, int.MaxValue);
        int[][] Ranks((int From, int To)? range) => range is not { } r
            ? []
            : [.. all.Where(p => p.Rank >= r.From && p.Rank <= r.To).Select(p => p.Puzzle.Split(' ').Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToArray())];
        var model = new Game24FakeModel(Ranks(options.FakeGood), Ranks(options.FakeCotGood), Ranks(options.FakeIoGood),
            wrongSearchAnswers: Ranks(options.FakeAnswerBad));
        return FakeOpenAiServer.StartAsync(new FakeScript { Model = model }, cancellationToken);
    }
}
