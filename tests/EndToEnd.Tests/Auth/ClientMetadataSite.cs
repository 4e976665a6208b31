using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EndToEnd.Tests.Auth;

/// <summary>
/// An MCP client's web site on https at <c>127.0.0.1:0</c>, serving its Client ID Metadata Document (the URL is the
/// client's id), and counting how often KeyService fetched it.
/// </summary>
public sealed class ClientMetadataSite : IAsyncDisposable
{
    private const string DocumentPath = "/oauth/client-metadata.json";

    private readonly WebApplication _app;
    private int _fetches;

    private ClientMetadataSite(WebApplication app) => _app = app;

    public Uri DocumentUri => new(new Uri(_app.Urls.Single()), DocumentPath);

    public int Fetches => Volatile.Read(ref _fetches);

    public static async Task<ClientMetadataSite> StartAsync(X509Certificate2 certificate, Uri redirectUri, string clientName)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var site = new ClientMetadataSite(app);
        app.MapGet(DocumentPath, (HttpContext context) =>
        {
            Interlocked.Increment(ref site._fetches);
            context.Response.Headers.CacheControl = "max-age=300";
            return Results.Json(new Document(site.DocumentUri.AbsoluteUri, clientName, [redirectUri.AbsoluteUri], "none"));
        });
        await app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        return site;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TestContext.Current.CancellationToken);
        await _app.DisposeAsync();
    }

    private sealed record Document(
        [property: JsonPropertyName("client_id")] string ClientId,
        [property: JsonPropertyName("client_name")] string ClientName,
        [property: JsonPropertyName("redirect_uris")] string[] RedirectUris,
        [property: JsonPropertyName("token_endpoint_auth_method")] string TokenEndpointAuthMethod);
}
