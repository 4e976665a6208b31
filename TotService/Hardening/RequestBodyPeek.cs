using System.Buffers;

namespace TotService.Hardening;

/// <summary>
/// Reads a whole request body from <see cref="HttpRequest.BodyReader"/> without consuming it, so a middleware can
/// inspect the bytes and the endpoint then reads the very same buffer: no copy, no pooled array, no stream swap.
/// Kestrel enforces the request's body size limit while the bytes arrive.
/// </summary>
public static class RequestBodyPeek
{
    /// <summary>
    /// The whole body, left unread for the next reader; null when it is larger than <paramref name="maxBytes"/>.
    /// The sequence is valid until the next read of the body.
    /// </summary>
    public static async ValueTask<ReadOnlySequence<byte>?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }
            // Consume nothing, examine everything: the next read waits for more bytes, or, once the body is complete,
            // returns this same buffer to whoever reads next.
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return buffer;
            }
        }
    }

    /// <summary>The bytes as one span, copying only when Kestrel delivered them in several blocks.</summary>
    public static ReadOnlySpan<byte> AsSpan(in ReadOnlySequence<byte> body) =>
        body.IsSingleSegment ? body.FirstSpan : body.ToArray();
}
