using System.Globalization;
using System.Text;

namespace AppHost.Hosting.Orchestration;

/// <summary>Renders resource snapshots as a fixed-width table for the console.</summary>
internal static class StatusTable
{
    private static readonly string[] Headers = ["RESOURCE", "KIND", "STATE", "HEALTH", "PID", "UPTIME", "RESTARTS", "URL", "DETAIL"];

    public static string Render(IReadOnlyList<ResourceSnapshot> snapshots, DateTimeOffset now)
    {
        var rows = snapshots.Select(s => new[]
        {
            s.InstanceName,
            s.Kind,
            s.State.ToString(),
            s.Health.ToString(),
            s.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            s.StartedAt is { } started && s.State == ResourceState.Running ? FormatUptime(now - started) : "-",
            s.Restarts.ToString(CultureInfo.InvariantCulture),
            string.Join(' ', s.Urls),
            s.Message ?? "",
        }).ToList();

        var widths = Headers.Select((header, column) => Math.Max(header.Length, rows.Select(r => r[column].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        text.AppendLine();
        AppendRow(text, Headers, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append("  ");
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(cells[i].PadRight(widths[i] + 2));
        }
        text.AppendLine();
    }

    private static string FormatUptime(TimeSpan uptime) =>
        uptime.TotalHours >= 1 ? $"{(int)uptime.TotalHours}h{uptime.Minutes:00}m" : $"{uptime.Minutes}m{uptime.Seconds:00}s";
}
