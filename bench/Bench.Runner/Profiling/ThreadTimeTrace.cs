using System.Diagnostics;
using System.Globalization;
using Bench.Runner.Infrastructure;

namespace Bench.Runner.Profiling;

/// <summary>
/// Records a process's managed stacks with dotnet-trace (from the repository's tool manifest; EventPipe, no root, no
/// kernel events) using the <c>dotnet-sampled-thread-time</c> profile (every managed thread about 100 times a second)
/// and converts it to Speedscope JSON, which <see cref="ManagedTimeProfile"/> reads.
/// </summary>
public static class ThreadTimeTrace
{
    /// <summary>Starts a trace of <paramref name="duration"/>; the task ends with the Speedscope file's path.</summary>
    public static async Task<Task<string>> StartAsync(int pid, TimeSpan duration, string outputStem, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(outputStem)!);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "dotnet-trace", "collect", "-p", pid.ToString(CultureInfo.InvariantCulture),
            "--profile", "dotnet-sampled-thread-time", "--format", "Speedscope",
            "--duration", duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture),
            "-o", outputStem + ".nettrace",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start.");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (output)
            {
                output.Add(e.Data);
            }
            // dotnet-trace prints the session's providers, the process, the output file and the duration once the session runs.
            if (e.Data.StartsWith("Trace Duration", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync(cancellationToken);
        if (await Task.WhenAny(started.Task, exited, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken)) != started.Task)
        {
            throw new InvalidOperationException("dotnet-trace did not start recording: " + string.Join(" | ", output));
        }
        return FinishAsync(process, outputStem, output, cancellationToken);
    }

    private static async Task<string> FinishAsync(Process process, string outputStem, List<string> output, CancellationToken cancellationToken)
    {
        using (process)
        {
            await process.WaitForExitAsync(cancellationToken);
            var speedscope = outputStem + ".speedscope.json";
            if (process.ExitCode != 0 || !File.Exists(speedscope))
            {
                throw new InvalidOperationException($"dotnet-trace exited with {process.ExitCode}: " + string.Join(" | ", output));
            }
            File.Delete(outputStem + ".nettrace"); // the Speedscope file holds what is read; the raw trace is large
            return speedscope;
        }
    }
}
