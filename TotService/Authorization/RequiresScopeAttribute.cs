using Microsoft.AspNetCore.Authorization;

namespace TotService.Authorization;

/// <summary>
/// Declares the OAuth scope an MCP tool needs, on the tool method or its <c>[McpServerToolType]</c> class
/// (one of the two). It is an <see cref="AuthorizeAttribute"/> naming the scope's policy, so the SDK's authorization
/// filters hide the tool from callers without the scope and refuse their calls; ahead of the SDK, a <c>tools/call</c>
/// without the scope gets HTTP 403 with <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="..."</c>.
/// Every tool must carry one: the server refuses to start otherwise, so a new tool cannot silently be open to every caller.
/// </summary>
/// <example><code>
/// [McpServerTool(Name = "start_run", Title = "Start a run"), RequiresScope(TotScopes.Write)]
/// </code></example>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class RequiresScopeAttribute(string scope) : AuthorizeAttribute(scope)
{
    public string Scope { get; } = scope;
}
