using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bench.Accuracy;

/// <summary>One method on one puzzle.</summary>
public sealed record PuzzleOutcome(
    string Method,
    int Rank,
    string Puzzle,
    bool Solved,
    string? Answer,
    string Detail,
    int ModelCalls,
    int MalformedOutputs,
    long PromptTokens,
    long CompletionTokens,
    double Seconds,
    string? Error,
    IReadOnlyList<string> BestPath);

/// <summary>Totals of one method over the puzzles.</summary>
public sealed record MethodSummary(
    string Method,
    int Puzzles,
    int Solved,
    double SuccessRate,
    int ModelCalls,
    int MalformedOutputs,
    long PromptTokens,
    long CompletionTokens,
    double WallSeconds,
    int FailedRuns)
{
    public static MethodSummary From(string method, IReadOnlyList<PuzzleOutcome> outcomes, double wallSeconds) => new(
        method,
        outcomes.Count,
        outcomes.Count(o => o.Solved),
        outcomes.Count == 0 ? 0 : Math.Round((double)outcomes.Count(o => o.Solved) / outcomes.Count, 4),
        outcomes.Sum(o => o.ModelCalls),
        outcomes.Sum(o => o.MalformedOutputs),
        outcomes.Sum(o => o.PromptTokens),
        outcomes.Sum(o => o.CompletionTokens),
        Math.Round(wallSeconds, 3),
        outcomes.Count(o => o.Error is not null));
}

/// <summary>The benchmark's result: written as Markdown for people and JSON for tools.</summary>
public sealed record AccuracyReport(
    string Command,
    string Endpoint,
    string Model,
    int From,
    int To,
    int Concurrency,
    int RetriedRequests,
    IReadOnlyList<MethodSummary> Methods,
    IReadOnlyList<PuzzleOutcome> Failures)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static AccuracyReport FromJson(string json) => JsonSerializer.Deserialize<AccuracyReport>(json, Json)!;

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Game of 24 accuracy").AppendLine();
        md.AppendLine(Invariant($"Model `{Model}` at `{Endpoint}`, puzzles ranked {From}-{To}, {Concurrency} requests in flight, {RetriedRequests} retried requests."));
        md.AppendLine().AppendLine("```").AppendLine(Command).AppendLine("```").AppendLine();
        md.AppendLine("| Method | Solved | Success rate | Model calls | Malformed outputs | Prompt tokens | Completion tokens | Wall time (s) | Failed runs |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var m in Methods)
        {
            md.AppendLine(Invariant($"| {Name(m.Method)} | {m.Solved}/{m.Puzzles} | {m.SuccessRate:P1} | {m.ModelCalls} | {m.MalformedOutputs} | {m.PromptTokens} | {m.CompletionTokens} | {m.WallSeconds:0.0} | {m.FailedRuns} |"));
        }

        md.AppendLine().AppendLine("ToT is the paper's `propose1_value3_greedy5`: one propose call per kept state, three value samples per new state, the 5 best kept per step; a step that leaves only 24 is a verified answer (the model's answer line and the last-step judgement are still asked and recorded). CoT and IO are one call per puzzle. Every answer is checked by the exact verifier.");
        md.AppendLine().AppendLine(Invariant($"## Failures ({Failures.Count})")).AppendLine();
        foreach (var f in Failures)
        {
            md.AppendLine(Invariant($"- **{Name(f.Method)}**, rank {f.Rank} `{f.Puzzle}`: {f.Error ?? f.Detail}"));
            if (f.BestPath.Count > 0)
            {
                md.AppendLine("  best path: " + string.Join(" → ", f.BestPath.Select(s => $"`{s}`")));
            }
            else if (f.Answer is not null)
            {
                md.AppendLine($"  answer: `{f.Answer}`");
            }
        }

        return md.ToString();
    }

    private static string Name(string method) => method switch
    {
        AccuracyMethods.Tot => "ToT (b=5)",
        AccuracyMethods.Cot => "CoT",
        _ => "IO",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
