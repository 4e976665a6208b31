using System.Net;
using System.Text.RegularExpressions;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Mcp2026;

/// <summary>What a refused request costs the operator: one log line, and metric labels that name outcomes only.</summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class RefusalCostTests(EndToEndAppModel model)
{
    private const int Attempts = 5;

    [Fact]
    public async Task A_refused_token_writes_one_log_line_and_no_exception_text()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var forged = Tamper(await model.GetTokenAsync(cancellationToken: cancellationToken));
        var resource = model.TotServices[1];
        using var http = model.CreateHttpClient(resource);
        var since = DateTimeOffset.UtcNow;

        for (var i = 0; i < Attempts; i++)
        {
            using var request = RawMcp.Post(forged, RawMcp.Request("tools/list"), RawMcp.Headers("tools/list"));
            using var response = await http.SendAsync(request, cancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var related = await Eventually.UntilAsync(
            _ => Task.FromResult<string[]>([.. model.Logs.Lines(resource).Where(l => l.Time >= since).Select(l => l.Text)
                .Where(t => t.Contains("token", StringComparison.OrdinalIgnoreCase) || t.Contains("IDX", StringComparison.Ordinal)
                    || t.Contains("Exception", StringComparison.Ordinal) || t.StartsWith("   ", StringComparison.Ordinal))]),
            lines => lines.Count(t => t.Contains("Bearer token rejected (bad_signature)", StringComparison.Ordinal)) >= Attempts,
            TimeSpan.FromSeconds(30), $"{Attempts} audit lines from {resource}",
            _ => "lines since: " + string.Join('\n', model.Logs.Since(since)), TimeSpan.FromMilliseconds(100), cancellationToken);
        Assert.True(related.Length == Attempts, "one line per refused token, got:\n" + string.Join('\n', related));
    }

    [Fact]
    public async Task Metric_labels_never_name_an_exception_type()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await model.GetTokenAsync(cancellationToken: cancellationToken);
        var resource = model.TotServices[0];
        using var http = model.CreateHttpClient(resource);
        // Refusals of every kind first: a forged token, a malformed one, a hostile body.
        foreach (var (bearer, body) in new[]
        {
            (Tamper(token), RawMcp.Request("tools/list")),
            ("not.a.jwt", RawMcp.Request("tools/list")),
            (token, RawMcp.Request("tools/call", """ "name":"whoami","arguments":{"x":"\ud800"} """)),
        })
        {
            using var request = RawMcp.Post(bearer, body, RawMcp.Headers("tools/call", "whoami"));
            using var response = await http.SendAsync(request, cancellationToken);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        }

        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        var text = await metrics.Content.ReadAsStringAsync(cancellationToken);

        Assert.Contains("totmcp_mcp_requests", text, StringComparison.Ordinal);
        var leaks = text.Split('\n').Where(l => !l.StartsWith('#') && ExceptionLabel().IsMatch(l)).ToArray();
        Assert.True(leaks.Length == 0, "series labelled with exception types:\n" + string.Join('\n', leaks));
    }

    /// <summary>The same token with one signature character changed: a known key id, a signature that fails.</summary>
    private static string Tamper(string token)
    {
        var signatureStart = token.LastIndexOf('.') + 1;
        var position = signatureStart + (token.Length - signatureStart) / 2;
        var replacement = token[position] == 'A' ? 'B' : 'A';
        return string.Concat(token.AsSpan(0, position), new string(replacement, 1), token.AsSpan(position + 1));
    }

    [GeneratedRegex("=\"[^\"]*Exception[^\"]*\"")]
    private static partial Regex ExceptionLabel();
}
