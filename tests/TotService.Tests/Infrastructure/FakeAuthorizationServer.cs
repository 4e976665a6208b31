using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TotService.Tests.Infrastructure;

/// <summary>
/// A stand-in for KeyService on real Kestrel: serves openid-configuration and jwks.json from test keys,
/// counts requests per path, and can rotate keys and be stopped and restarted on the same port.
/// </summary>
public sealed class FakeAuthorizationServer : IAsyncDisposable
{
    public const string JwksPath = "/.well-known/jwks.json";
    public const string MetadataPath = "/.well-known/openid-configuration";

    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private ImmutableList<TestSigningKey> _published;
    private int _notReadyAnswers;
    private WebApplication? _app;
    private int _port;

    private FakeAuthorizationServer(string issuer, IEnumerable<TestSigningKey> keys)
    {
        Issuer = issuer;
        _published = [.. keys];
    }

    /// <summary>The public issuer; deliberately not the address the server listens on (as in Kubernetes).</summary>
    public string Issuer { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}");

    public int JwksRequests => _requests.GetValueOrDefault(JwksPath);

    public int TotalRequests => _requests.Values.Sum();

    public static async Task<FakeAuthorizationServer> StartAsync(string issuer, params TestSigningKey[] keys)
    {
        var server = new FakeAuthorizationServer(issuer, keys);
        await server.StartAsync();
        return server;
    }

    public void Publish(TestSigningKey key) => ImmutableInterlocked.Update(ref _published, list => list.Add(key));

    public void Unpublish(TestSigningKey key) => ImmutableInterlocked.Update(ref _published, list => list.Remove(key));

    /// <summary>The next <paramref name="answers"/> JWKS answers are 503, as from a KeyService replica that has not read its key ring yet.</summary>
    public void AnswerNotReady(int answers = 1) => Interlocked.Exchange(ref _notReadyAnswers, answers);

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Starts again on the port it had, so the address the service was given stays valid.</summary>
    public Task RestartAsync() => StartAsync();

    private async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            _requests.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, count) => count + 1);
            await next(context);
        });
        app.MapGet(MetadataPath, () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = Issuer.TrimEnd('/') + JwksPath,
            ["token_endpoint"] = Issuer.TrimEnd('/') + "/connect/token",
        }));
        app.MapGet(JwksPath, () => TakeNotReadyAnswer()
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new { keys = _published.Select(key => key.PublicJwk()).ToArray() }));
        await app.StartAsync();
        _port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    private bool TakeNotReadyAnswer()
    {
        var left = Volatile.Read(ref _notReadyAnswers);
        while (left > 0)
        {
            var seen = Interlocked.CompareExchange(ref _notReadyAnswers, left - 1, left);
            if (seen == left)
            {
                return true;
            }
            left = seen;
        }
        return false;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
