using System.Globalization;

namespace Bench.Accuracy;

/// <summary>The command line of the accuracy benchmark; <see cref="Parse"/> refuses anything it does not know.</summary>
public sealed record AccuracyOptions
{
    public const string Usage = """
        dotnet run --project bench/Bench.Accuracy -- [options]
          --endpoint URL        OpenAI-compatible base URL, e.g. https://api.openai.com/v1 (or --fake-model)
          --model NAME          model name sent to the endpoint
          --api-key-env NAME    environment variable holding the API key (none: no key)
          --from N --to N       puzzle ranks in data/game24.csv (default 901-1000, the paper's)
          --methods LIST        any of tot,cot,io (default all three)
          --concurrency N       model requests in flight at once (default 4)
          --retries N           retries of a failed or timed-out request, doubling from 1 s (default 3)
          --timeout S           seconds one request may take (default 120)
          --time-budget S       seconds one ToT search may take (default 600)
          --out PREFIX          writes PREFIX.md and PREFIX.json (default bench/Bench.Accuracy/results/accuracy)
          --fake-model          serve the in-repo scripted fake model on loopback instead of --endpoint:
          --fake-good RANKS     ranks it is good at in tree search, e.g. 901-906 (default none)
          --fake-cot-good RANKS ranks it answers right with chain of thought
          --fake-io-good RANKS  ranks it answers right with input-output prompting
          --fake-answer-bad RANKS ranks where its answer line at the end of a search is wrong, good search or not
        """;

    public string? Endpoint { get; init; }

    public string Model { get; init; } = "";

    public string? ApiKeyEnvironmentVariable { get; init; }

    public int From { get; init; } = 901;

    public int To { get; init; } = 1000;

    public IReadOnlyList<string> Methods { get; init; } = [AccuracyMethods.Tot, AccuracyMethods.Cot, AccuracyMethods.Io];

    public int Concurrency { get; init; } = 4;

    public int Retries { get; init; } = 3;

    public double TimeoutSeconds { get; init; } = 120;

    public double TimeBudgetSeconds { get; init; } = 600;

    public string Out { get; init; } = "bench/Bench.Accuracy/results/accuracy";

    public bool FakeModel { get; init; }

    public (int From, int To)? FakeGood { get; init; }

    public (int From, int To)? FakeCotGood { get; init; }

    public (int From, int To)? FakeIoGood { get; init; }

    public (int From, int To)? FakeAnswerBad { get; init; }

    /// <summary>The arguments as given, for the report.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <exception cref="ArgumentException">An unknown option, a missing value, or a value out of range; the message says which.</exception>
    public static AccuracyOptions Parse(IReadOnlyList<string> args)
    {
        var options = new AccuracyOptions { Arguments = [.. args] };
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--endpoint" => options with { Endpoint = Value() },
                "--model" => options with { Model = Value() },
                "--api-key-env" => options with { ApiKeyEnvironmentVariable = Value() },
                "--api-key" => throw new ArgumentException(
                    "--api-key takes no key on the command line (any local user can read a process's arguments): export the key and name its variable, --api-key-env OPENAI_API_KEY."),
                "--from" => options with { From = Int(Value(), "--from", 1, 100_000) },
                "--to" => options with { To = Int(Value(), "--to", 1, 100_000) },
                "--methods" => options with { Methods = ParseMethods(Value()) },
                "--concurrency" => options with { Concurrency = Int(Value(), "--concurrency", 1, 64) },
                "--retries" => options with { Retries = Int(Value(), "--retries", 0, 10) },
                "--timeout" => options with { TimeoutSeconds = Int(Value(), "--timeout", 1, 3600) },
                "--time-budget" => options with { TimeBudgetSeconds = Int(Value(), "--time-budget", 1, 600) },
                "--out" => options with { Out = Value() },
                "--fake-model" => options with { FakeModel = true },
                "--fake-good" => options with { FakeGood = Range(Value(), "--fake-good") },
                "--fake-cot-good" => options with { FakeCotGood = Range(Value(), "--fake-cot-good") },
                "--fake-io-good" => options with { FakeIoGood = Range(Value(), "--fake-io-good") },
                "--fake-answer-bad" => options with { FakeAnswerBad = Range(Value(), "--fake-answer-bad") },
                var other => throw new ArgumentException($"Unknown option '{other}'."),
            };
        }

        if (options.ApiKeyEnvironmentVariable is { } keyVariable && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(keyVariable)))
        {
            throw new ArgumentException($"--api-key-env names {keyVariable}, which is not set in this environment.");
        }

        if (options.From > options.To)
        {
            throw new ArgumentException($"--from ({options.From}) must not be after --to ({options.To}).");
        }

        if (!options.FakeModel && (string.IsNullOrWhiteSpace(options.Endpoint) || string.IsNullOrWhiteSpace(options.Model)))
        {
            throw new ArgumentException("Give --endpoint and --model, or --fake-model.");
        }

        return options.FakeModel && options.Model.Length == 0 ? options with { Model = "fake-game24" } : options;
    }

    private static int Int(string text, string name, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max} (got '{text}').");

    private static (int, int) Range(string text, string name)
    {
        var parts = text.Split('-');
        return parts.Length is 1 or 2
            ? (Int(parts[0], name, 1, 100_000), Int(parts[^1], name, 1, 100_000))
            : throw new ArgumentException($"{name} must be a rank or a range such as 901-906 (got '{text}').");
    }

    private static string[] ParseMethods(string text)
    {
        var methods = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m.ToLowerInvariant()).ToArray();
        return methods.Length > 0 && methods.All(AccuracyMethods.All.Contains)
            ? methods
            : throw new ArgumentException($"--methods must list some of {string.Join(",", AccuracyMethods.All)} (got '{text}').");
    }
}

/// <summary>The compared methods, as the paper names them.</summary>
public static class AccuracyMethods
{
    public const string Tot = "tot";
    public const string Cot = "cot";
    public const string Io = "io";

    public static IReadOnlyList<string> All { get; } = [Tot, Cot, Io];
}
