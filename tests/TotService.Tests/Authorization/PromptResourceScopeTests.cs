using System.ComponentModel;
using System.Net;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Identity;
using TotService.Tests.Infrastructure;
using TotService.Tests.Tools;

namespace TotService.Tests.Authorization;

/// <summary>
/// Prompts and resources carry scopes as tools do: hidden from lists by the SDK's filters, and refused with HTTP 403
/// <c>insufficient_scope</c> by the request guard on both generations (2026-07-28 from the headers, sessions from the body).
/// </summary>
public sealed class PromptResourceScopeTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    private const string RunUri = "tot://runs/run_00000000000000000000000000000000";

    public static TheoryData<bool, string, string, string, string> Refusals => new()
    {
        { true, "tot:read", "prompts/get", "tot_think", "tot:write" },
        { false, "tot:read", "prompts/get", "tot_think", "tot:write" },
        { true, "tot:write", "resources/read", RunUri, "tot:read" },
        { false, "tot:write", "resources/read", RunUri + "/tree.mmd", "tot:read" },
        { false, "tot:write", "resources/read", "tot://trees/tree_00000000000000000000000000000000", "tot:read" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_token_without_the_scope_gets_403_insufficient_scope_naming_it(
        bool stateless, string granted, string method, string name, string needed)
    {
        var token = host.Token("scoped-" + Guid.NewGuid().ToString("N")[..6], granted);
        var parameters = method == RequestMethods.PromptsGet
            ? new JsonObject { ["name"] = name, ["arguments"] = new JsonObject { ["problem"] = "x" } }
            : new JsonObject { ["uri"] = name };

        using var response = await SendAsync(token, stateless, method, name, parameters);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            $"Bearer error=\"insufficient_scope\", scope=\"{needed}\", resource_metadata=\"{TestSettings.MetadataUrl}\"",
            response.Headers.WwwAuthenticate.ToString());
        var error = await RawMcpSession.ReadMessageAsync(response);
        // A 2026-07-28 request is refused from its headers, before its body (and id) is read.
        Assert.Equal(stateless ? null : 9, error["id"]?.GetValue<int>());
        Assert.Contains($"'{needed}'", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_the_scope_the_same_requests_pass_the_guard_and_reach_the_sdk(bool stateless)
    {
        var token = host.Token("allowed-" + Guid.NewGuid().ToString("N")[..6], "tot:read tot:write");

        using var prompt = await SendAsync(token, stateless, RequestMethods.PromptsGet, "tot_think",
            new JsonObject { ["name"] = "tot_think", ["arguments"] = new JsonObject { ["problem"] = "x" } });
        using var resource = await SendAsync(token, stateless, RequestMethods.ResourcesRead, RunUri, new JsonObject { ["uri"] = RunUri });

        Assert.Equal(HttpStatusCode.OK, prompt.StatusCode);
        Assert.NotNull((await RawMcpSession.ReadMessageAsync(prompt))["result"]?["messages"]);
        Assert.Equal(HttpStatusCode.OK, resource.StatusCode);
        Assert.Contains("was not found", (await RawMcpSession.ReadMessageAsync(resource))["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_token_is_not_shown_the_prompt_and_a_write_only_token_no_resource_template()
    {
        await using var reader = await host.ConnectAsync("reader-" + Guid.NewGuid().ToString("N")[..6], "tot:read");
        await using var writer = await host.ConnectAsync("writer-" + Guid.NewGuid().ToString("N")[..6], "tot:write");
        var cancel = TestContext.Current.CancellationToken;

        Assert.DoesNotContain(await reader.ListPromptsAsync(cancellationToken: cancel), p => p.Name == "tot_think");
        Assert.Equal(4, (await reader.ListResourceTemplatesAsync(cancellationToken: cancel)).Count);
        Assert.Contains(await writer.ListPromptsAsync(cancellationToken: cancel), p => p.Name == "tot_think");
        Assert.Empty(await writer.ListResourceTemplatesAsync(cancellationToken: cancel));
    }

    [Fact]
    public void A_prompt_or_resource_without_a_scope_stops_the_server_from_starting()
    {
        var prompt = McpServerPrompt.Create(typeof(Undeclared).GetMethod(nameof(Undeclared.Open))!);
        var resource = McpServerResource.Create(typeof(Undeclared).GetMethod(nameof(Undeclared.Secret))!);
        var declared = McpServerResource.Create(typeof(Undeclared).GetMethod(nameof(Undeclared.Declared))!);

        var promptError = Assert.Throws<InvalidOperationException>(() => new PromptResourceScopeRegistry([prompt], []));
        var resourceError = Assert.Throws<InvalidOperationException>(() => new PromptResourceScopeRegistry([], [resource]));
        var registry = new PromptResourceScopeRegistry([], [declared]);

        Assert.Contains("prompt 'open' declares no scope", promptError.Message, StringComparison.Ordinal);
        Assert.Contains("resource 'test://secret/{id}' declares no scope", resourceError.Message, StringComparison.Ordinal);
        Assert.Equal([TotScopes.Read], registry.RequiredScopes(RequestMethods.ResourcesRead, "test://declared/42"));
        Assert.Empty(registry.RequiredScopes(RequestMethods.ResourcesRead, "test://declared/42/more"));
        Assert.Empty(registry.RequiredScopes(RequestMethods.PromptsGet, "test://declared/42"));
    }

    private async Task<HttpResponseMessage> SendAsync(string token, bool stateless, string method, string name, JsonObject parameters)
    {
        if (stateless)
        {
            parameters["_meta"] = new JsonObject
            {
                ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
                ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
            };
        }
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 9, ["method"] = method, ["params"] = parameters }.ToJsonString();
        if (!stateless)
        {
            var session = await RawMcpSession.OpenAsync(host.Host.Http, token);
            return await session.SendAsync(token, body);
        }
        return await RawMcpSession.SendAsync(host.Host.Http, null, token, body, request =>
        {
            request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
            request.Headers.Add("Mcp-Method", method);
            request.Headers.Add("Mcp-Name", name);
        });
    }

    private static class Undeclared
    {
        [McpServerPrompt(Name = "open"), Description("No scope.")]
        public static string Open() => "open";

        [McpServerResource(UriTemplate = "test://secret/{id}", Name = "secret"), Description("No scope.")]
        public static string Secret(string id) => id;

        [McpServerResource(UriTemplate = "test://declared/{id}", Name = "declared"), Description("Read scope."), RequiresScope(TotScopes.Read)]
        public static string Declared(string id) => id;
    }
}
