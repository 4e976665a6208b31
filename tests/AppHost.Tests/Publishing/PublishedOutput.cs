using AppHost.Hosting;
using AppHost.Hosting.Testing;
using AppHost.Publishing.Monitoring;
using k8s;

namespace AppHost.Tests.Publishing;

/// <summary>Where the committed deployment files are, and how to produce fresh ones through the real entry point.</summary>
internal static class PublishedOutput
{
    public static string RepositoryRoot => DistributedApplicationBuilder.RepositoryRoot;

    public static string AspirateOutput => Path.Combine(RepositoryRoot, "aspirate-output");

    public static string Manifest => Path.Combine(RepositoryRoot, "AppHost", "aspire-manifest.json");

    public static string PromtoolTests => Path.Combine(RepositoryRoot, "deploy", "prometheus", "alert-rules.test.yaml");

    /// <summary>The week-long cases, in their own file because they need an hourly evaluation interval.</summary>
    public static string PromtoolRotationTests => Path.Combine(RepositoryRoot, "deploy", "prometheus", "alert-rules.rotation.test.yaml");

    /// <summary>Prometheus Operator kinds, which KubernetesClient does not know.</summary>
    public static readonly Dictionary<string, Type> CustomTypes = new(StringComparer.Ordinal)
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(V1ServiceMonitor),
        ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(V1PrometheusRule),
    };

    /// <summary>The operator's real secret files: git-ignored, never generated.</summary>
    public static bool IsOperatorSecretFile(string relativePath) => relativePath.EndsWith(".secret.env", StringComparison.Ordinal);

    /// <summary>Runs the AppHost's Program with <c>--publisher NAME --output-path PATH</c> (plus <paramref name="extraArgs"/>).</summary>
    public static async Task<int> PublishAsync(string publisher, string outputPath, params string[] extraArgs)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(
            ["--publisher", publisher, "--output-path", outputPath, .. extraArgs]);
        await using var app = await builder.BuildAsync();
        return await app.RunAsync();
    }

    /// <summary>Relative path (forward slashes) to content, for every file under <paramref name="root"/>.</summary>
    public static SortedDictionary<string, byte[]> ReadTree(string root) =>
        new(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes), StringComparer.Ordinal);

    /// <summary>Copies a tree and fills every <c>*.secret.env.example</c> into its <c>*.secret.env</c> with dummy values.</summary>
    public static void CopyWithDummySecrets(string source, string target)
    {
        foreach (var (path, content) in ReadTree(source).Where(f => !IsOperatorSecretFile(f.Key)))
        {
            var file = Path.Combine(target, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, content);
            if (path.EndsWith(".secret.env.example", StringComparison.Ordinal))
            {
                var lines = File.ReadAllLines(file).Select(l => l.EndsWith('=') ? l + "dummy-" + l.TrimEnd('=') : l);
                File.WriteAllLines(file[..^".example".Length], lines);
            }
        }
    }

    public static List<object> LoadStrict(string yaml) => KubernetesYaml.LoadAllFromString(yaml, CustomTypes, strict: true);
}

/// <summary>A temporary folder removed at dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "apphost-publishing-" + Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
