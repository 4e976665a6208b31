using System.Collections.Frozen;
using ModelContextProtocol.Server;

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
            scopes[name] = RequiresScopeAttribute.DeclaredBy("tool", name, tool.Metadata);
        }
        _scopes = scopes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The scope <paramref name="toolName"/> needs, or null when no such tool exists.</summary>
    public string? RequiredScope(string toolName) => _scopes.GetValueOrDefault(toolName);

    public bool IsKnown(string toolName) => _scopes.ContainsKey(toolName);
}
