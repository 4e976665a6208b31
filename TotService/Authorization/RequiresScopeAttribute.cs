using Microsoft.AspNetCore.Authorization;
using TotService.Identity;

namespace TotService.Authorization;

/// <summary>
/// Declares the OAuth scope an MCP tool, prompt or resource needs, on the method or its <c>[McpServer*Type]</c> class
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

    /// <summary>
    /// The one scope a primitive's <paramref name="metadata"/> declares, or an exception naming it (<paramref name="kind"/>
    /// and <paramref name="name"/>, e.g. tool 'tot_solve') that stops the server from starting.
    /// </summary>
    public static string DeclaredBy(string kind, string name, IEnumerable<object> metadata)
    {
        // Authorization combines a class's and a method's attributes (both must pass), so exactly one is allowed.
        var declarations = metadata.OfType<RequiresScopeAttribute>().ToList();
        if (declarations.Count > 1)
        {
            throw new InvalidOperationException(
                $"MCP {kind} '{name}' declares [RequiresScope] on both its method and its class: keep one.");
        }
        var declared = declarations.SingleOrDefault()
            ?? throw new InvalidOperationException(
                $"MCP {kind} '{name}' declares no scope: add [RequiresScope(TotScopes.Read)] or [RequiresScope(TotScopes.Write)] to it.");
        if (!TotScopes.All.Contains(declared.Scope))
        {
            throw new InvalidOperationException(
                $"MCP {kind} '{name}' requires unknown scope '{declared.Scope}'; known scopes: {string.Join(", ", TotScopes.All)}.");
        }
        return declared.Scope;
    }
}
