using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Resilience.Tests.Infrastructure;

/// <summary>What one request of the load loop got: an HTTP status, or a transport error (no response at all).</summary>
public sealed record Outcome(TimeSpan At, string Kind, string Service, int Instance, int? Status, string? Error)
{
    public override string ToString() =>
        $"{At.TotalSeconds:0.00}s {Kind} {Service}-{Instance}: {(Status is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : Error)}";
}

/// <summary>
/// A bounded background load on every instance: token requests and JWKS reads on KeyService, MCP whoami calls on
/// TotService. Like a real MCP client, the calls reuse one token and switch to a freshly issued one every
/// <see cref="TokenReuse"/>, so tokens issued before a fault keep being presented during and after it. Every answer
/// is recorded. MCP sessions live in one instance's memory, so a
/// session lost with its instance (404) is reopened; that is the documented behaviour of stateful MCP, not an error.
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan TokenReuse = TimeSpan.FromSeconds(5);
    private readonly ResilienceAppModel _model;
    private readonly CancellationTokenSource _stop = new(MaxDuration);
    private readonly ConcurrentQueue<Outcome> _outcomes = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Task> _workers = [];
    private readonly TimeSpan _pause;
    private readonly int _instances;
    private volatile string _token;
    private long _tokenSince;

    private SteadyLoad(ResilienceAppModel model, string token, TimeSpan pause, int instances)
    {
        _model = model;
        _token = token;
        _pause = pause;
        _instances = instances;
    }

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>When the load began; outcome times are relative to it.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public IReadOnlyList<Outcome> Outcomes => [.. _outcomes];

    /// <summary>
    /// <paramref name="workers"/> loops, each pausing <paramref name="pause"/> between rounds, over the first
    /// <paramref name="instances"/> instances of each service (all of them by default).
    /// </summary>
    public static async Task<SteadyLoad> StartAsync(ResilienceAppModel model, int workers = 4, TimeSpan? pause = null, int? instances = null)
    {
        var load = new SteadyLoad(model, await model.GetTokenAsync("tot:read"), pause ?? TimeSpan.FromMilliseconds(20), instances ?? model.Instances);
        for (var i = 0; i < workers; i++)
        {
            var worker = i;
            load._workers.Add(Task.Run(() => load.RunAsync(worker)));
        }
        return load;
    }

    private async Task RunAsync(int worker)
    {
        // A request without an answer in 10 s counts as a transport error; two busy cores answer slower than 5 s at times.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var instances = _instances;
        var sessions = new string?[instances];
        var round = worker;
        while (!_stop.IsCancellationRequested)
        {
            var instance = round++ % instances;
            await TokenAsync(http, instance);
            await JwksAsync(http, instance);
            sessions[instance] = await McpAsync(http, instance, sessions[instance]);
            try
            {
                await Task.Delay(_pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private Task TokenAsync(HttpClient http, int instance) => RecordAsync("token", "keyservice", instance, async () =>
    {
        using var request = ResilienceAppModel.TokenRequest(_model.Endpoint("keyservice", instance), "dev", _model.DevClientSecret, _model.Audience, "tot:read");
        using var response = await http.SendAsync(request, _stop.Token);
        var body = await response.Content.ReadAsStringAsync(_stop.Token);
        var since = Interlocked.Read(ref _tokenSince);
        if (response.IsSuccessStatusCode && _clock.Elapsed.Ticks - since > TokenReuse.Ticks
            && Interlocked.CompareExchange(ref _tokenSince, _clock.Elapsed.Ticks, since) == since)
        {
            _token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        }
        return (int)response.StatusCode;
    });

    private Task JwksAsync(HttpClient http, int instance) => RecordAsync("jwks", "keyservice", instance, async () =>
    {
        using var response = await http.GetAsync(new Uri(_model.Endpoint("keyservice", instance), "/.well-known/jwks.json"), _stop.Token);
        return (int)response.StatusCode;
    });

    private async Task<string?> McpAsync(HttpClient http, int instance, string? session)
    {
        var endpoint = _model.McpEndpoint(instance);
        var token = _token;
        if (session is null)
        {
            string? opened = null;
            await RecordAsync("mcp-initialize", "totservice", instance, async () =>
            {
                var (id, status) = await McpWire.OpenSessionAsync(http, endpoint, token, _stop.Token);
                opened = id;
                return status;
            });
            return opened;
        }

        var keep = session;
        await RecordAsync("mcp-whoami", "totservice", instance, async () =>
        {
            var (status, ok) = await McpWire.WhoAmIAsync(http, endpoint, token, session, _stop.Token);
            if (status == 404)
            {
                keep = null; // the instance restarted: its sessions are gone, open a new one
            }
            return status == 200 && !ok ? 299 : status; // 299 marks a 200 whose tool result was an error
        });
        return keep;
    }

    private async Task RecordAsync(string kind, string service, int instance, Func<Task<int>> send)
    {
        var at = _clock.Elapsed;
        try
        {
            var status = await send();
            _outcomes.Enqueue(new Outcome(at, kind, service, instance, status, null));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            _outcomes.Enqueue(new Outcome(at, kind, service, instance, null, ex.GetType().Name));
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
