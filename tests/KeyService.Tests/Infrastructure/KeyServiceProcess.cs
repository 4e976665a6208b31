using System.Diagnostics;
using System.Text.RegularExpressions;

namespace KeyService.Tests.Infrastructure;

/// <summary>
/// KeyService as a real OS process (<c>dotnet exec KeyService.dll</c> with the test output's runtime config), configured
/// through environment variables exactly as the AppHost will configure it, on a port chosen by Kestrel.
/// </summary>
public sealed partial class KeyServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private KeyServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public static async Task<KeyServiceProcess> StartAsync(IDictionary<string, string?> settings)
    {
        var directory = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet",
        [
            "exec",
            "--runtimeconfig", Path.Combine(directory, "KeyService.Tests.runtimeconfig.json"),
            "--depsfile", Path.Combine(directory, "KeyService.Tests.deps.json"),
            Path.Combine(directory, "KeyService.dll"),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start KeyService.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && ListeningOn().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new KeyServiceProcess(process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public Task WaitForHealthAsync(TimeSpan? timeout = null) => Readiness.WaitAsync(Client, "Healthy", timeout ?? TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
