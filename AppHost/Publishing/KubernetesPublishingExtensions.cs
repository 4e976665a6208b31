using AppHost.Publishing.Kubernetes;

namespace AppHost.Publishing;

public static class KubernetesPublishingExtensions
{
    public const string OutputSetting = "kubernetes-output";

    /// <summary>
    /// With <c>--kubernetes-output DIR</c>, turns the manifest Aspire has just published into the kustomize tree (the
    /// Aspirate tool, which would do this, is not available here). Both paths are relative to the AppHost folder, as
    /// Aspire resolves <c>--output-path</c>.
    /// </summary>
    public static async Task PublishKubernetesAsync(this IDistributedApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        if (!builder.ExecutionContext.IsPublishMode || builder.Configuration[OutputSetting] is not { Length: > 0 } output)
        {
            return;
        }
        var manifest = builder.Configuration["Pipeline:OutputPath"]
            ?? throw new InvalidOperationException($"--{OutputSetting} needs --publisher manifest --output-path <file>.");
        await KubernetesGenerator.WriteAsync(
            Path.GetFullPath(manifest, builder.AppHostDirectory), builder.Configuration, Path.GetFullPath(output, builder.AppHostDirectory), cancellationToken);
    }
}
