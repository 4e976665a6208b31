using System.Data;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace EndToEnd.Tests.Tot;

internal static partial class TotToolCalls
{
    public static async Task<CallToolResult> CallAsync(this McpClient client, string tool, object? arguments = null, IProgress<ProgressNotificationValue>? progress = null)
    {
        var args = arguments is null
            ? new Dictionary<string, object?>()
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        return await client.CallToolAsync(tool, args, progress, cancellationToken: TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> CallOkAsync(this McpClient client, string tool, object? arguments = null, IProgress<ProgressNotificationValue>? progress = null)
    {
        var result = await client.CallAsync(tool, arguments, progress);
        Assert.True(result.IsError != true, $"{tool} failed: {result.Text()}");
        return result.StructuredContent ?? throw new Xunit.Sdk.XunitException($"{tool} returned no structured content");
    }

    public static async Task<string> CallErrorAsync(this McpClient client, string tool, object? arguments = null)
    {
        var result = await client.CallAsync(tool, arguments);
        Assert.True(result.IsError == true, $"{tool} should have failed: {result.Text()}");
        return result.Text();
    }

    public static string Text(this CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    /// <summary>An evaluator independent of the server's: the numbers used are the puzzle's, and the value is 24.</summary>
    public static void AssertSolves24(string puzzle, string expression)
    {
        var expected = puzzle.Split(' ').Select(int.Parse).Order().ToArray();
        var left = expression.Split('=')[0].Replace("×", "*", StringComparison.Ordinal).Replace("÷", "/", StringComparison.Ordinal);
        var used = Numbers().Matches(left).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).Order().ToArray();
        Assert.Equal(expected, used);
        // Decimal literals, so DataTable divides exactly enough (integer literals would divide as integers).
        var value = Convert.ToDouble(new DataTable().Compute(Numbers().Replace(left, "$0.0"), null), CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(value - 24) < 1e-9, $"{expression} = {value}");
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Numbers();
}
