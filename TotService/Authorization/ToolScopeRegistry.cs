using System.Collections.Frozen;
using ModelContextProtocol.Server;

namespace TotService.Authorization;

/// <summary>Tool name → required scope, built once from every registered <see cref="McpServerTool"/>.</summary>
public sealed class ToolScopeRegistry
{
    private readonly FrozenDictionary<string, string> _scopes;

    public ToolScopeRegistry(IEnumerable<McpServerTool> tools)
    {
        var scopes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            var name = tool.ProtocolTool.Name;
            // Metadata lists class attributes before method attributes, so the last one is the most specific.
            var declared = tool.Metadata.OfType<RequiresScopeAttribute>().LastOrDefault()
                ?? throw new InvalidOperationException(
                    $"MCP tool '{name}' declares no scope: add [RequiresScope(TotScopes.Read)] or [RequiresScope(TotScopes.Write)] to it.");
            if (!TotScopes.All.Contains(declared.Scope))
            {
                throw new InvalidOperationException(
                    $"MCP tool '{name}' requires unknown scope '{declared.Scope}'; known scopes: {string.Join(", ", TotScopes.All)}.");
            }
            scopes[name] = declared.Scope;
        }
        _scopes = scopes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The scope <paramref name="toolName"/> needs, or null when no such tool exists.</summary>
    public string? RequiredScope(string toolName) => _scopes.GetValueOrDefault(toolName);

    public bool IsKnown(string toolName) => _scopes.ContainsKey(toolName);
}
