using Operations.Tests.Infrastructure;

namespace Operations.Tests.Deploy;

/// <summary>
/// Runs <c>deploy/deploy.sh</c> against a copy of the committed manifests, with the recording fake kubectl first on
/// PATH, and reads back what it called.
/// </summary>
public sealed class DeployScript : IDisposable
{
    public const string Domain = "company.test";
    public const string Registry = "reg.test:5000/team";
    public const string Tag = "2.0.1";
    public const string Audience = "https://mcp." + Domain + "/mcp";

    private readonly ScratchDirectory _scratch = new();

    public string Manifests => Path.Combine(_scratch.Path, "manifests");

    public string Output => Path.Combine(_scratch.Path, "out");

    public string KeyServiceSecrets => Path.Combine(Manifests, "keyservice", "keyservice.secret.env");

    public string RedisSecrets => Path.Combine(Manifests, "redis", "redis.secret.env");

    public string ClientSecretFile => Path.Combine(Output, "client-0.secret");

    public string Overlay => Path.Combine(Output, "overlay");

    private string Log => Path.Combine(_scratch.Path, "kubectl.log");

    public DeployScript()
    {
        CopyCommittedManifests(Manifests);
        var bin = Directory.CreateDirectory(Path.Combine(_scratch.Path, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "kubectl"), Path.Combine(AppContext.BaseDirectory, "Deploy", "fake-kubectl"));
        Environment = new(StringComparer.Ordinal)
        {
            ["PATH"] = bin + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
            ["REAL_KUBECTL"] = Tool.Find("kubectl", "kubectl 1.30+ with its bundled kustomize"),
            ["FAKE_KUBECTL_LOG"] = Log,
            ["FAKE_CONTEXT"] = "test-cluster",
            ["FAKE_EXISTING"] = "statefulset/redis deployment/keyservice deployment/totservice",
        };
    }

    /// <summary>The scenario the fake kubectl answers from (FAKE_* variables) and the script's own variables.</summary>
    public Dictionary<string, string> Environment { get; }

    public void ForwardTo(FakeServices services)
    {
        Environment["FAKE_PORT_keyservice"] = services.KeyServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Environment["FAKE_PORT_totservice"] = services.TotServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<Tool.Outcome> RunAsync(params string[] extra) =>
        Tool.RunAsync(
            Tool.Find("bash", "bash"),
            [Repository.PathOf("deploy", "deploy.sh"), "--domain", Domain, "--image-registry", Registry, "--tag", Tag,
             "--timeout", "30s", "--manifests", Manifests, "--output", Output, .. extra],
            environment: Environment,
            timeout: TimeSpan.FromMinutes(3));

    /// <summary>Copies the committed tree without any operator secret file, so runs never write into the repository.</summary>
    public static void CopyCommittedManifests(string target)
    {
        var source = Repository.PathOf("aspirate-output");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".secret.env", StringComparison.Ordinal)))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    /// <summary>Every kubectl call, arguments joined by spaces, in order.</summary>
    public IReadOnlyList<string> Calls() => File.Exists(Log) ? File.ReadAllLines(Log) : [];

    public IReadOnlyList<string> CallsOf(string verb) => Calls().Where(c => c.StartsWith(verb, StringComparison.Ordinal) || c.Contains(" " + verb, StringComparison.Ordinal)).ToList();

    public void Dispose() => _scratch.Dispose();
}
