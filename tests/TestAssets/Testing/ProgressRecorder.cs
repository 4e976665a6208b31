using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Testing;

/// <summary>
/// Records every progress notification of a session. Passed as a call's <see cref="IProgress{T}"/> so the SDK sends a
/// progress token, but it listens with a session-wide handler: the SDK's per-call handler is removed when the response
/// arrives, and the last notification (sent just before the response) can be dispatched after that and be dropped.
/// </summary>
public sealed class ProgressRecorder : IProgress<ProgressNotificationValue>, IAsyncDisposable
{
    private readonly List<ProgressNotificationValue> _values = [];
    private readonly IAsyncDisposable _registration;

    public ProgressRecorder(McpClient client) =>
        _registration = client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            var parameters = notification.Params.Deserialize<ProgressNotificationParams>(McpJsonUtilities.DefaultOptions);
            if (parameters is not null)
            {
                lock (_values)
                {
                    _values.Add(parameters.Progress);
                }
            }
            return ValueTask.CompletedTask;
        });

    public IReadOnlyList<ProgressNotificationValue> Values
    {
        get
        {
            lock (_values)
            {
                return [.. _values];
            }
        }
    }

    /// <summary>Ignored: the session-wide handler records every notification, including those this one would miss.</summary>
    public void Report(ProgressNotificationValue value)
    {
    }

    /// <summary>Waits (bounded) until a notification whose message starts with <paramref name="prefix"/> has arrived.</summary>
    public Task<IReadOnlyList<ProgressNotificationValue>> WaitForMessageAsync(string prefix, TimeSpan timeout) =>
        Eventually.UntilAsync(
            _ => Task.FromResult(Values),
            values => values.Any(v => v.Message?.StartsWith(prefix, StringComparison.Ordinal) == true),
            timeout,
            $"a progress notification whose message starts with '{prefix}'",
            values => $"[{string.Join(" | ", values.Select(v => v.Message))}]",
            TimeSpan.FromMilliseconds(20));

    public ValueTask DisposeAsync() => _registration.DisposeAsync();
}
