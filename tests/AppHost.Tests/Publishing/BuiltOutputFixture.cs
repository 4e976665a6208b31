using k8s;
using k8s.Models;

namespace AppHost.Tests.Publishing;

/// <summary>
/// <c>kubectl kustomize</c> over a copy of the committed <c>aspirate-output/</c> (with dummy values in the operator's
/// secret files), parsed strictly into typed models: what <c>kubectl apply -k</c> would send to the cluster.
/// </summary>
public sealed class BuiltOutputFixture : IAsyncLifetime
{
    private List<object>? _objects;

    public string Yaml { get; private set; } = "";

    public IReadOnlyList<object> Objects => _objects ?? throw new InvalidOperationException("Not built.");

    public async ValueTask InitializeAsync()
    {
        using var temp = new TempDirectory();
        PublishedOutput.CopyWithDummySecrets(PublishedOutput.AspirateOutput, temp.Path);
        var result = await ExternalTool.KubectlAsync(temp.Path, "kustomize", temp.Path);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize failed: {result.Error}");
        Yaml = result.Output;
        _objects = PublishedOutput.LoadStrict(Yaml);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Named<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(Objects.OfType<T>(), o => o.Metadata.Name == name);

    /// <summary>Every workload's pod template with its name and the replica range it can run at.</summary>
    public IEnumerable<(string Name, V1PodTemplateSpec Template, int MinReplicas, int MaxReplicas, int Surge)> Workloads()
    {
        foreach (var deployment in All<V1Deployment>())
        {
            var hpa = All<V2HorizontalPodAutoscaler>().SingleOrDefault(h => h.Spec.ScaleTargetRef.Kind == "Deployment" && h.Spec.ScaleTargetRef.Name == deployment.Metadata.Name);
            var min = hpa?.Spec.MinReplicas ?? deployment.Spec.Replicas ?? 1;
            var max = hpa?.Spec.MaxReplicas ?? deployment.Spec.Replicas ?? 1;
            var surge = deployment.Spec.Strategy?.RollingUpdate?.MaxSurge is { } s ? int.Parse(s.Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
            yield return (deployment.Metadata.Name, deployment.Spec.Template, min, max, surge);
        }
        foreach (var set in All<V1StatefulSet>())
        {
            yield return (set.Metadata.Name, set.Spec.Template, set.Spec.Replicas ?? 1, set.Spec.Replicas ?? 1, 0);
        }
    }

    /// <summary>A container's environment as the pod sees it: ConfigMap entries, then its own variables (secret ones as <c>secret:name/key</c>).</summary>
    public Dictionary<string, string> EnvironmentOf(V1Container container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var map = Named<V1ConfigMap>(source.ConfigMapRef.Name);
            foreach (var (key, value) in map.Data)
            {
                environment[key] = value;
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.ValueFrom?.SecretKeyRef is { } secret
                ? $"secret:{secret.Name}/{secret.Key}"
                : variable.Value ?? $"field:{variable.ValueFrom?.FieldRef?.FieldPath}";
        }
        return environment;
    }
}
