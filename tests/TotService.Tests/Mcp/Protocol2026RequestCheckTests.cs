using System.Text;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Protocol;
using TotService.Mcp;

namespace TotService.Tests.Mcp;

/// <summary>The perimeter's reading of a 2026-07-28 request: headers first, then the body against them.</summary>
public sealed class Protocol2026RequestCheckTests
{
    private const string Meta = """{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}""";

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"\ud800"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{"\udc00":1}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{"x":"a\ud800\u0041"}}}""")]
    public void Unpaired_surrogates_anywhere_are_not_text(string body) =>
        Assert.False(McpBodyText.Inspect(Encoding.UTF8.GetBytes(body)).IsValidText);

    [Fact]
    public void Invalid_utf8_bytes_are_not_text()
    {
        byte[] body = [.. "{\"jsonrpc\":\"2.0\",\"method\":\"x"u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.False(McpBodyText.Inspect(body).IsValidText);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{"x":"\ud83d\ude00 é \u0000"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""")]
    public void Paired_surrogates_and_other_text_pass(string body) =>
        Assert.True(McpBodyText.Inspect(Encoding.UTF8.GetBytes(body)).IsValidText);

    [Theory]
    [InlineData("""{"params":{"_meta":{"a":"bcd"}}}""", 11)]
    [InlineData("""{"params":{"x":{"_meta":{"a":1}},"_meta":[1,2]}}""", 5)]
    [InlineData("""{"params":{"_meta":"abc"}}""", 5)]
    [InlineData("""{"_meta":{"a":1},"params":{}}""", 0)]
    public void The_size_of_params_meta_is_measured_and_nothing_else(string body, int expected) =>
        Assert.Equal(expected, McpBodyText.Inspect(Encoding.UTF8.GetBytes(body)).MetaBytes);

    [Fact]
    public void A_call_declares_its_method_and_its_tool_in_headers()
    {
        var headers = new HeaderDictionary { ["Mcp-Method"] = "tools/call", ["Mcp-Name"] = "=?base64?d2hvYW1p?=" };

        Assert.Null(StatelessRequestCheck.ReadHeaders(headers, out var declared));
        Assert.Equal(new StatelessRequestCheck.Declared("tools/call", "whoami"), declared);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("tools/call", null)]
    [InlineData("tools/call", "=?base64?!!!?=")]
    public void Missing_or_undecodable_headers_are_refused_as_header_mismatch(string? method, string? name)
    {
        var headers = new HeaderDictionary();
        if (method is not null)
        {
            headers["Mcp-Method"] = method;
        }
        if (name is not null)
        {
            headers["Mcp-Name"] = name;
        }

        var refusal = StatelessRequestCheck.ReadHeaders(headers, out _);

        Assert.Equal(400, refusal?.Status);
        Assert.Equal(-32020, refusal?.Code);
    }

    [Fact]
    public void A_repeated_header_is_refused_even_when_both_copies_agree()
    {
        var headers = new HeaderDictionary { ["Mcp-Method"] = new(["tools/list", "tools/list"]) };
        Assert.Equal(-32020, StatelessRequestCheck.ReadHeaders(headers, out _)?.Code);
    }

    [Theory]
    [InlineData("tools/call", "whoami", """{"name":"server_info","_meta":META}""", -32020)]
    [InlineData("tools/list", null, """{"_meta":META}""", null)]
    [InlineData("tools/call", "whoami", """{"name":"whoami","_meta":META}""", null)]
    [InlineData("tools/list", null, """{}""", -32602)]
    [InlineData("tools/list", null, """{"_meta":{"io.modelcontextprotocol/protocolVersion":"2025-11-25","io.modelcontextprotocol/clientCapabilities":{}}}""", -32020)]
    [InlineData("tools/list", null, """{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}""", -32602)]
    [InlineData("ping", null, """{"_meta":META}""", -32601)]
    [InlineData("server/discover", null, """{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"sampling":{}}}}""", null)]
    public void The_body_must_say_what_the_headers_said(string method, string? name, string parameters, int? expectedCode)
    {
        Assert.Equal(expectedCode, Check(method, name, parameters)?.Code);
    }

    [Theory]
    [InlineData("""{"n\u0061me":"whoami","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-\u0032\u0038","io.modelcontextprotocol/clientCapabilities":{}}}""")]
    [InlineData("""{"arguments":{"name":"server_info","_meta":{}},"name":"whoami","_meta":META}""")]
    public void Escaped_names_and_values_match_and_nested_look_alikes_do_not(string parameters) =>
        Assert.Null(Check("tools/call", "whoami", parameters));

    [Theory]
    [InlineData("""{"name":"server_info","name":"whoami","_meta":META}""")]
    [InlineData("""{"name":"whoami","_meta":META,"_meta":META}""")]
    [InlineData("""{"name":"whoami","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}""")]
    public void A_property_the_check_reads_named_twice_is_an_invalid_request(string parameters)
    {
        var refusal = Check("tools/call", "whoami", parameters);

        Assert.Equal(400, refusal?.Status);
        Assert.Equal(-32600, refusal?.Code);
    }

    [Fact]
    public void A_method_header_that_differs_from_the_body_is_refused()
    {
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","_meta":""" + Meta + "}}");
        var message = McpRequestReader.TryRead(body)!;
        Assert.Equal(-32020, StatelessRequestCheck.CheckBody(message, new StatelessRequestCheck.Declared("tools/list", null), body, 100)?.Code);
    }

    [Fact]
    public void A_huge_meta_is_refused_as_invalid_params()
    {
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":""" + Meta + "}}");
        var message = McpRequestReader.TryRead(body)!;
        var refusal = StatelessRequestCheck.CheckBody(message, new StatelessRequestCheck.Declared(RequestMethods.ToolsList, null), body, StatelessRequestCheck.MaxMetaBytes + 1);
        Assert.Equal(-32602, refusal?.Code);
    }

    private static McpRefusal? Check(string method, string? name, string parameters)
    {
        var body = Encoding.UTF8.GetBytes(
            $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{parameters.Replace("META", Meta, StringComparison.Ordinal)}}}""");
        var message = McpRequestReader.TryRead(body)!;
        return StatelessRequestCheck.CheckBody(message, new StatelessRequestCheck.Declared(method, name), body, metaBytes: 100);
    }
}
