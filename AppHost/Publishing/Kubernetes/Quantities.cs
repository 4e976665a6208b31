using k8s.Models;

namespace AppHost.Publishing.Kubernetes;

/// <summary>Quantity arithmetic in canonical Kubernetes form.</summary>
internal static class Quantities
{
    public static ResourceQuantity Parse(string value) => new(value);

    public static ResourceQuantity Sum(IEnumerable<(ResourceQuantity Quantity, int Count)> items)
    {
        var total = items.Sum(i => i.Quantity.ToDecimal() * i.Count);
        var format = items.Select(i => i.Quantity.Format).FirstOrDefault();
        return new ResourceQuantity(total, 0, format);
    }
}
