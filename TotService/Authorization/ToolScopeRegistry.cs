using System.Collections.Frozen;
using ModelContextProtocol.Server;
using TotService.Identity;

namespace TotService.Authorization;

/// <summary>
/// Tool name → required scope, built once from every registered <see cref="McpServerTool"/>. Names compare ignoring
/// case: a spelling the SDK might not resolve is still judged by the scope of the tool it resembles (fail closed).
/// </summary>
public sealed class ToolScopeRegistry
{
    private readonly FrozenDictionary<string, string> _scopes;

    public ToolScopeRegistry(IEnumerable<McpServerTool> tools)
    {
        var scopes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tool in tools)
        {
            var name = tool.ProtocolTool.Name;
            // Authorization combines a class's and a method's attributes (both must pass), so exactly one is allowed.
            var declarations = tool.Metadata.OfType<RequiresScopeAttribute>().ToList();
            if (declarations.Count > 1)
            {
                throw new InvalidOperationException(
                    $"MCP tool '{name}' declares [RequiresScope] on both its method and its class: keep one.");
            }
            var declared = declarations.SingleOrDefault()
                ?? throw new InvalidOperationException(
                    $"MCP tool '{name}' declares no scope: add [RequiresScope(TotScopes.Read)] or [RequiresScope(TotScopes.Write)] to it.");
            if (!TotScopes.All.Contains(declared.Scope))
            {
                throw new InvalidOperationException(
                    $"MCP tool '{name}' requires unknown scope '{declared.Scope}'; known scopes: {string.Join(", ", TotScopes.All)}.");
            }
            scopes[name] = declared.Scope;
        }
        _scopes = scopes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The scope <paramref name="toolName"/> needs, or null when no such tool exists.</summary>
    public string? RequiredScope(string toolName) => _scopes.GetValueOrDefault(toolName);

    public bool IsKnown(string toolName) => _scopes.ContainsKey(toolName);
}
