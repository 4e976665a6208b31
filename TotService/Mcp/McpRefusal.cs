namespace TotService.Mcp;

/// <summary>A request the perimeter answers itself: HTTP status, JSON-RPC error code and a message in the server's words.</summary>
public readonly record struct McpRefusal(int Status, int Code, string Message)
{
    public static McpRefusal BadRequest(int code, string message) => new(StatusCodes.Status400BadRequest, code, message);
}
