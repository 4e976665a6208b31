using System.Globalization;

namespace AppHost.Monitoring;

/// <summary>One sample of the Prometheus text exposition format: <c>name{label="value",...} value</c>.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// Reads the Prometheus text format (version 0.0.4, and OpenMetrics' common subset). Comments, <c># TYPE</c> and
/// <c># HELP</c> lines and timestamps are ignored; a malformed line is skipped rather than failing the scrape.
/// </summary>
public static class PrometheusTextParser
{
    public static IReadOnlyList<MetricSample> Parse(string text)
    {
        var samples = new List<MetricSample>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (TryParseLine(line, out var sample))
            {
                samples.Add(sample);
            }
        }
        return samples;
    }

    private static bool TryParseLine(string line, out MetricSample sample)
    {
        sample = null!;
        var position = 0;
        while (position < line.Length && line[position] is not ('{' or ' ' or '\t'))
        {
            position++;
        }
        var name = line[..position];
        if (name.Length == 0)
        {
            return false;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{' && !TryParseLabels(line, ref position, labels))
        {
            return false;
        }

        var rest = line[position..].Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length == 0 || !TryParseValue(rest[0], out var value))
        {
            return false;
        }
        sample = new MetricSample(name, labels, value);
        return true;
    }

    private static bool TryParseLabels(string line, ref int position, Dictionary<string, string> labels)
    {
        position++; // '{'
        while (position < line.Length)
        {
            while (position < line.Length && line[position] is ' ' or ',')
            {
                position++;
            }
            if (position < line.Length && line[position] == '}')
            {
                position++;
                return true;
            }
            var equals = line.IndexOf('=', position);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"')
            {
                return false;
            }
            var labelName = line[position..equals].Trim();
            position = equals + 2;
            var value = new System.Text.StringBuilder();
            while (position < line.Length && line[position] != '"')
            {
                if (line[position] == '\\' && position + 1 < line.Length)
                {
                    position++;
                    value.Append(line[position] switch { 'n' => '\n', var c => c });
                }
                else
                {
                    value.Append(line[position]);
                }
                position++;
            }
            if (position >= line.Length)
            {
                return false;
            }
            position++; // closing quote
            labels[labelName] = value.ToString();
        }
        return false;
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
