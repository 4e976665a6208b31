using System.Diagnostics;

namespace Operations.Tests.Infrastructure;

/// <summary>
/// Runs a command line tool to completion within a bound. A tool that is not installed fails the test with the
/// package that brings it, never a silent pass.
/// </summary>
public static class Tool
{
    public sealed record Outcome(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static string Find(string name, string package)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        Assert.True(found is not null, $"'{name}' is not on PATH: install {package}.");
        return found!;
    }

    public static async Task<Outcome> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory ?? Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', arguments)} did not finish within {limit}: {await output}{await error}");
        }
        return new Outcome(process.ExitCode, await output, await error);
    }

    public static Task<Outcome> PromtoolAsync(params string[] arguments) =>
        RunAsync(Find("promtool", "Debian's 'prometheus' package (apt-get install prometheus)"), arguments);

    public static Task<Outcome> KubectlAsync(params string[] arguments) =>
        RunAsync(Find("kubectl", "kubectl 1.30+ with its bundled kustomize (GitHub's Ubuntu runners have it; elsewhere the Kubernetes apt repository's 'kubectl' package)"), arguments);
}

/// <summary>A throw-away folder, removed at dispose.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("operations-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
