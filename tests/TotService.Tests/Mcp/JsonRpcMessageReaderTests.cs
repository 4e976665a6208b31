using System.Text;
using System.Text.Json;
using TotService.Mcp;

namespace TotService.Tests.Mcp;

public sealed class JsonRpcMessageReaderTests
{
    private static List<JsonRpcMessageSummary> ReadAll(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var reader = new JsonRpcMessageReader(bytes);
        var messages = new List<JsonRpcMessageSummary>();
        while (reader.TryReadNext(out var message))
        {
            messages.Add(message);
        }
        return messages;
    }

    [Fact]
    public void Reads_method_and_tool_name_of_a_tools_call_whatever_the_member_order()
    {
        var messages = ReadAll("""{"params":{"arguments":{"name":"not this","deep":[{"name":"nor this"}]},"name":"tot_solve"},"id":7,"jsonrpc":"2.0","method":"tools/call"}""");

        Assert.Equal([new JsonRpcMessageSummary("tools/call", "tot_solve", 0)], messages);
    }

    [Fact]
    public void Tool_name_is_only_reported_for_tools_call()
    {
        var messages = ReadAll("""{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"tot_solve"}}""");

        Assert.Equal([new JsonRpcMessageSummary("prompts/get", null, 0)], messages);
    }

    [Fact]
    public void Duplicate_members_resolve_to_the_last_one_like_deserialization_does()
    {
        var messages = ReadAll("""{"method":"ping","method":"tools/call","params":{"name":"whoami","name":"tot_start_run"}}""");

        Assert.Equal([new JsonRpcMessageSummary("tools/call", "tot_start_run", 0)], messages);
    }

    [Fact]
    public void Batch_messages_are_read_in_order_with_their_positions_and_non_objects_are_skipped()
    {
        var messages = ReadAll("""[{"method":"ping"}, 42, "x", {"method":"tools/call","params":{"name":"a"}}, [], {"id":3}]""");

        Assert.Equal(
            [new JsonRpcMessageSummary("ping", null, 0), new JsonRpcMessageSummary("tools/call", "a", 3), new JsonRpcMessageSummary(null, null, 5)],
            messages);
    }

    [Fact]
    public void Non_string_method_and_name_are_not_reported()
    {
        var messages = ReadAll("""{"method":"tools/call","params":{"name":{"nested":"tot_solve"}}}""");

        Assert.Equal([new JsonRpcMessageSummary("tools/call", null, 0)], messages);
        Assert.Equal([new JsonRpcMessageSummary(null, null, 0)], ReadAll("""{"method":["tools/call"],"params":[]}"""));
    }

    [Fact]
    public void A_top_level_value_that_is_not_a_message_yields_nothing()
    {
        Assert.Empty(ReadAll("42"));
        Assert.Empty(ReadAll("[]"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"\ud800"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"\udfff"}}""")]
    [InlineData("""{"method":""")]
    [InlineData("""{"method":"ping"} {"method":"ping"}""")]
    [InlineData("""{"method":"ping"}x""")]
    [InlineData("""[{"method":"ping"}""")]
    [InlineData("""[{"method":"ping"},]""")]
    [InlineData("""{"method":"ping",}""")]
    [InlineData("""{"method":"ping" /* comment */}""")]
    [InlineData("""{"params":{"name":"a"},"method":"tools/call","id":1,"extra":[1,2,}""")]
    public void Invalid_json_anywhere_in_the_body_throws(string body)
    {
        Assert.ThrowsAny<JsonException>(() => ReadAll(body));
    }

    [Fact]
    public void Nesting_deeper_than_64_levels_is_refused()
    {
        var deep = """{"method":"ping","params":""" + new string('[', 70) + new string(']', 70) + "}";

        Assert.ThrowsAny<JsonException>(() => ReadAll(deep));
    }
}
