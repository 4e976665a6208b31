using System.Text.Json.Nodes;
using AppHost.Publishing.Kubernetes;
using AppHost.Publishing.Monitoring;
using k8s;
using Microsoft.Extensions.Configuration;

namespace AppHost.Tests.Publishing;

/// <summary>Where the committed deployment files are, and how to produce fresh ones through the generator's entry point.</summary>
internal static class PublishedOutput
{
    /// <summary>The folder holding <c>Aspire.sln</c>, found upwards from the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string AspirateOutput => Path.Combine(RepositoryRoot, "aspirate-output");

    public static string Manifest => Path.Combine(RepositoryRoot, "AppHost", "aspire-manifest.json");

    /// <summary>The AppHost as built with these tests (same configuration: <c>bin/{Configuration}/{framework}</c>).</summary>
    public static string AppHostAssembly
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory);
            var path = Path.Combine(RepositoryRoot, "AppHost", "bin", framework.Parent!.Name, framework.Name, "AppHost.dll");
            Assert.True(File.Exists(path), $"{path} is not built: build tests/AppHost.Tests (it references the AppHost).");
            return path;
        }
    }

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

    /// <summary>Configuration as the AppHost's command line gives it, e.g. <c>--Publishing:Kubernetes:Namespace=x</c>.</summary>
    public static IConfiguration Configuration(params string[] args) => new ConfigurationBuilder().AddCommandLine(args).Build();

    /// <summary>Writes the tree from <paramref name="manifestPath"/> through the public entry point.</summary>
    public static Task WriteAsync(string manifestPath, string outputPath, params string[] args) =>
        KubernetesGenerator.WriteAsync(manifestPath, Configuration(args), outputPath, TestContext.Current.CancellationToken);

    /// <summary>The committed manifest, to change into a variant.</summary>
    public static JsonObject ManifestJson() => JsonNode.Parse(File.ReadAllText(Manifest))!.AsObject();

    /// <summary>The files generated from a manifest (JSON text) with command-line style settings.</summary>
    public static SortedDictionary<string, string> Generate(string manifestJson, params string[] args)
    {
        var configuration = Configuration(args);
        return KubernetesGenerator.Generate(AspireManifest.Parse(manifestJson), KubernetesGenerator.BindOptions(configuration), configuration);
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

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Aspire.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Aspire.sln.");
    }
}

/// <summary>A temporary folder removed at dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("apphost-publishing-").FullName;

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
