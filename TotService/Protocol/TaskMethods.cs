namespace TotService.Protocol;

/// <summary>The methods of the <c>io.modelcontextprotocol/tasks</c> extension; each names its task in <c>Mcp-Name</c>.</summary>
public static class TaskMethods
{
    public const string Extension = "io.modelcontextprotocol/tasks";
    public const string Get = "tasks/get";
    public const string Update = "tasks/update";
    public const string Cancel = "tasks/cancel";

    public static bool IsTaskMethod(string? method) => method is Get or Update or Cancel;
}
