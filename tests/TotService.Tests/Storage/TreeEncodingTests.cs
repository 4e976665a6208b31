using System.Text;
using TotService.Engine.Search;
using TotService.Engine.Sessions;
using TotService.Trees;

namespace TotService.Tests.Storage;

/// <summary>The stored shape of a node: each text once, UTF-8 as sent, escaping only what JSON requires.</summary>
public sealed class TreeEncodingTests
{
    [Theory]
    [InlineData("<b>é中😀 & 'quotes'</b>", 0)]
    [InlineData("line\nbreak \"quoted\" back\\slash \u0001 tab\t", 14)]
    public void A_node_stores_its_thought_once_and_unescaped_and_reads_back_equal(string thought, int escapeBytes)
    {
        var session = ThoughtTreeSession.Create(new ThoughtProblem("task"), new SearchSettings());
        var node = session.AddThoughts(0, [thought])[0];
        session.Score(node.Id, 0.25, thought);

        var encoded = TreeEncoding.EncodeNode(session.GetNode(node.Id), "task");
        var text = Encoding.UTF8.GetString(encoded);

        Assert.DoesNotContain("\"s\":", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"k\":", text, StringComparison.Ordinal);
        // The thought and the rationale, each as many bytes as sent plus only the escapes JSON requires, and 30-odd bytes of keys.
        Assert.InRange(encoded.Length, 2 * (Encoding.UTF8.GetByteCount(thought) + escapeBytes), 2 * (Encoding.UTF8.GetByteCount(thought) + escapeBytes) + 40);
        var state = session.ToState();
        var stored = new StoredTree("tree", "owner", 1, DateTimeOffset.UtcNow, TreeEncoding.EncodeHeader(state, DateTimeOffset.UnixEpoch),
            [TreeEncoding.EncodeNode(state.Tree.Nodes[0], "task"), encoded]);
        var (decoded, createdAt) = TreeEncoding.Decode(stored);
        Assert.Equal(state.Tree.Nodes, decoded.Tree.Nodes);
        Assert.Equal(state.Settings, decoded.Settings);
        Assert.Equal(DateTimeOffset.UnixEpoch, createdAt);
    }

    [Fact]
    public void A_state_or_key_that_differs_from_the_thought_is_kept()
    {
        var node = new TotService.Engine.Tree.ThoughtNode(1, 0, 1, "4 + 9 = 13", "10 13 13", "10,13,13", IsFinal: true);

        var text = Encoding.UTF8.GetString(TreeEncoding.EncodeNode(node, "4 9 10 13"));

        Assert.Contains("\"s\":\"10 13 13\"", text, StringComparison.Ordinal);
        Assert.Contains("\"k\":\"10,13,13\"", text, StringComparison.Ordinal);
        Assert.Contains("\"f\":true", text, StringComparison.Ordinal);
    }
}
