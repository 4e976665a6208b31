using System.Net;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Mcp;

/// <summary>One client cannot hold more sessions than the cap; others are unaffected, and ending one frees a place.</summary>
public sealed class McpSessionLimitTests : SecuredHostTest
{
    protected override IDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["TotService:Sessions:MaxPerClient"] = "2",
    };

    [Fact]
    public async Task A_client_over_its_session_cap_gets_429_with_a_clear_error_until_it_ends_a_session()
    {
        var token = Tokens.Valid(Key, subject: "hoarder");
        var first = await RawMcpSession.OpenAsync(Host.Http, token);
        await RawMcpSession.OpenAsync(Host.Http, token);

        using (var third = await RawMcpSession.InitializeAsync(Host.Http, token))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            var error = await RawMcpSession.ReadMessageAsync(third);
            Assert.Equal(1, error["id"]!.GetValue<int>());
            Assert.Contains("at most 2", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, await RawMcpSession.InitializeStatusAsync(Host.Http, Tokens.Valid(Key, subject: "neighbour")));

        using var end = new HttpRequestMessage(HttpMethod.Delete, "/mcp");
        end.Headers.Add("Mcp-Session-Id", first.SessionId);
        end.Headers.Authorization = new("Bearer", token);
        using (var ended = await Host.Http.SendAsync(end, TestContext.Current.CancellationToken))
        {
            Assert.True(ended.IsSuccessStatusCode, ended.StatusCode.ToString());
        }

        var status = HttpStatusCode.TooManyRequests;
        for (var attempt = 0; attempt < 50 && status == HttpStatusCode.TooManyRequests; attempt++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken); // the session's run ends just after DELETE returns
            status = await RawMcpSession.InitializeStatusAsync(Host.Http, token);
        }
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
