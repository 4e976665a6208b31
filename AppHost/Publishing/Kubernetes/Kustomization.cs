namespace AppHost.Publishing.Kubernetes;

/// <summary>The fields of a <c>kustomization.yaml</c> the publisher writes (serialized in camelCase like the rest).</summary>
public sealed class Kustomization
{
    public string ApiVersion { get; set; } = "kustomize.config.k8s.io/v1beta1";

    public string Kind { get; set; } = "Kustomization";

    public string? Namespace { get; set; }

    public List<string> Resources { get; set; } = [];

    public List<SecretGenerator>? SecretGenerator { get; set; }

    public List<ImageOverride>? Images { get; set; }
}

/// <summary>A Secret made by kustomize from an env file the operator creates (never committed).</summary>
public sealed class SecretGenerator
{
    public string Name { get; set; } = "";

    public string Type { get; set; } = "Opaque";

    public List<string> Envs { get; set; } = [];
}

/// <summary>Where an image really comes from (<c>kustomize edit set image</c> changes these).</summary>
public sealed class ImageOverride
{
    public string Name { get; set; } = "";

    public string NewName { get; set; } = "";

    public string NewTag { get; set; } = "";
}
