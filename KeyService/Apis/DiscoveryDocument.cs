using System.Text.Json;
using KeyService.Options;
using KeyService.Tokens;
using Microsoft.Extensions.Options;

namespace KeyService.Apis;

/// <summary>RFC 8414 authorization server metadata, built once from configuration (it never changes at run time).</summary>
public sealed class DiscoveryDocument(IOptions<KeyServiceOptions> options, ClientRegistry clients)
{
    private readonly Lazy<byte[]> _bytes = new(() => Build(options.Value, clients));

    public byte[] Bytes => _bytes.Value;

    public static string Url(string issuer, string path) => issuer.TrimEnd('/') + path;

    private static byte[] Build(KeyServiceOptions options, ClientRegistry clients) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["issuer"] = options.Issuer,
        ["jwks_uri"] = Url(options.Issuer, JwksApi.Path),
        ["token_endpoint"] = Url(options.Issuer, TokenApi.Path),
        ["grant_types_supported"] = new[] { "client_credentials" },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" },
        ["scopes_supported"] = clients.AllScopes,
        // No authorization endpoint: the only grant is client credentials.
        ["response_types_supported"] = Array.Empty<string>(),
    });
}
