using ModelContextProtocol;
using ModelContextProtocol.Server;
using TotService.Identity;

namespace TotService.Tools;

internal static class Caller
{
    /// <summary>The token subject that owns runs and trees (token validation already requires one).</summary>
    public static string Owner<TParams>(RequestContext<TParams> context) =>
        context.User?.FindFirst(TotClaims.Subject)?.Value is { Length: > 0 } subject
            ? subject
            : throw new McpException("The access token has no subject (sub); runs and trees need an owner.");
}
