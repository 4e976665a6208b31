using System.Diagnostics;
using System.Reflection;
using System.Text;
using AppHost.Hosting;

namespace AppHost.Tests.Infrastructure;

/// <summary>The AppHost as users run it: its own OS process, random ports, a throw-away data folder.</summary>
internal sealed class AppHostProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly string _dataDirectory;

    private AppHostProcess(Process process, string dataDirectory)
    {
        Process = process;
        _dataDirectory = dataDirectory;
    }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<AppHostProcess> StartAsync(params (string Name, string Value)[] environment)
    {
        var configuration = typeof(DistributedApplication).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var assembly = Path.Combine(DistributedApplicationBuilder.AppHostDirectory, "bin", configuration, "net10.0", "AppHost.dll");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "apphost-tests", Guid.NewGuid().ToString("N"));
        var startInfo = new ProcessStartInfo("dotnet", [assembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["AppHost__RandomPorts"] = "true";
        startInfo.Environment["AppHost__DataDirectory"] = dataDirectory;
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var apphost = new AppHostProcess(Process.Start(startInfo)!, dataDirectory);
        apphost.Process.OutputDataReceived += (_, e) => apphost.Append(e.Data);
        apphost.Process.ErrorDataReceived += (_, e) => apphost.Append(e.Data);
        apphost.Process.BeginOutputReadLine();
        apphost.Process.BeginErrorReadLine();
        return Task.FromResult(apphost);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"The AppHost exited with {Process.ExitCode} before printing '{text}':\n{Output}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The AppHost did not print '{text}' within {timeout}:\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    public async Task<IReadOnlyList<int>> WaitForHealthyChildrenAsync(int expected)
    {
        await WaitForOutputAsync("All resources are healthy.", TestTimeouts.Startup);
        var children = ProcessInspector.ChildrenOf(Process.Id);
        Assert.Equal(expected, children.Count);
        return children;
    }

    public void SendSigInt()
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-INT", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
