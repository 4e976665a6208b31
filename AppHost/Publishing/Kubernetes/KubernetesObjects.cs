using System.Reflection;
using k8s;
using k8s.Models;

namespace AppHost.Publishing.Kubernetes;

/// <summary>Typed objects with <c>apiVersion</c> and <c>kind</c> filled in from their model type.</summary>
internal static class KubernetesObjects
{
    public static T Create<T>(string name, IReadOnlyDictionary<string, string>? labels = null)
        where T : IKubernetesObject<V1ObjectMeta>, new()
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not a Kubernetes entity.");
        return new T
        {
            ApiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}",
            Kind = entity.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = labels is null ? null : new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal),
            },
        };
    }
}
