using System.Buffers;

namespace TotService.Hardening;

/// <summary>Inspects a request body as one span (the bytes stay unread for the next reader).</summary>
public delegate TResult BodyInspector<in TState, out TResult>(ReadOnlySpan<byte> body, TState state);

/// <summary>How a peek at the request body ended.</summary>
public enum BodyPeekStatus
{
    /// <summary>The whole body was read and inspected.</summary>
    Inspected,

    /// <summary>The body is larger than allowed; it was not inspected.</summary>
    TooLarge,

    /// <summary>The read was cancelled before the body was complete; it was not inspected.</summary>
    Incomplete,
}

/// <summary>
/// Reads a whole request body from <see cref="HttpRequest.BodyReader"/> without consuming it, so a middleware can
/// inspect the bytes and the endpoint then reads the very same buffer: no copy of a body that arrived in one block,
/// no stream swap. Kestrel enforces the request's body size limit while the bytes arrive. The gate must run before
/// anything replaces <see cref="HttpRequest.Body"/> (a replaced stream would be drained by the peek).
/// </summary>
public static class RequestBodyPeek
{
    public static async ValueTask<(BodyPeekStatus Status, TResult? Result)> InspectAsync<TState, TResult>(
        HttpRequest request, long maxBytes, BodyInspector<TState, TResult> inspect, TState state, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (BodyPeekStatus.TooLarge, default);
            }
            if (result.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (BodyPeekStatus.Incomplete, default);
            }
            if (result.IsCompleted)
            {
                // Inspected while the buffer is still ours; then given back whole to the next reader.
                var inspected = Inspect(buffer, inspect, state);
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (BodyPeekStatus.Inspected, inspected);
            }
            // Consume nothing, examine everything: the next read waits for more bytes.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The bytes as one span, copied (into a pooled array) only when Kestrel delivered them in several blocks.</summary>
    private static TResult Inspect<TState, TResult>(in ReadOnlySequence<byte> body, BodyInspector<TState, TResult> inspect, TState state)
    {
        if (body.IsSingleSegment)
        {
            return inspect(body.FirstSpan, state);
        }
        var length = checked((int)body.Length);
        var array = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(array);
            return inspect(array.AsSpan(0, length), state);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
