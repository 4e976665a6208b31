using System.Net.Http.Headers;
using System.Text;
using KeyService.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Operations.Tests.Deploy;

/// <summary>
/// Loopback stand-ins for KeyService and TotService that the deploy script's checks reach through the fake
/// kubectl's port-forward. The token endpoint verifies the client secret against the hash the script generated,
/// with KeyService's own verifier, so a wrong hash format fails the round trip as it would in the cluster.
/// </summary>
public sealed class FakeServices : IAsyncDisposable
{
    private readonly WebApplication _keyService;
    private readonly WebApplication _totService;
    private readonly string _token = "token-" + Guid.NewGuid().ToString("N");

    /// <summary>Where the script writes <c>keyservice.secret.env</c>, read at each token request.</summary>
    public required string SecretEnvPath { get; init; }

    public required string ExpectedResource { get; init; }

    public bool EmptyJwks { get; init; }

    public bool RefuseTokens { get; init; }

    public List<string> TokenRequests { get; } = [];

    public int KeyServicePort => Port(_keyService);

    public int TotServicePort => Port(_totService);

    public FakeServices()
    {
        _keyService = Create(app =>
        {
            app.MapGet("/health", () => "Healthy");
            app.MapGet("/.well-known/jwks.json", () => Results.Text(
                EmptyJwks ? """{"keys":[]}""" : """{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"k1","n":"AQAB","e":"AQAB"}]}""", "application/json"));
            app.MapPost("/connect/token", async (HttpRequest request) =>
            {
                var form = await request.ReadFormAsync();
                var (client, secret) = BasicCredentials(request);
                TokenRequests.Add($"client={client} grant_type={form["grant_type"]} resource={form["resource"]}");
                return client == "dev" && ClientSecretHasher.Verify(secret, StoredHash()) && form["resource"] == ExpectedResource
                    ? Results.Json(new { access_token = _token, token_type = "Bearer", expires_in = 900 })
                    : Results.Json(new { error = "invalid_client" }, statusCode: 401);
            });
        });
        _totService = Create(app =>
        {
            app.MapGet("/health", () => "Healthy");
            app.MapPost("/mcp", (HttpRequest request) =>
                !RefuseTokens && request.Headers.Authorization.ToString() == "Bearer " + _token
                    ? Results.Json(new { jsonrpc = "2.0", id = 1, result = new { protocolVersion = "2025-06-18" } })
                    : Results.StatusCode(401));
        });
    }

    public async Task StartAsync()
    {
        await _keyService.StartAsync();
        await _totService.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _keyService.DisposeAsync();
        await _totService.DisposeAsync();
    }

    private string StoredHash() =>
        File.ReadLines(SecretEnvPath).Single(l => l.StartsWith("client-0-secret-hash=", StringComparison.Ordinal))["client-0-secret-hash=".Length..];

    private static (string Client, string Secret) BasicCredentials(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) || header.Scheme != "Basic" || header.Parameter is null)
        {
            return ("", "");
        }
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)).Split(':', 2);
        return pair.Length == 2 ? (pair[0], pair[1]) : ("", "");
    }

    private static WebApplication Create(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        return app;
    }

    private static int Port(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
}
