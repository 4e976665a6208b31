using System.Text.Json;
using ModelContextProtocol.Protocol;
using TotService.Protocol;

namespace TotService.Mcp;

/// <summary>The revision one request speaks, from its own <c>_meta</c>: a 2026-07-28 request says so, a session's requests do not.</summary>
public static class RequestRevision
{
    public static bool IsStateless(JsonRpcRequest request) => McpProtocolRevisions.IsStateless(
        request.Params?["_meta"]?[MetaKeys.ProtocolVersion] is { } version && version.GetValueKind() == JsonValueKind.String
            ? version.GetValue<string>()
            : null);
}
