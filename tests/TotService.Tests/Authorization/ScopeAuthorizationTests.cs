using System.Net;
using System.Text.Json.Nodes;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Authorization;

/// <summary>Per-tool scopes: hidden from tools/list and HTTP 403 insufficient_scope on tools/call.</summary>
public sealed class ScopeAuthorizationTests : SecuredHostTest
{
    [Fact]
    public async Task Read_only_token_calling_a_write_tool_gets_403_insufficient_scope_and_the_tool_is_not_run()
    {
        var readOnly = Tokens.Valid(Key, scope: "tot:read", subject: "reader");
        var session = await RawMcpSession.OpenAsync(Host.Http, readOnly);

        using var list = await session.SendAsync(readOnly, session.ToolsList());
        var listed = (await RawMcpSession.ReadMessageAsync(list))["result"]!["tools"]!.AsArray()
            .Select(tool => tool!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("probe", listed);
        Assert.DoesNotContain("append_note", listed);

        using var refused = await session.SendAsync(readOnly, session.ToolCall("append_note", new { text = "hi" }));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(
            $"Bearer error=\"insufficient_scope\", scope=\"tot:write\", resource_metadata=\"{TestSettings.MetadataUrl}\"",
            refused.Headers.WwwAuthenticate.ToString());
        var error = await RawMcpSession.ReadMessageAsync(refused);
        Assert.Contains("tot:write", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, Host.Invocations.Count);

        // Same session, read tool: allowed, so the 403 above was about scope alone.
        using var allowed = await session.SendAsync(readOnly, session.ToolCall("probe"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(1, Host.Invocations.Count);
    }

    [Fact]
    public async Task A_batch_is_refused_as_the_SDK_reads_one_message_per_request_and_no_call_in_it_runs()
    {
        var readOnly = Tokens.Valid(Key, scope: "tot:read", subject: "batcher");
        var session = await RawMcpSession.OpenAsync(Host.Http, readOnly);

        using var refused = await session.SendAsync(readOnly, """
            [{"jsonrpc":"2.0","id":"first","method":"tools/call","params":{"name":"probe"}},
             {"jsonrpc":"2.0","id":"second","method":"tools/call","params":{"arguments":{"name":"probe"},"name":"append_note"}}]
            """);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(-32700, (await RawMcpSession.ReadMessageAsync(refused))["error"]!["code"]!.GetValue<int>());
        Assert.Equal(0, Host.Invocations.Count);
    }

    [Theory]
    [InlineData("Name")]
    [InlineData("NAME")]
    public async Task A_tool_name_in_another_case_is_judged_as_the_SDK_binds_it(string member)
    {
        var readOnly = Tokens.Valid(Key, scope: "tot:read", subject: "casefolder");
        var session = await RawMcpSession.OpenAsync(Host.Http, readOnly);

        using var refused = await session.SendAsync(readOnly,
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"MEMBER":"append_note","arguments":{"text":"x"}}}""".Replace("MEMBER", member, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(3, (await RawMcpSession.ReadMessageAsync(refused))["id"]!.GetValue<int>());
        Assert.Equal(0, Host.Invocations.Count);
    }

    [Fact]
    public async Task A_duplicated_tool_name_is_judged_by_the_name_the_SDK_would_call()
    {
        var readOnly = Tokens.Valid(Key, scope: "tot:read", subject: "duplicator");
        var session = await RawMcpSession.OpenAsync(Host.Http, readOnly);

        using var refused = await session.SendAsync(readOnly, """
            {"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"probe","name":"append_note","arguments":{"text":"x"}}}
            """);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(9, (await RawMcpSession.ReadMessageAsync(refused))["id"]!.GetValue<int>());
        Assert.Equal(0, Host.Invocations.Count);
    }

    [Fact]
    public async Task Write_token_runs_the_write_tool()
    {
        var writer = Tokens.Valid(Key, scope: "tot:read tot:write", subject: "writer");
        var session = await RawMcpSession.OpenAsync(Host.Http, writer);

        using var response = await session.SendAsync(writer, session.ToolCall("append_note", new { text = "hello" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await RawMcpSession.ReadMessageAsync(response))["result"]!;
        Assert.Equal("stored 5", result["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(1, Host.Invocations.Count);
    }

    [Fact]
    public async Task Token_without_any_tot_scope_gets_403_asking_for_tot_read()
    {
        var token = Tokens.Valid(Key, scope: "keys:admin");

        using var response = await RawMcpSession.InitializeAsync(Host.Http, token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            $"Bearer error=\"insufficient_scope\", scope=\"tot:read\", resource_metadata=\"{TestSettings.MetadataUrl}\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Session_cannot_be_used_with_another_subjects_token()
    {
        var session = await RawMcpSession.OpenAsync(Host.Http, Tokens.Valid(Key, subject: "alice"));

        using var hijack = await session.SendAsync(Tokens.Valid(Key, subject: "mallory"), session.ToolCall("probe"));

        Assert.NotEqual(HttpStatusCode.OK, hijack.StatusCode);
        Assert.Equal(0, Host.Invocations.Count);
    }

    [Fact]
    public async Task Metadata_document_is_correct_and_matches_the_challenge()
    {
        using var challenge = await RawMcpSession.SendAsync(Host.Http, null, null, """{"jsonrpc":"2.0","id":1,"method":"ping"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var header = challenge.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", header.Scheme);
        var parameters = header.Parameter!.Split(", ")
            .Select(part => part.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('"'));
        var metadataUrl = new Uri(parameters["resource_metadata"]);
        Assert.Equal(TestSettings.MetadataUrl, metadataUrl.ToString());

        foreach (var path in new[] { metadataUrl.AbsolutePath, "/.well-known/oauth-protected-resource" })
        {
            using var response = await Host.Http.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var metadata = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

            Assert.Equal(TestSettings.Audience, metadata["resource"]!.GetValue<string>());
            Assert.Equal([TestSettings.Issuer], metadata["authorization_servers"]!.AsArray().Select(n => n!.GetValue<string>()));
            var scopes = metadata["scopes_supported"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
            Assert.Equal(["tot:read", "tot:write"], scopes);
            Assert.Equal(["header"], metadata["bearer_methods_supported"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.All(parameters["scope"].Split(' '), scope => Assert.Contains(scope, scopes));
            // RFC 9728: the metadata URL is the resource's origin + well-known prefix + the resource's path.
            Assert.Equal(new Uri(TestSettings.Audience).GetLeftPart(UriPartial.Authority), metadataUrl.GetLeftPart(UriPartial.Authority));
        }
    }
}
