namespace TotService.Authorization;

/// <summary>
/// Declares the OAuth scope an MCP tool needs, on the tool method or its <c>[McpServerToolType]</c> class
/// (the method wins). Every tool must carry one: the server refuses to start otherwise, so a new tool cannot
/// silently be open to every caller.
/// <para>Effects: callers without the scope do not see the tool in <c>tools/list</c>, and calling it returns
/// HTTP 403 with <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="..."</c>.</para>
/// </summary>
/// <example><code>
/// [McpServerTool(Name = "start_run", Title = "Start a run"), RequiresScope(TotScopes.Write)]
/// </code></example>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class RequiresScopeAttribute(string scope) : Attribute
{
    public string Scope { get; } = scope;
}
