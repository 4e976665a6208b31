using AppHost.Publishing.Kubernetes;
using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AppHost.Publishing;

public static class KubernetesPublishingExtensions
{
    public const string OutputSetting = "kubernetes-output";

    /// <summary>The step that writes the kustomize tree; it runs after Aspire's own manifest step.</summary>
    public const string StepName = "publish-kubernetes";

    /// <summary>Aspire's step behind <c>--publisher manifest</c>, whose output the generator reads.</summary>
    private const string ManifestStep = "publish-manifest";

    /// <summary>
    /// With <c>--kubernetes-output DIR</c>, adds a step to Aspire's publishing pipeline that turns the manifest Aspire's
    /// manifest step has just written into the kustomize tree (the Aspirate tool, which would do this, is not available
    /// here). Both paths are relative to the AppHost folder, as Aspire resolves <c>--output-path</c>.
    /// </summary>
    public static void AddKubernetesPublishing(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsPublishMode || builder.Configuration[OutputSetting] is not { Length: > 0 } output)
        {
            return;
        }
        var configuration = builder.Configuration;
        var appHostDirectory = builder.AppHostDirectory;
#pragma warning disable ASPIREPIPELINES001 // The pipeline API is marked for evaluation; it is Aspire's extension point for publishing steps.
        builder.Pipeline.AddStep(StepName, async context =>
        {
            var manifest = context.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.OutputPath
                ?? throw new InvalidOperationException($"--{OutputSetting} needs --publisher manifest --output-path <file>.");
            await KubernetesGenerator.WriteAsync(
                Path.GetFullPath(manifest, appHostDirectory), configuration, Path.GetFullPath(output, appHostDirectory), context.CancellationToken);
        }, dependsOn: ManifestStep);
#pragma warning restore ASPIREPIPELINES001
        // --publisher manifest selects Aspire's manifest step alone; select this step instead, which runs that one first.
        if (configuration["Pipeline:Step"] == ManifestStep)
        {
            configuration["Pipeline:Step"] = StepName;
        }
    }
}
