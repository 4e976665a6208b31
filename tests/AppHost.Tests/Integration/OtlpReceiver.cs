using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AppHost.Tests.Integration;

/// <summary>
/// An OTLP/HTTP receiver on loopback standing where the dashboard's OTLP endpoint would be: it keeps every export
/// (signal and raw protobuf body), so a test can tell which service sent what.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Signal, byte[] Body)> Exports { get; } = new();

    public Uri Url => new(_app.Urls.First());

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.Exports.Enqueue((signal, body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Exports of a signal whose payload names the service (its <c>service.name</c> resource attribute).</summary>
    public IEnumerable<byte[]> From(string signal, string serviceName)
    {
        var name = Encoding.UTF8.GetBytes(serviceName);
        return Exports.Where(e => e.Signal == signal && e.Body.AsSpan().IndexOf(name) >= 0).Select(e => e.Body);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
