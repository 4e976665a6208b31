using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TotService.Tools;

namespace TotService.Tests.Tools;

/// <summary>
/// A client mistake is logged once, at Warning, without a stack trace: the SDK on its own logs a tool's refusal at
/// Error with the exception, which would page an operator for every mistyped run id.
/// </summary>
public sealed class ToolRefusalLoggingTests(ToolRefusalLoggingTests.LoggedHost host) : IClassFixture<ToolRefusalLoggingTests.LoggedHost>
{
    public sealed class LoggedHost : ToolsHost
    {
        public FakeLogCollector Collector { get; } = new();

        protected override ILoggerProvider? Logs => new FakeLoggerProvider(Collector);
    }

    public static TheoryData<string, string, string> Mistakes => new()
    {
        { "tot_run_status", """{"runId":"run_00000000000000000000000000000000"}""", "was not found" },
        { "tot_tree_view", """{"treeId":"tree_00000000000000000000000000000000","format":"svg"}""", "unknown format 'svg'" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","provider":"oracle"}""", "Unknown provider 'oracle'" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_refused_tool_call_is_one_warning_line_without_a_stack(string tool, string argumentsJson, string reason)
    {
        var subject = "mistaken-" + Guid.NewGuid().ToString("N")[..6];
        await using var client = await host.ConnectAsync(subject);
        var arguments = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(argumentsJson);
        var before = host.Collector.Count;

        var message = await client.CallErrorAsync(tool, arguments);

        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.DoesNotContain("An error occurred invoking", message, StringComparison.Ordinal);
        var records = host.Collector.GetSnapshot().Skip(before).ToList();
        Assert.DoesNotContain(records, r => r.Exception is not null);
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Error);
        var refusal = Assert.Single(records, r => r.Category == typeof(ToolRefusalFilter).FullName);
        Assert.Equal(LogLevel.Warning, refusal.Level);
        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
        Assert.Contains(tool, refusal.Message, StringComparison.Ordinal);
    }
}
