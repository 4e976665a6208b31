using AppHost.Hosting;
using AppHost.Publishing.Kubernetes;
using AppHost.Publishing.Manifest;

namespace AppHost.Extensions;

/// <summary>Registers the deployment publishers (<c>--publisher manifest|kubernetes --output-path PATH</c>).</summary>
internal static class PublishingExtensions
{
    public static DistributedApplicationBuilder AddPublishers(this DistributedApplicationBuilder builder)
    {
        builder.Publishers.Add("manifest", ManifestPublisher.PublishAsync);
        builder.Publishers.Add("kubernetes", KubernetesPublisher.PublishAsync);
        return builder;
    }
}
