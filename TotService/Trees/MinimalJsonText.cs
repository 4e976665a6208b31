using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TotService.Trees;

/// <summary>
/// Writes JSON strings as UTF-8 escaping only what JSON requires (quote, backslash, control characters): the
/// framework's encoders escape at least characters outside the BMP (an emoji becomes 12 bytes), so stored text
/// would weigh up to three times what the client sent.
/// </summary>
internal static class MinimalJsonText
{
    public static void WriteString(Utf8JsonWriter writer, string propertyName, string value)
    {
        writer.WritePropertyName(propertyName);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        var utf8 = ArrayPool<byte>.Shared.Rent(maxBytes);
        var escaped = ArrayPool<byte>.Shared.Rent(maxBytes * 6 + 2);
        try
        {
            var length = Encoding.UTF8.GetBytes(value, utf8);
            var written = Escape(utf8.AsSpan(0, length), escaped);
            writer.WriteRawValue(escaped.AsSpan(0, written), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
            ArrayPool<byte>.Shared.Return(escaped);
        }
    }

    private static int Escape(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        var at = 0;
        destination[at++] = (byte)'"';
        foreach (var b in utf8)
        {
            switch (b)
            {
                case (byte)'"' or (byte)'\\':
                    destination[at++] = (byte)'\\';
                    destination[at++] = b;
                    break;
                case (byte)'\n':
                    destination[at++] = (byte)'\\';
                    destination[at++] = (byte)'n';
                    break;
                case < 0x20:
                    destination[at++] = (byte)'\\';
                    destination[at++] = (byte)'u';
                    destination[at++] = (byte)'0';
                    destination[at++] = (byte)'0';
                    destination[at++] = Hex(b >> 4);
                    destination[at++] = Hex(b & 0xF);
                    break;
                default:
                    destination[at++] = b;
                    break;
            }
        }
        destination[at++] = (byte)'"';
        return at;
    }

    private static byte Hex(int digit) => (byte)(digit < 10 ? '0' + digit : 'a' + digit - 10);
}
