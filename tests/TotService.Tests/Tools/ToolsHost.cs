using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Tools;

/// <summary>
/// TotService in-process on Kestrel with a fake KeyService (no Redis: in-memory stores), shared by one test class.
/// Each test uses its own token subject, so per-client limits and ownership never leak between tests.
/// </summary>
public class ToolsHost : IAsyncLifetime
{
    private readonly TestSigningKey _key = new();
    private FakeAuthorizationServer _authorizationServer = null!;

    public TotServiceTestHost Host { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Where the service logs, for tests that assert on logs; null logs nowhere.</summary>
    protected virtual ILoggerProvider? Logs => null;

    public virtual async ValueTask InitializeAsync()
    {
        _authorizationServer = await FakeAuthorizationServer.StartAsync(TestSettings.Issuer, _key);
        Host = await TotServiceTestHost.StartAsync(_authorizationServer, Settings, Logs);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _authorizationServer.DisposeAsync();
        _key.Dispose();
        GC.SuppressFinalize(this);
    }

    public string Token(string subject, string scope = "tot:read tot:write") => Tokens.Valid(_key, scope, subject);

    /// <summary>A real MCP client; with <paramref name="samplingModel"/> it declares sampling and answers with that model.</summary>
    public async Task<McpClient> ConnectAsync(string subject, string scope = "tot:read tot:write", IChatClient? samplingModel = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Host.McpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token(subject, scope) },
        }, NullLoggerFactory.Instance);
        var options = new McpClientOptions();
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
    public static async Task<CallToolResult> CallAsync(
        this McpClient client, string tool, object? arguments = null, IProgress<ProgressNotificationValue>? progress = null)
    {
        var args = arguments is null
            ? new Dictionary<string, object?>()
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        return await client.CallToolAsync(tool, args, progress, cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>Calls a tool that must succeed and returns its structured content.</summary>
    public static async Task<JsonElement> CallOkAsync(this McpClient client, string tool, object? arguments = null, IProgress<ProgressNotificationValue>? progress = null)
    {
        var result = await client.CallAsync(tool, arguments, progress);
        Assert.True(result.IsError != true, $"{tool} failed: {result.Text()}");
        Assert.False(string.IsNullOrWhiteSpace(result.Text()));
        return result.StructuredContent ?? throw new Xunit.Sdk.XunitException($"{tool} returned no structured content");
    }

    /// <summary>Calls a tool that must fail with a tool error (not a protocol error or HTTP failure) and returns its text.</summary>
    public static async Task<string> CallErrorAsync(this McpClient client, string tool, object? arguments = null)
    {
        var result = await client.CallAsync(tool, arguments);
        Assert.True(result.IsError == true, $"{tool} should have failed but returned: {result.Text()}");
        return result.Text();
    }

    public static string Text(this CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    /// <summary>Polls tot_run_status until the run is no longer live, bounded.</summary>
    public static async Task<JsonElement> WaitForRunAsync(this McpClient client, string runId, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var status = await client.CallOkAsync("tot_run_status", new { runId });
            if (status.Str("state") is not ("queued" or "running"))
            {
                return status;
            }
            await Task.Delay(100, deadline.Token);
        }
    }
}
