using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Tools;

/// <summary>
/// TotService in-process on Kestrel with a fake KeyService (no Redis: in-memory stores), shared by one test class.
/// Each test uses its own token subject, so per-client limits and ownership never leak between tests.
/// </summary>
public class ToolsHost : IAsyncLifetime
{
    public TotServiceTestHost Host { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Where the service logs, for tests that assert on logs; null logs nowhere.</summary>
    protected virtual ILoggerProvider? Logs => null;

    public virtual async ValueTask InitializeAsync() => Host = await TotServiceTestHost.StartAsync(Settings, Logs);

    public virtual async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public string Token(string subject, string scope = "tot:read tot:write") => Host.Token(subject, scope);

    /// <summary>
    /// A real MCP client; with <paramref name="samplingModel"/> it declares sampling and answers with that model, with
    /// <paramref name="protocolVersion"/> it speaks that revision (by default the newest the server offers it).
    /// </summary>
    public async Task<McpClient> ConnectAsync(
        string subject, string scope = "tot:read tot:write", IChatClient? samplingModel = null, string? protocolVersion = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Host.McpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token(subject, scope) },
        }, NullLoggerFactory.Instance);
        var options = new McpClientOptions { ProtocolVersion = protocolVersion };
        if (samplingModel is not null)
        {
#pragma warning disable MCP9005 // sampling is deprecated by the 2026-07-28 revision, and is exactly what is under test here
            options.Handlers = new McpClientHandlers { SamplingHandler = new NonStreaming(samplingModel).CreateSamplingHandler() };
#pragma warning restore MCP9005
        }
        return await McpClient.CreateAsync(transport, options, cancellationToken: TestContext.Current.CancellationToken);
    }
}

/// <summary>The SDK's sampling handler streams; scripted models answer whole replies, so stream a whole reply.</summary>
internal sealed class NonStreaming(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}

public static class ToolCalls
{
    
    public static Task<JsonElement> WaitForRunAsync(this McpClient client, string runId, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            _ => client.CallOkAsync("tot_run_status", new { runId }),
            status => status.Str("state") is not ("queued" or "running"),
            timeout ?? TimeSpan.FromSeconds(30),
            $"run {runId} to end",
            status => status.GetRawText(),
            TimeSpan.FromMilliseconds(100),
            TestContext.Current.CancellationToken);
}
