using System.Text;

namespace AppHost.Hosting.Orchestration;

/// <summary>
/// The AppHost's console: every resource's output prefixed with its name, and a status table (name, kind, state,
/// health, PID, URLs) reprinted whenever a resource changes state or health.
/// </summary>
internal sealed class ConsoleReporter : IAsyncDisposable
{
    private static readonly ConsoleColor[] Palette =
        [ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Magenta, ConsoleColor.Yellow, ConsoleColor.Blue, ConsoleColor.DarkCyan];

    private readonly DistributedApplication _app;
    private readonly object _console = new();
    private readonly Dictionary<string, ConsoleColor> _colors = new(StringComparer.Ordinal);
    private readonly PeriodicTimer _timer = new(TimeSpan.FromMilliseconds(400));
    private readonly Task _loop;
    private int _dirty;
    private int _prefixWidth = 12;

    public ConsoleReporter(DistributedApplication app)
    {
        _app = app;
        app.ResourceLogs.LineWritten += OnLine;
        app.ResourceNotifications.Changed += OnChanged;
        _loop = PrintStatusWhenChangedAsync();
    }

    public void WriteLine(string text)
    {
        lock (_console)
        {
            Console.WriteLine(text);
        }
    }

    public void WriteBanner(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        text.AppendLine().AppendLine("All resources are healthy.");
        foreach (var line in lines)
        {
            text.AppendLine("  " + line);
        }
        WriteLine(text.ToString());
    }

    private void OnChanged(ResourceSnapshot snapshot)
    {
        // Kept here, not per log line: instance names only change with resource state.
        Volatile.Write(ref _prefixWidth, Math.Max(Volatile.Read(ref _prefixWidth), snapshot.InstanceName.Length));
        Interlocked.Exchange(ref _dirty, 1);
    }

    private void OnLine(LogLine line)
    {
        var width = Volatile.Read(ref _prefixWidth);
        lock (_console)
        {
            if (!_colors.TryGetValue(line.Instance, out var color))
            {
                color = _colors[line.Instance] = Palette[_colors.Count % Palette.Length];
            }
            Console.ForegroundColor = color;
            Console.Write(line.Instance.PadRight(width));
            Console.Write(" | ");
            Console.ResetColor();
            Console.WriteLine(line.Text);
        }
    }

    private async Task PrintStatusWhenChangedAsync()
    {
        while (await _timer.WaitForNextTickAsync())
        {
            if (Interlocked.Exchange(ref _dirty, 0) == 1)
            {
                WriteLine(StatusTable.Render(_app.ResourceNotifications.Snapshots, TimeProvider.System.GetUtcNow()));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _app.ResourceLogs.LineWritten -= OnLine;
        _app.ResourceNotifications.Changed -= OnChanged;
        _timer.Dispose();
        await _loop;
    }
}
