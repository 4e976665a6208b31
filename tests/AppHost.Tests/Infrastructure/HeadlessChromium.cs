using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AppModelTesting;

namespace AppHost.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol (one page, JSON commands on a WebSocket): no
/// Playwright driver, no downloaded browser. Disposing kills the browser and removes its profile.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static async Task<HeadlessChromium> LaunchAsync(TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("apphost-tests-chromium-").FullName;
        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-port=0",
            "--remote-allow-origins=*", $"--user-data-dir={profile}", "--window-size=1440,1000", "about:blank",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo)!;
        var browser = new HeadlessChromium(process, profile);
        try
        {
            var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, e) =>
            {
                const string marker = "DevTools listening on ";
                if (e.Data?.IndexOf(marker, StringComparison.Ordinal) is >= 0 and var at)
                {
                    endpoint.TrySetResult(new Uri(e.Data[(at + marker.Length)..].Trim()));
                }
            };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var browserSocket = await endpoint.Task.WaitAsync(timeout);

            // Attach to the page Chromium opened (its own WebSocket), found through the HTTP listing.
            using var http = new HttpClient { BaseAddress = new Uri($"http://{browserSocket.Authority}") };
            var pageSocket = await Eventually.ReachesAsync("Chromium to list the page it opened", timeout,
                async cancellationToken => (await http.GetFromJsonAsync<JsonArray>(new Uri("/json/list", UriKind.Relative), cancellationToken))
                    ?.FirstOrDefault(t => (string?)t?["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>(),
                socket => socket is not null, _ => "no page", TimeSpan.FromMilliseconds(100));
            await browser._socket.ConnectAsync(new Uri(pageSocket!), CancellationToken.None).WaitAsync(timeout);
            browser._receiving = browser.ReceiveAsync();
            await browser.SendAsync("Page.enable", null, timeout);
            await browser.SendAsync("Runtime.enable", null, timeout);
            await browser.SendAsync("Emulation.setDeviceMetricsOverride",
                new JsonObject { ["width"] = 1440, ["height"] = 1000, ["deviceScaleFactor"] = 1, ["mobile"] = false }, timeout);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    public int ProcessId => _process.Id;

    public async Task<JsonNode?> SendAsync(string method, JsonObject? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
        try
        {
            return await reply.Task.WaitAsync(timeout);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public Task NavigateAsync(Uri url, TimeSpan timeout) =>
        SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() }, timeout);

    /// <summary>Evaluates a JavaScript expression in the page and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, TimeSpan timeout)
    {
        var result = await SendAsync("Runtime.evaluate",
            new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, timeout);
        if (result?["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"JavaScript failed: {exception.ToJsonString()}");
        }
        return result?["result"]?["value"];
    }

    /// <summary>Polls <paramref name="expression"/> until it is true; on timeout fails with <paramref name="describe"/>'s value.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout, string describe = "document.body ? document.body.innerText.slice(0, 2000) : ''")
    {
        try
        {
            await Eventually.TrueAsync($"`{expression}`", timeout, async _ =>
            {
                try
                {
                    return await EvaluateAsync($"Boolean({expression})", TimeSpan.FromSeconds(5)) is JsonValue value && value.GetValue<bool>();
                }
                catch (InvalidOperationException)
                {
                    // The page is navigating; try again.
                    return false;
                }
            }, TimeSpan.FromMilliseconds(250));
        }
        catch (TimeoutException waited)
        {
            var state = await EvaluateAsync(describe, TimeSpan.FromSeconds(5));
            throw new TimeoutException($"{waited.Message} Page shows:\n{state}");
        }
    }

    public async Task ScreenshotAsync(string path, TimeSpan timeout)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true }, timeout);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result!["data"]!.GetValue<string>()));
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }
                var node = JsonNode.Parse(message.ToArray());
                message.SetLength(0);
                if (node?["id"]?.GetValue<int>() is { } id && _pending.TryGetValue(id, out var reply))
                {
                    if (node["error"] is { } error)
                    {
                        reply.TrySetException(new InvalidOperationException($"DevTools error: {error.ToJsonString()}"));
                    }
                    else
                    {
                        reply.TrySetResult(node["result"]);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or JsonException)
        {
        }
        foreach (var reply in _pending.Values)
        {
            reply.TrySetException(new InvalidOperationException("The DevTools connection closed."));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
        _closing.Dispose();
        _sendLock.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A crash-reporter file still being written; the temp folder is swept eventually.
        }
    }
}
