using System.Text.Json;

namespace TotService.Mcp;

/// <summary>
/// Where one property's value lies in a request body's UTF-8 JSON (offsets into the whole body), found with a reader
/// over the bytes: nothing is allocated, where a <c>JsonNode</c> lookup builds a dictionary of every sibling first.
/// <see cref="IsRepeated"/> says the object names the property more than once (the last one is described).
/// </summary>
public readonly record struct JsonBodyProperty(JsonValueKind Kind, int Start, int Length, bool IsRepeated)
{
    /// <summary>The body itself, as the object to look into first.</summary>
    public static JsonBodyProperty Root(ReadOnlySpan<byte> body) => new(JsonValueKind.Object, 0, body.Length, false);

    /// <summary>The property <paramref name="name"/> of <paramref name="parent"/>; <see cref="JsonValueKind.Undefined"/> when the parent is not an object or lacks it.</summary>
    public static JsonBodyProperty Find(ReadOnlySpan<byte> body, JsonBodyProperty parent, string name)
    {
        if (parent.Kind != JsonValueKind.Object)
        {
            return default;
        }
        var reader = new Utf8JsonReader(body.Slice(parent.Start, parent.Length));
        JsonBodyProperty found = default;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var matches = reader.ValueTextEquals(name);
                reader.Read();
                var kind = KindOf(reader.TokenType);
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (matches)
                {
                    found = new JsonBodyProperty(kind, parent.Start + start, (int)reader.BytesConsumed - start,
                        found.Kind != JsonValueKind.Undefined || found.IsRepeated);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the message reader has refused such a body before anything looks into it.
            return default;
        }
        return found;
    }

    /// <summary>A string whose text is <paramref name="expected"/>; with null, true when there is no such string.</summary>
    public bool IsString(ReadOnlySpan<byte> body, string? expected)
    {
        if (Kind != JsonValueKind.String)
        {
            return expected is null;
        }
        if (expected is null)
        {
            return false;
        }
        var reader = new Utf8JsonReader(body.Slice(Start, Length));
        reader.Read();
        return reader.ValueTextEquals(expected);
    }

    private static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        _ => JsonValueKind.Null,
    };
}
