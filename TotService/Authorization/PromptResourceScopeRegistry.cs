using System.Collections.Frozen;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TotService.Authorization;

/// <summary>
/// The scope a <c>prompts/get</c> or <c>resources/read</c> needs, built once from every registered
/// <see cref="McpServerPrompt"/> and <see cref="McpServerResource"/> (each must declare one, as tools must), so the
/// perimeter can answer 403 <c>insufficient_scope</c> before the SDK is reached. Prompt names compare ignoring case
/// (fail closed, as for tools); a resource URI is judged by every template it matches, as the SDK would pick one of them.
/// </summary>
public sealed class PromptResourceScopeRegistry
{
    private readonly FrozenDictionary<string, string> _prompts;
    private readonly IReadOnlyList<(McpServerResource Resource, string Scope)> _resources;

    public PromptResourceScopeRegistry(IEnumerable<McpServerPrompt> prompts, IEnumerable<McpServerResource> resources)
    {
        _prompts = prompts.ToFrozenDictionary(
            prompt => prompt.ProtocolPrompt.Name,
            prompt => RequiresScopeAttribute.DeclaredBy("prompt", prompt.ProtocolPrompt.Name, prompt.Metadata),
            StringComparer.OrdinalIgnoreCase);
        _resources = [.. resources.Select(resource => (resource,
            RequiresScopeAttribute.DeclaredBy("resource", resource.ProtocolResourceTemplate.UriTemplate, resource.Metadata)))];
    }

    /// <summary>
    /// The scopes <paramref name="method"/> on <paramref name="name"/> (a prompt name or a resource URI) needs: empty
    /// when it names nothing this server has (the SDK then answers that it does not exist) or another method.
    /// </summary>
    public IEnumerable<string> RequiredScopes(string method, string name) => method switch
    {
        RequestMethods.PromptsGet => _prompts.TryGetValue(name, out var scope) ? [scope] : [],
        RequestMethods.ResourcesRead => _resources.Where(r => r.Resource.IsMatch(name)).Select(r => r.Scope).Distinct(),
        _ => [],
    };
}
