using Microsoft.Extensions.Configuration;

namespace AppHost.Publishing;

/// <summary>
/// The <c>--publisher</c> values this AppHost serves. For any other value Aspire runs its whole deployment pipeline,
/// whose steps fail here (no container registry, no container engine) and leave the AppHost running: refuse first.
/// </summary>
public static class KnownPublishers
{
    public const string Manifest = "manifest";

    private static readonly string[] Names = [Manifest];

    /// <summary>The one-line reason not to start, when <c>--publisher</c> names a publisher this AppHost does not have.</summary>
    public static string? Check(IConfiguration configuration) =>
        configuration["Publishing:Publisher"] is { } publisher && !Names.Contains(publisher, StringComparer.OrdinalIgnoreCase)
            ? $"Unknown publisher '{publisher}': the known publishers are {string.Join(", ", Names)} " +
              $"(the Kubernetes files come from --publisher {Manifest} --output-path <file> --{KubernetesPublishingExtensions.OutputSetting} <folder>)."
            : null;
}
