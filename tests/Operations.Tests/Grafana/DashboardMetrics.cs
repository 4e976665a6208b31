using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Operations.Tests.Grafana;

/// <summary>One PromQL query of a dashboard: the panel (or template variable) it belongs to and its text.</summary>
public sealed record DashboardQuery(string Source, string Expression);

/// <summary>
/// Reads the PromQL a Grafana dashboard runs and the metric names it depends on, so a renamed metric can be caught
/// by comparing these names with what the services export. Operations.Tests checks them against the committed lists,
/// AppHost.Tests (which links this file) against the running services' <c>/metrics</c>.
/// </summary>
public static partial class DashboardMetrics
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2",
    };

    /// <summary>Names in the metric lists beside the dashboard are one per line; '#' starts a comment.</summary>
    public static IEnumerable<string> ReadList(string path) =>
        File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));

    /// <summary>Every metric name the dashboard at <paramref name="path"/> reads, in panels and template variables.</summary>
    public static SortedSet<string> NamesUsed(string path) =>
        new(Queries(path).SelectMany(q => MetricNames(q.Expression)), StringComparer.Ordinal);

    /// <summary>
    /// Every query: panel targets (rows' nested panels included) and query variables. A <c>label_values(selector,
    /// label)</c> variable yields its selector, the only PromQL in it.
    /// </summary>
    public static IReadOnlyList<DashboardQuery> Queries(string path)
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var queries = new List<DashboardQuery>();
        foreach (var panel in Panels(dashboard["panels"]?.AsArray()))
        {
            foreach (var target in panel["targets"]?.AsArray() ?? [])
            {
                if (target?["expr"]?.GetValue<string>() is { Length: > 0 } expr)
                {
                    queries.Add(new($"panel {panel["id"]} '{panel["title"]}' {target["refId"]}", expr));
                }
            }
        }
        foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
        {
            if (variable?["type"]?.GetValue<string>() != "query")
            {
                continue;
            }
            var query = variable["query"] is JsonObject q ? q["query"]?.GetValue<string>() : variable["query"]?.GetValue<string>();
            var selector = LabelValues().Match(query ?? "");
            queries.Add(new($"variable {variable["name"]}", selector.Success ? selector.Groups["selector"].Value : query ?? ""));
        }
        return queries;
    }

    /// <summary>The metric names in one PromQL expression: identifiers that are not functions, keywords, labels or numbers.</summary>
    public static SortedSet<string> MetricNames(string expression)
    {
        var text = StringLiteral().Replace(expression, " ");
        text = LabelMatchers().Replace(text, " ");
        text = RangeOrSubquery().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        text = GrafanaVariable().Replace(text, " ");
        return new(Identifier().Matches(text)
            .Where(m => !Keywords.Contains(m.Value) && !IsFunctionCall(text, m.Index + m.Length))
            .Select(m => m.Value), StringComparer.Ordinal);
    }

    /// <summary>
    /// <paramref name="expression"/> with Grafana's variables replaced by values Prometheus accepts: the built-in
    /// intervals by durations, others by <paramref name="variables"/>. Throws when one is left, so a typo cannot pass.
    /// </summary>
    public static string Substitute(string expression, IReadOnlyDictionary<string, string> variables)
    {
        var builtIn = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["__rate_interval"] = "5m", ["__interval"] = "1m", ["__range"] = "1h",
        };
        return GrafanaVariable().Replace(expression, m =>
        {
            var name = m.Groups["name"].Value;
            return builtIn.TryGetValue(name, out var value) || variables.TryGetValue(name, out value)
                ? value
                : throw new ArgumentException($"Unknown dashboard variable '{m.Value}' in: {expression}", nameof(expression));
        });
    }

    private static IEnumerable<JsonNode> Panels(JsonArray? panels)
    {
        foreach (var panel in panels ?? [])
        {
            if (panel is null)
            {
                continue;
            }
            yield return panel;
            foreach (var nested in Panels(panel["panels"]?.AsArray()))
            {
                yield return nested;
            }
        }
    }

    private static bool IsFunctionCall(string text, int end)
    {
        while (end < text.Length && char.IsWhiteSpace(text[end]))
        {
            end++;
        }
        return end < text.Length && text[end] == '(';
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeOrSubquery();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{(?<name>\w+)(?::\w+)?\}|\$(?<name>\w+)")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"(?<![\w.:$])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^\s*label_values\((?<selector>.*),\s*\w+\s*\)\s*$")]
    private static partial Regex LabelValues();
}
