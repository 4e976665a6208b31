using System.Net;
using System.Text.Json.Nodes;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Mcp;

/// <summary>
/// How a client finds a protocol version both sides speak: <c>server/discover</c> lists the versions, and a request
/// with one the server does not speak gets an unsupported-version error that lists the same versions and answers the
/// request by its id.
/// </summary>
public sealed class ProtocolVersionNegotiationTests : SecuredHostTest
{
    private const string Revision = "2026-07-28";

    private static string Body(int id, string method, string version) => new JsonObject
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id,
        ["method"] = method,
        ["params"] = new JsonObject
        {
            ["_meta"] = new JsonObject
            {
                ["io.modelcontextprotocol/protocolVersion"] = version,
                ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "tests", ["version"] = "1.0" },
                ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
            },
        },
    }.ToJsonString();

    private async Task<(HttpStatusCode Status, JsonObject Message)> SendAsync(string body, string version, string method)
    {
        using var response = await RawMcpSession.SendAsync(Host.Http, null, Tokens.Valid(Key), body, request =>
        {
            request.Headers.Add("MCP-Protocol-Version", version);
            request.Headers.Add("Mcp-Method", method);
        });
        return (response.StatusCode, await RawMcpSession.ReadMessageAsync(response));
    }

    [Fact]
    public async Task An_unsupported_version_is_refused_by_the_request_id()
    {
        var (status, message) = await SendAsync(Body(301, "server/discover", "v999.0.0"), "v999.0.0", "server/discover");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(-32022, message["error"]!["code"]!.GetValue<int>());
        Assert.Equal(301, message["id"]!.GetValue<int>());
        Assert.Equal("v999.0.0", message["error"]!["data"]!["requested"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unsupported_version_in_a_body_that_is_no_message_is_still_refused_as_unsupported()
    {
        var (status, message) = await SendAsync("not json", "v999.0.0", "server/discover");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(-32022, message["error"]!["code"]!.GetValue<int>());
        Assert.Null(message["id"]);
    }

    [Fact]
    public async Task Discover_lists_every_version_the_unsupported_version_error_offers()
    {
        var (discoverStatus, discover) = await SendAsync(Body(1, "server/discover", Revision), Revision, "server/discover");
        var (_, refusal) = await SendAsync(Body(2, "server/discover", "1900-01-01"), "1900-01-01", "server/discover");

        Assert.True(discoverStatus == HttpStatusCode.OK, discover.ToJsonString());
        var listed = discover["result"]!["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
        var offered = refusal["error"]!["data"]!["supported"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
        Assert.Equal(Revision, listed[0]);
        Assert.Contains("2025-11-25", listed);
        Assert.Equal(offered, listed);
    }
}
