using System.Buffers;
using System.Text.Json.Serialization;
using System.Text.Json;
using TotService.Engine.Search;
using TotService.Engine.Sessions;
using TotService.Engine.Tree;

namespace TotService.Trees;

/// <summary>
/// The stored shape of a tree: a header and one short-keyed JSON object per node. Each text is stored once: a node's
/// state only when it differs from its thought, its state key only when it differs from the normalised state, and
/// the root's thought only when it differs from the task. Strings are UTF-8 as sent (<see cref="MinimalJsonText"/>).
/// </summary>
public static class TreeEncoding
{
    public static byte[] EncodeHeader(ThoughtTreeSessionState session, DateTimeOffset createdAt) => Write(writer =>
    {
        MinimalJsonText.WriteString(writer, "task", session.Tree.Task);
        if (session.Tree.Constraints is { } constraints)
        {
            MinimalJsonText.WriteString(writer, "constraints", constraints);
        }
        writer.WriteString("createdAt", createdAt);
        writer.WritePropertyName("settings");
        JsonSerializer.Serialize(writer, session.Settings, TreeEncodingJson.Default.SearchSettings);
    });

    public static byte[] EncodeNode(ThoughtNode node, string task) => Write(writer =>
    {
        if (node.ParentId is { } parent)
        {
            writer.WriteNumber("p", parent);
        }
        writer.WriteNumber("d", node.Depth);
        if (node.Id != 0 || node.Thought != task)
        {
            MinimalJsonText.WriteString(writer, "t", node.Thought);
        }
        if (node.State != node.Thought)
        {
            MinimalJsonText.WriteString(writer, "s", node.State);
        }
        if (node.StateKey != StateKeys.Normalize(node.State))
        {
            MinimalJsonText.WriteString(writer, "k", node.StateKey);
        }
        if (node.IsFinal)
        {
            writer.WriteBoolean("f", true);
        }
        if (node.Score is { } score)
        {
            writer.WriteNumber("v", score);
        }
        if (node.Status != NodeStatus.Open)
        {
            writer.WriteString("x", node.Status.ToString());
        }
        if (node.Rationale is { } rationale)
        {
            MinimalJsonText.WriteString(writer, "r", rationale);
        }
    });

    public static (ThoughtTreeSessionState Session, DateTimeOffset CreatedAt) Decode(StoredTree tree)
    {
        var header = JsonSerializer.Deserialize(tree.Header, TreeEncodingJson.Default.StoredHeader)
            ?? throw new JsonException($"Tree {tree.Id} has no header.");
        var nodes = new ThoughtNode[tree.Nodes.Count];
        for (var id = 0; id < nodes.Length; id++)
        {
            var node = JsonSerializer.Deserialize(tree.Nodes[id], TreeEncodingJson.Default.StoredNode)
                ?? throw new JsonException($"Tree {tree.Id} node {id} is empty.");
            var thought = node.Thought ?? (id == 0 ? header.Task : throw new JsonException($"Tree {tree.Id} node {id} has no thought."));
            var state = node.State ?? thought;
            nodes[id] = new ThoughtNode(id, node.Parent, node.Depth, thought, state, node.StateKey ?? StateKeys.Normalize(state), node.IsFinal)
            {
                Score = node.Score,
                Status = node.Status ?? NodeStatus.Open,
                Rationale = node.Rationale,
            };
        }
        var snapshot = new ThoughtTreeSnapshot(header.Task, header.Constraints, nodes);
        return (new ThoughtTreeSessionState(header.Settings, snapshot), header.CreatedAt);
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

internal sealed record StoredHeader(string Task, string? Constraints, DateTimeOffset CreatedAt, SearchSettings Settings);

internal sealed record StoredNode(
    [property: JsonPropertyName("p")] int? Parent,
    [property: JsonPropertyName("d")] int Depth,
    [property: JsonPropertyName("t")] string? Thought,
    [property: JsonPropertyName("s")] string? State,
    [property: JsonPropertyName("k")] string? StateKey,
    [property: JsonPropertyName("f")] bool IsFinal,
    [property: JsonPropertyName("v")] double? Score,
    [property: JsonPropertyName("x")] NodeStatus? Status,
    [property: JsonPropertyName("r")] string? Rationale);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredHeader))]
[JsonSerializable(typeof(StoredNode))]
internal sealed partial class TreeEncodingJson : JsonSerializerContext;
