using k8s;
using k8s.Models;
using Operations.Tests.Infrastructure;

namespace Operations.Tests.Deploy;

/// <summary>Any Prometheus Operator object: only its kind and metadata are typed.</summary>
[KubernetesEntity(Group = "monitoring.coreos.com", ApiVersion = "v1")]
public sealed class MonitoringResource : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public Dictionary<string, object> Spec { get; set; } = [];
}

/// <summary>
/// One <c>deploy.sh --dry-run</c> over the committed manifests, into another namespace, domain, registry and tag,
/// with a recording kubectl that only lets <c>kustomize</c> through; its rendered output loaded strictly.
/// </summary>
public sealed class DryRunFixture : IAsyncLifetime
{
    public const string Namespace = "ops-ns";

    private readonly ScratchDirectory _scratch = new();
    private string[] _secretFilesBefore = [];

    public Tool.Outcome Result { get; private set; } = new(-1, "", "");

    public IReadOnlyList<string> Calls { get; private set; } = [];

    public IReadOnlyList<string> SecretFilesBefore => _secretFilesBefore;

    public string Output => Path.Combine(_scratch.Path, "out");

    public string RenderedYaml { get; private set; } = "";

    public List<object> Objects { get; private set; } = [];

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public static string[] SecretFiles() =>
        Directory.GetFiles(Repository.PathOf("aspirate-output"), "*.secret.env", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    public async ValueTask InitializeAsync()
    {
        _secretFilesBefore = SecretFiles();
        var bin = Directory.CreateDirectory(_scratch.File("bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "kubectl"), Path.Combine(AppContext.BaseDirectory, "Deploy", "fake-kubectl"));
        var log = _scratch.File("kubectl.log");
        Result = await Tool.RunAsync(
            Tool.Find("bash", "bash"),
            [Repository.PathOf("deploy", "deploy.sh"), "--dry-run", "--domain", DeployScript.Domain, "--image-registry", DeployScript.Registry,
             "--tag", DeployScript.Tag, "--namespace", Namespace, "--output", Output],
            environment: new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["REAL_KUBECTL"] = Tool.Find("kubectl", "kubectl 1.30+ with its bundled kustomize"),
                ["FAKE_KUBECTL_LOG"] = log,
            });
        Calls = File.Exists(log) ? File.ReadAllLines(log) : [];
        var rendered = Path.Combine(Output, "rendered.yaml");
        if (File.Exists(rendered))
        {
            RenderedYaml = File.ReadAllText(rendered);
            Objects = KubernetesYaml.LoadAllFromString(RenderedYaml, new Dictionary<string, Type>(StringComparer.Ordinal)
            {
                ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(MonitoringResource),
                ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(MonitoringResource),
            }, strict: true);
        }
    }

    public ValueTask DisposeAsync()
    {
        _scratch.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Pod templates of the Deployments and StatefulSets.</summary>
    public IEnumerable<(string Name, V1PodTemplateSpec Template)> Workloads() =>
        All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))
            .Concat(All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template)));

    public T Named<T>(string name) where T : IKubernetesObject<V1ObjectMeta> => Assert.Single(All<T>(), o => o.Metadata.Name == name);
}
