using KeyService.Options;
using Microsoft.Extensions.Options;

namespace KeyService.Tokens;

/// <summary>The clients configured under <c>KeyService:Clients</c>, by id.</summary>
public sealed class ClientRegistry(IOptions<KeyServiceOptions> options)
{
    private readonly Dictionary<string, ClientOptions> _clients =
        options.Value.Clients.ToDictionary(c => c.ClientId, StringComparer.Ordinal);

    public ClientOptions? Find(string clientId) => _clients.GetValueOrDefault(clientId);

    /// <summary>Every scope some client may ask for (for the metadata documents).</summary>
    public IReadOnlyList<string> AllScopes =>
        [.. _clients.Values.SelectMany(c => c.AllowedScopes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
