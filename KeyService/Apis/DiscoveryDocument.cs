using System.Text.Json;
using KeyService.Authorization;
using KeyService.Options;
using KeyService.Tokens;
using Microsoft.Extensions.Options;

namespace KeyService.Apis;

/// <summary>RFC 8414 authorization server metadata, built once from configuration (it never changes at run time).</summary>
public sealed class DiscoveryDocument(IOptions<KeyServiceOptions> options, IOptions<AuthorizationOptions> interactive, ClientRegistry clients)
{
    private readonly Lazy<byte[]> _bytes = new(() => Build(options.Value, interactive.Value, clients));

    public byte[] Bytes => _bytes.Value;

    public static string Url(string issuer, string path) => issuer.TrimEnd('/') + path;

    private static byte[] Build(KeyServiceOptions options, AuthorizationOptions interactive, ClientRegistry clients)
    {
        var metadata = new Dictionary<string, object>
        {
            ["issuer"] = options.Issuer,
            ["jwks_uri"] = Url(options.Issuer, JwksApi.Path),
            ["token_endpoint"] = Url(options.Issuer, TokenApi.Path),
            ["grant_types_supported"] = new[] { "client_credentials" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" },
            ["scopes_supported"] = clients.AllScopes,
            // No authorization endpoint while nobody can sign in: the only grant is client credentials.
            ["response_types_supported"] = Array.Empty<string>(),
        };
        if (interactive.Enabled)
        {
            metadata["authorization_endpoint"] = Url(options.Issuer, AuthorizeApi.Path);
            metadata["response_types_supported"] = new[] { "code" };
            metadata["response_modes_supported"] = new[] { "query" };
            metadata["grant_types_supported"] = new[] { "client_credentials", "authorization_code", "refresh_token" };
            metadata["code_challenge_methods_supported"] = new[] { "S256" };
            metadata["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "none" };
            metadata["revocation_endpoint"] = Url(options.Issuer, RevocationApi.Path);
            metadata["revocation_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "none" };
            metadata["authorization_response_iss_parameter_supported"] = true;
            metadata["registration_endpoint"] = Url(options.Issuer, RegistrationApi.Path);
            metadata["client_id_metadata_document_supported"] = interactive.ClientMetadataDocuments;
            metadata["scopes_supported"] = clients.AllScopes.Union(interactive.UserScopes, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        }
        return JsonSerializer.SerializeToUtf8Bytes(metadata);
    }
}
