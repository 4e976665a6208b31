using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace Testing;

/// <summary>Tool calls as tests make them: anonymous objects for arguments, the test's cancellation, asserted outcomes.</summary>
public static class McpToolCalls
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
    public static async Task<JsonElement> CallOkAsync(
        this McpClient client, string tool, object? arguments = null, IProgress<ProgressNotificationValue>? progress = null)
    {
        var result = await client.CallAsync(tool, arguments, progress);
        Assert.True(result.IsError != true, $"{tool} failed: {result.Text()}");
        Assert.False(string.IsNullOrWhiteSpace(result.Text()), $"{tool} returned no text content");
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
}
