using System.Buffers;

namespace TotService.Hardening;

/// <summary>
/// A request body read whole into a pooled array, so a middleware can inspect it and then hand the same bytes to the
/// endpoint (as <see cref="HttpRequest.Body"/>). The array goes back to the pool when the request ends.
/// </summary>
public sealed class BufferedRequestBody : IDisposable
{
    private byte[]? _array;

    private BufferedRequestBody(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    /// <summary>
    /// Reads the body (at most <paramref name="maxBytes"/>), replaces <see cref="HttpRequest.Body"/> with the buffered
    /// copy and ties the buffer's lifetime to the request. Null when the body is larger than allowed.
    /// </summary>
    public static async Task<BufferedRequestBody?> ReadAsync(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        var limit = (int)Math.Min(maxBytes, Array.MaxLength);
        var array = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 256, limit) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == array.Length)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(array);
                        return null;
                    }
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)array.Length * 2, limit + 1L));
                    array.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(array);
                    array = larger;
                }
                var read = await request.Body.ReadAsync(array.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }
                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
        if (length > limit)
        {
            ArrayPool<byte>.Shared.Return(array);
            return null;
        }

        var body = new BufferedRequestBody(array, length);
        context.Response.RegisterForDispose(body);
        request.Body = new MemoryStream(array, 0, length, writable: false);
        return body;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
