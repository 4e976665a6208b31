using System.Globalization;
using System.Text.RegularExpressions;

namespace TotService.Engine.Providers.Llm;

/// <summary>Reads model replies; returns nothing (never throws) when a reply does not have the asked-for shape.</summary>
internal static partial class LlmReplyParser
{
    /// <summary>Numbered ("1. x", "2) x") or bulleted ("- x") lines; other lines (preambles) are ignored.</summary>
    public static IReadOnlyList<string> ParseSteps(string reply, int maxSteps) => reply
        .Split('\n')
        .Select(line => StepLine().Match(line))
        .Where(m => m.Success)
        .Select(m => m.Groups["step"].Value.Trim())
        .Where(step => step.Length > 0)
        .Select(step => step.Length > EngineLimits.MaxTextLength ? step[..EngineLimits.MaxTextLength] : step)
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .Take(maxSteps)
        .ToList();

    /// <summary>"Score: N" (0-10) or the last of sure / likely / impossible, as 0..1; null when neither is present.</summary>
    public static double? ParseValue(string reply)
    {
        var score = ScoreLine().Match(reply);
        if (score.Success)
        {
            var value = double.Parse(score.Groups["n"].Value, CultureInfo.InvariantCulture);
            return value is >= 0 and <= 10 ? value / 10 : null;
        }

        var verdicts = Verdict().Matches(reply);
        return verdicts.Count == 0
            ? null
            : verdicts[^1].Value.ToLowerInvariant() switch
            {
                "sure" => 1.0,
                "likely" => 0.5,
                _ => 0.0,
            };
    }

    [GeneratedRegex(@"^\s*(?:\d{1,2}\s*[.):]|[-*•])\s+(?<step>.+?)\s*$")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"score\s*[:=]?\s*(?<n>\d+(?:\.\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex ScoreLine();

    [GeneratedRegex(@"\b(sure|likely|impossible)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Verdict();
}
