using System.Text.Json;
using System.Text;
using TotService.Authentication;
using TotService.Configuration;
using TotService.Http;
using TotService.Mcp;
using TotService.Protocol;

namespace TotService.Fuzz;

/// <summary>
/// Everything request-facing that TotService still reads by hand, fed one untrusted input: its first line as the
/// Content-Type, Host and Origin headers, its second as a bearer token, the rest as a <c>POST /mcp</c> body. Any
/// exception is a finding (the service would answer 5xx or cut a body short), and so is an error body that is not
/// one whole JSON document.
/// </summary>
public static class RequestParsingTarget
{
    private static readonly AllowedRequestSources Sources = new(new TotServiceOptions
    {
        Audience = "https://tot.example.test/mcp",
        AllowedOrigins = ["https://app.example.test"],
    }, isDevelopment: true);

    public static void Run(ReadOnlySpan<byte> input)
    {
        var firstBreak = input.IndexOf((byte)'\n');
        var header = Text(firstBreak < 0 ? input : input[..firstBreak]);
        var rest = firstBreak < 0 ? [] : input[(firstBreak + 1)..];
        var secondBreak = rest.IndexOf((byte)'\n');
        var token = Text(secondBreak < 0 ? rest : rest[..secondBreak]);
        var body = secondBreak < 0 ? [] : rest[(secondBreak + 1)..];

        McpRequestReader.IsSupportedContentType(header);
        Sources.IsAllowedHost(header);
        Sources.IsAllowedOrigin(header);
        JwsFormRules.IsCompactJws(token);

        if (McpRequestReader.TryRead(body) is not { } message)
        {
            return;
        }
        McpRequestReader.ToolName(message);
        var id = message is ModelContextProtocol.Protocol.JsonRpcRequest request ? request.Id : default;
        using var error = JsonDocument.Parse(JsonRpcErrors.Serialize(JsonRpcErrors.Refused, "refused", id));
        if (error.RootElement.GetProperty("jsonrpc").GetString() != "2.0")
        {
            throw new InvalidOperationException("The error body is not a JSON-RPC message.");
        }
    }

    /// <summary>Headers reach ASP.NET Core as Latin-1 text; any byte sequence is a possible header value.</summary>
    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
