using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KeyService.Tests.Authorization;

/// <summary>
/// A client's web site on Kestrel at <c>http://127.0.0.1:0</c>, serving metadata documents good and hostile:
/// <c>/good</c>, <c>/redirect</c>, <c>/huge</c>, <c>/slow</c>, <c>/text</c>, <c>/other</c>; it counts the requests.
/// </summary>
public sealed class MetadataDocumentHost : IAsyncDisposable
{
    public const string RedirectUri = "http://127.0.0.1/cimd/callback";

    private readonly WebApplication _app;
    private int _requests;

    private MetadataDocumentHost(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.Single());

    public int Requests => Volatile.Read(ref _requests);

    public string Url(string path) => new Uri(Address, path).AbsoluteUri;

    public static async Task<MetadataDocumentHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var host = new MetadataDocumentHost(app);
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref host._requests);
            return next(context);
        });
        app.MapGet("/good", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "max-age=300";
            return Results.Json(host.Document(host.Url("/good")));
        });
        app.MapGet("/redirect", () => Results.Redirect("/good"));
        app.MapGet("/huge", (HttpContext context) => Results.Json(host.Document(host.Url("/huge")) with { ClientName = new string('x', 100_000) }));
        app.MapGet("/slow", async (CancellationToken cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            return Results.Json(host.Document(host.Url("/slow")));
        });
        app.MapGet("/text", () => Results.Text(JsonSerializer.Serialize(host.Document(host.Url("/text"))), "text/plain"));
        app.MapGet("/other", () => Results.Json(host.Document("https://other.example/client")));
        await app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        return host;
    }

    private MetadataDocument Document(string clientId) => new(clientId, "Metadata Client", [RedirectUri], "none");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TestContext.Current.CancellationToken);
        await _app.DisposeAsync();
    }

    private sealed record MetadataDocument(
        [property: System.Text.Json.Serialization.JsonPropertyName("client_id")] string ClientId,
        [property: System.Text.Json.Serialization.JsonPropertyName("client_name")] string ClientName,
        [property: System.Text.Json.Serialization.JsonPropertyName("redirect_uris")] string[] RedirectUris,
        [property: System.Text.Json.Serialization.JsonPropertyName("token_endpoint_auth_method")] string TokenEndpointAuthMethod);
}
