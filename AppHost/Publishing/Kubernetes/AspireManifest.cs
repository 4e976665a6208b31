using System.Text.Json;

namespace AppHost.Publishing.Kubernetes;

/// <summary>
/// The parts of Aspire's <c>aspire-manifest.json</c> that Aspirate reads: resources in manifest order with their type,
/// environment (placeholders left as written), endpoints, connection string, image and parameter inputs.
/// </summary>
public sealed record AspireManifest(IReadOnlyList<ManifestResource> Resources)
{
    public ManifestResource? Find(string name) => Resources.FirstOrDefault(r => r.Name == name);

    public static async Task<AspireManifest> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var json = await File.ReadAllTextAsync(path, cancellationToken);
        try
        {
            return Parse(json);
        }
        catch (FormatException error)
        {
            throw new FormatException($"{path}: {error.Message}", error);
        }
    }

    /// <summary>Reads a manifest; a malformed one throws <see cref="FormatException"/> naming the resource and field.</summary>
    public static AspireManifest Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException error)
        {
            throw new FormatException($"not valid JSON: {error.Message}", error);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("resources", out var resources)
                || resources.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("an Aspire manifest is an object with a 'resources' object.");
            }
            return new AspireManifest([.. resources.EnumerateObject().Select(r => ReadResource(r.Name, r.Value))]);
        }
    }

    private static ManifestResource ReadResource(string name, JsonElement resource)
    {
        if (resource.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"resource '{name}' is not an object.");
        }
        return new ManifestResource(
            name,
            String(name, resource, "type") ?? throw new FormatException($"resource '{name}' has no 'type'."),
            String(name, resource, "path"),
            String(name, resource, "image"),
            String(name, resource, "entrypoint"),
            String(name, resource, "connectionString"),
            String(name, resource, "value"),
            resource.TryGetProperty("args", out var args) ? ReadArgs(name, args) : [],
            resource.TryGetProperty("env", out var env) ? ReadEnv(name, env) : [],
            resource.TryGetProperty("bindings", out var bindings) ? ReadBindings(name, bindings) : [],
            resource.TryGetProperty("inputs", out var inputs) && inputs.TryGetProperty("value", out var input) ? ReadInput(name, input) : null);
    }

    private static List<string> ReadArgs(string resource, JsonElement args) =>
        args.ValueKind == JsonValueKind.Array
            ? [.. args.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : throw new FormatException($"resource '{resource}': every 'args' entry must be a string."))]
            : throw new FormatException($"resource '{resource}': 'args' must be an array.");

    private static List<KeyValuePair<string, string>> ReadEnv(string resource, JsonElement env) =>
        env.ValueKind == JsonValueKind.Object
            ? [.. env.EnumerateObject().Select(e => KeyValuePair.Create(e.Name, e.Value.ValueKind == JsonValueKind.String
                ? e.Value.GetString()!
                : throw new FormatException($"resource '{resource}': env '{e.Name}' must be a string.")))]
            : throw new FormatException($"resource '{resource}': 'env' must be an object.");

    private static List<ManifestBinding> ReadBindings(string resource, JsonElement bindings)
    {
        if (bindings.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"resource '{resource}': 'bindings' must be an object.");
        }
        return
        [
            .. bindings.EnumerateObject().Select(b => new ManifestBinding(
                b.Name,
                String(resource, b.Value, "scheme") ?? throw new FormatException($"resource '{resource}': binding '{b.Name}' has no 'scheme'."),
                String(resource, b.Value, "protocol") ?? "tcp",
                String(resource, b.Value, "transport") ?? "tcp",
                Int(resource, b.Value, "targetPort"),
                Int(resource, b.Value, "port"),
                b.Value.TryGetProperty("external", out var external) && external.ValueKind == JsonValueKind.True)),
        ];
    }

    private static ParameterInput ReadInput(string resource, JsonElement input)
    {
        string? defaultValue = null;
        int? generatedLength = null;
        if (input.TryGetProperty("default", out var defaults))
        {
            defaultValue = String(resource, defaults, "value");
            if (defaults.TryGetProperty("generate", out var generate))
            {
                generatedLength = Int(resource, generate, "minLength") ?? 0;
            }
        }
        return new ParameterInput(
            String(resource, input, "type") ?? "string",
            input.TryGetProperty("secret", out var secret) && secret.ValueKind == JsonValueKind.True,
            defaultValue,
            generatedLength);
    }

    private static string? String(string resource, JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"resource '{resource}': '{property}' must be a string.");

    private static int? Int(string resource, JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : throw new FormatException($"resource '{resource}': '{property}' must be an integer.");
}

/// <summary>One manifest resource (<c>project.v0</c>, <c>container.v0</c>, <c>parameter.v0</c>, ...); env keeps the manifest's order.</summary>
public sealed record ManifestResource(
    string Name,
    string Type,
    string? Path,
    string? Image,
    string? Entrypoint,
    string? ConnectionString,
    string? Value,
    IReadOnlyList<string> Args,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    IReadOnlyList<ManifestBinding> Bindings,
    ParameterInput? Input)
{
    public const string ProjectType = "project.v0";
    public const string ContainerType = "container.v0";
    public const string ParameterType = "parameter.v0";

    /// <summary>A value computed at publish time (e.g. the TLS part of Redis's connection string): nothing runs it.</summary>
    public const string ValueType = "value.v0";

    /// <summary>Whether the resource is something that runs (a workload) rather than a value other resources read.</summary>
    public bool IsWorkload => Type is not (ParameterType or ValueType);

    public ManifestBinding? Binding(string name) => Bindings.FirstOrDefault(b => b.Name == name);
}

/// <summary>An endpoint: <c>external</c> ones are reachable from outside the app (an Ingress in Kubernetes).</summary>
public sealed record ManifestBinding(string Name, string Scheme, string Protocol, string Transport, int? TargetPort, int? Port, bool External);

/// <summary>A parameter's input: secret ones never carry a value in the manifest, at most a rule to generate one.</summary>
public sealed record ParameterInput(string Type, bool Secret, string? DefaultValue, int? GenerateMinLength);
