using System.Diagnostics;

namespace EndToEnd.Tests.Conformance;

/// <summary>
/// tests/conformance/token-proxy.mjs on a free loopback port: it adds the bearer token the conformance suite cannot
/// send and forwards to one TotService instance. Stopped (killed) at dispose.
/// </summary>
public sealed class TokenProxy : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly HttpClient _http;

    private TokenProxy(Process process, Uri url)
    {
        _process = process;
        Url = url;
        _http = new HttpClient { BaseAddress = url };
    }

    public Uri Url { get; }

    public Uri McpUrl => new(Url, "/mcp");

    public static async Task<TokenProxy> StartAsync(string node, Uri target, string token, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryFiles.PathOf("tests", "conformance", "token-proxy.mjs"));
        start.ArgumentList.Add(target.GetLeftPart(UriPartial.Authority));
        start.Environment["TOKEN"] = token;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {node}.");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(StartTimeout, cancellationToken);
            if (line?.StartsWith("listening ", StringComparison.Ordinal) != true)
            {
                throw new InvalidOperationException($"The token proxy did not start: {line} {await process.StandardError.ReadToEndAsync(cancellationToken)}");
            }
            return new TokenProxy(process, new Uri(line["listening ".Length..]));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>Ends every session opened through the proxy: the suite's npm release never ends its own.</summary>
    public async Task EndSessionsAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(new Uri("/.proxy/end-sessions", UriKind.Relative), null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
