using System.Text.Json;

namespace TotService.Mcp;

/// <summary>What the HTTP layer reads from one JSON-RPC message: its method and, for <c>tools/call</c>, the tool.</summary>
/// <param name="Index">Position of the message in a batch (0 for a single message).</param>
public readonly record struct JsonRpcMessageSummary(string? Method, string? ToolName, int Index);

/// <summary>
/// Reads the messages of a JSON-RPC body (one object or a batch array) with a forward-only <see cref="Utf8JsonReader"/>:
/// no document is built, only <c>method</c> and <c>params.name</c> are materialized. Reading every message to the end
/// also validates the whole body as JSON (a <see cref="JsonException"/> otherwise), like a full parse would.
/// Duplicate members resolve as System.Text.Json deserialization does (the last one wins), so the scope check sees
/// the same tool name as the MCP SDK.
/// </summary>
public ref struct JsonRpcMessageReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    private Utf8JsonReader _reader;
    private bool _started;
    private bool _batch;
    private bool _finished;
    private int _index;

    public JsonRpcMessageReader(ReadOnlySpan<byte> body) => _reader = new Utf8JsonReader(body, Options);

    /// <summary>The next message that is a JSON object; false at the end of the body.</summary>
    /// <exception cref="JsonException">The body is not valid JSON.</exception>
    public bool TryReadNext(out JsonRpcMessageSummary message)
    {
        message = default;
        if (_finished)
        {
            return false;
        }
        if (!_started)
        {
            _started = true;
            if (!_reader.Read())
            {
                throw new JsonException("The body is empty.");
            }
            _batch = _reader.TokenType == JsonTokenType.StartArray;
            if (!_batch)
            {
                return Single(out message);
            }
        }

        // Inside a batch: each element is a message; elements that are not objects are skipped (the SDK answers them).
        while (_reader.Read())
        {
            if (_reader.TokenType == JsonTokenType.EndArray && _reader.CurrentDepth == 0)
            {
                EndOfBody();
                return false;
            }
            var index = _index++;
            if (_reader.TokenType == JsonTokenType.StartObject)
            {
                message = ReadMessage(index);
                return true;
            }
            _reader.Skip();
        }
        throw new JsonException("The batch is not closed.");
    }

    private bool Single(out JsonRpcMessageSummary message)
    {
        message = default;
        var isObject = _reader.TokenType == JsonTokenType.StartObject;
        if (isObject)
        {
            message = ReadMessage(0);
        }
        else
        {
            _reader.Skip();
        }
        EndOfBody();
        return isObject;
    }

    /// <summary>Positioned on the message's StartObject; returns positioned on its EndObject.</summary>
    private JsonRpcMessageSummary ReadMessage(int index)
    {
        string? method = null;
        string? toolName = null;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            if (_reader.ValueTextEquals("method"u8))
            {
                _reader.Read();
                method = _reader.TokenType == JsonTokenType.String ? ReadString() : null;
                _reader.Skip();
            }
            else if (_reader.ValueTextEquals("params"u8))
            {
                _reader.Read();
                toolName = _reader.TokenType == JsonTokenType.StartObject ? ReadToolName() : null;
                _reader.Skip();
            }
            else
            {
                _reader.Read();
                _reader.Skip();
            }
        }
        return new JsonRpcMessageSummary(method, method == McpMethodNames.ToolsCall ? toolName : null, index);
    }

    /// <summary>
    /// The current string token. A string that is valid JSON syntax but not valid text (an escaped lone surrogate,
    /// invalid UTF-8) makes <see cref="Utf8JsonReader.GetString"/> throw <see cref="InvalidOperationException"/>; it is
    /// malformed input like any other, so it surfaces as a <see cref="JsonException"/> (a parse error, never a 500).
    /// </summary>
    private string? ReadString()
    {
        try
        {
            return _reader.GetString();
        }
        catch (InvalidOperationException ex)
        {
            throw new JsonException("A string in the body is not valid text.", ex);
        }
    }

    /// <summary>Positioned on params' StartObject; returns positioned on its EndObject.</summary>
    private string? ReadToolName()
    {
        string? name = null;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = _reader.ValueTextEquals("name"u8);
            _reader.Read();
            if (isName)
            {
                name = _reader.TokenType == JsonTokenType.String ? ReadString() : null;
            }
            _reader.Skip();
        }
        return name;
    }

    /// <summary>Nothing may follow the top-level value (Utf8JsonReader throws on trailing content).</summary>
    private void EndOfBody()
    {
        _finished = true;
        if (_reader.Read())
        {
            throw new JsonException("Unexpected content after the JSON-RPC message.");
        }
    }
}
