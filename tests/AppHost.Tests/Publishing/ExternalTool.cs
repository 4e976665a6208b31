using System.Diagnostics;

namespace AppHost.Tests.Publishing;

/// <summary>Runs kubectl, promtool or git to completion with a timeout; a missing tool fails the test with a clear message.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static string Require(string tool, string installHint)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
        Assert.True(path is not null, $"'{tool}' is not on PATH: {installHint}");
        return path!;
    }

    public static async Task<Result> RunAsync(string tool, string installHint, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Require(tool, installHint))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish within 60 s.");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    public static Task<Result> KubectlAsync(string workingDirectory, params string[] arguments) =>
        RunAsync("kubectl", "install kubectl 1.21+ (it bundles kustomize; Debian's 'kubernetes-client' 1.20 is too old to build a tree of folders).", workingDirectory, arguments);

    public static Task<Result> PromtoolAsync(string workingDirectory, params string[] arguments) =>
        RunAsync("promtool", "install Debian's 'prometheus' package (apt-get install prometheus); .ci/run does this in CI.", workingDirectory, arguments);

    public static Task<Result> GitAsync(string workingDirectory, params string[] arguments) =>
        RunAsync("git", "install git.", workingDirectory, arguments);
}
