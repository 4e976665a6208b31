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

        // The session's run ends just after DELETE returns; until then the slot is still taken (429).
        var status = await Eventually.UntilAsync(
            _ => RawMcpSession.InitializeStatusAsync(Host.Http, token), read => read != HttpStatusCode.TooManyRequests,
            TimeSpan.FromSeconds(5), "the ended session's slot to be free", interval: TimeSpan.FromMilliseconds(100),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
