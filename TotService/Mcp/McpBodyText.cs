using System.Buffers;
using System.Text.Json;

namespace TotService.Mcp;

/// <summary>
/// One pass over a JSON-RPC body before anything binds it: every string (names included) must be text that .NET can
/// hold, and the size of <c>params._meta</c> is measured. A lone UTF-16 surrogate (<c>"\ud800"</c>) is valid JSON
/// syntax but not text; left in, it makes whichever reader meets it first throw deep inside the SDK or a tool's
/// binding (a 500, or an internal error with a stack in the log). Refused here, it is one 400 in the server's words.
/// </summary>
public static class McpBodyText
{
    /// <summary>What the pass found: <see cref="MetaBytes"/> is 0 when there is no <c>params._meta</c>.</summary>
    public readonly record struct Facts(bool IsValidText, int MetaBytes);

    public static Facts Inspect(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        var metaStart = -1;
        var metaDepth = -1;
        var metaBytes = 0;
        var inParams = false;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (!IsText(ref reader))
                        {
                            return new Facts(false, metaBytes);
                        }
                        if (reader.CurrentDepth == 1)
                        {
                            inParams = reader.ValueTextEquals("params"u8);
                        }
                        else if (inParams && reader.CurrentDepth == 2 && metaStart < 0 && reader.ValueTextEquals("_meta"u8))
                        {
                            reader.Read();
                            metaStart = (int)reader.TokenStartIndex;
                            metaDepth = reader.CurrentDepth;
                            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                            {
                                metaBytes = (int)reader.BytesConsumed - metaStart;
                            }
                            if (reader.TokenType == JsonTokenType.String && !IsText(ref reader))
                            {
                                return new Facts(false, metaBytes);
                            }
                        }
                        break;
                    case JsonTokenType.String when !IsText(ref reader):
                        return new Facts(false, metaBytes);
                    case JsonTokenType.EndObject or JsonTokenType.EndArray when reader.CurrentDepth == metaDepth && metaBytes == 0:
                        metaBytes = (int)reader.BytesConsumed - metaStart;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the message reader refuses it with a parse error; nothing more to learn here.
        }
        return new Facts(true, metaBytes);
    }

    /// <summary>Plain ASCII without escapes is text by construction; anything else is decoded once to find out.</summary>
    private static bool IsText(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped && raw.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0)
        {
            return true;
        }
        var buffer = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            reader.CopyString(buffer);
            return true;
        }
        catch (InvalidOperationException)
        {
            // Unpaired surrogate escape or bytes that are not UTF-8.
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
