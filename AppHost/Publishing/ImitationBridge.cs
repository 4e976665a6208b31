// Temporary: keeps the in-repo orchestrator's --publisher switches building until it is replaced by Aspire's own publisher.
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AppHost.Hosting;
using AppHost.Hosting.Model;

namespace AppHost.Publishing.Manifest
{

/// <summary>
/// <c>--publisher manifest</c>: Aspire 9.x's <c>aspire-manifest.json</c> (the input Aspirate reads), written from
/// the app model in model order with placeholders for everything only a deployment knows (endpoints, secrets).
/// </summary>
internal static class ManifestPublisher
{
    public const string DefaultFileName = "aspire-manifest.json";
    public const string Schema = "https://json.schemastore.org/aspire-8.0.json";

    /// <summary><paramref name="outputPath"/> is the manifest file, or a folder to write <c>aspire-manifest.json</c> into.</summary>
    public static async Task PublishAsync(DistributedApplication app, string outputPath, CancellationToken cancellationToken)
    {
        var file = Directory.Exists(outputPath) || outputPath.EndsWith(Path.DirectorySeparatorChar)
            ? Path.Combine(outputPath, DefaultFileName)
            : outputPath;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, Generate(app.Model, Path.GetDirectoryName(file)!), new UTF8Encoding(false), cancellationToken);
    }

    /// <summary>The manifest text; project paths are relative to <paramref name="manifestDirectory"/>.</summary>
    public static string Generate(DistributedApplicationBuilder model, string manifestDirectory)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            // Placeholders and URLs stay readable ('+', '&', quotes inside values).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", Schema);
            json.WriteStartObject("resources");
            foreach (var resource in model.Resources)
            {
                json.WriteStartObject(resource.Name);
                switch (resource)
                {
                    case RedisResource redis:
                        WriteRedis(json, redis);
                        break;
                    case ProjectResource project:
                        WriteProject(json, project, manifestDirectory);
                        break;
                    case ParameterResource parameter:
                        WriteParameter(json, parameter);
                        break;
                    default:
                        throw new InvalidOperationException($"{resource} has no manifest representation.");
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>Aspire 9's Redis: the password reaches redis-server through a variable, not the manifest's args.</summary>
    private static void WriteRedis(Utf8JsonWriter json, RedisResource redis)
    {
        json.WriteString("type", "container.v0");
        json.WriteString("connectionString", redis.ConnectionStringExpression.ManifestExpression);
        json.WriteString("image", $"{RedisResource.Image}:{RedisResource.ImageTag}");
        json.WriteString("entrypoint", "/bin/sh");
        json.WriteStartArray("args");
        json.WriteStringValue("-c");
        json.WriteStringValue("redis-server --requirepass $REDIS_PASSWORD");
        json.WriteEndArray();
        json.WriteStartObject("env");
        json.WriteString("REDIS_PASSWORD", redis.Password.ManifestExpression);
        WriteEnvironment(json, redis);
        json.WriteEndObject();
        WriteBindings(json, redis, targetPort: true);
    }

    private static void WriteProject(Utf8JsonWriter json, ProjectResource project, string manifestDirectory)
    {
        json.WriteString("type", "project.v0");
        json.WriteString("path", Path.GetRelativePath(manifestDirectory, project.ProjectPath).Replace('\\', '/'));
        json.WriteStartObject("env");
        json.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "true");
        json.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", "true");
        json.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory");
        if (project.IsExternal)
        {
            json.WriteString("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true");
        }
        json.WriteString("HTTP_PORTS", $"{{{project.Name}.bindings.{project.EndpointName}.targetPort}}");
        foreach (var reference in project.References)
        {
            switch (reference)
            {
                case RedisResource redis:
                    json.WriteString($"ConnectionStrings__{redis.Name}", $"{{{redis.Name}.connectionString}}");
                    break;
                case ProcessResource service:
                    json.WriteString($"services__{service.Name}__{service.EndpointName}__0", $"{{{service.Name}.bindings.{service.EndpointName}.url}}");
                    break;
            }
        }
        WriteEnvironment(json, project);
        json.WriteEndObject();
        WriteBindings(json, project, targetPort: false);
    }

    private static void WriteEnvironment(Utf8JsonWriter json, Resource resource)
    {
        foreach (var (name, value) in resource.Environment)
        {
            json.WriteString(name, value.ManifestExpression);
        }
    }

    private static void WriteBindings(Utf8JsonWriter json, ProcessResource resource, bool targetPort)
    {
        json.WriteStartObject("bindings");
        json.WriteStartObject(resource.EndpointName);
        json.WriteString("scheme", resource.Scheme);
        json.WriteString("protocol", "tcp");
        json.WriteString("transport", resource.Scheme is "http" or "https" ? "http" : "tcp");
        if (targetPort)
        {
            json.WriteNumber("targetPort", resource.TargetPort);
        }
        if (resource.IsExternal)
        {
            json.WriteBoolean("external", true);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// A parameter the deployment tool asks for or generates. Generated ones declare the length of this model's own
    /// generator output as <c>minLength</c>, measured on a sample so the manifest follows the generator.
    /// </summary>
    private static void WriteParameter(Utf8JsonWriter json, ParameterResource parameter)
    {
        json.WriteString("type", "parameter.v0");
        json.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        json.WriteStartObject("inputs");
        json.WriteStartObject("value");
        json.WriteString("type", "string");
        if (parameter.Secret)
        {
            json.WriteBoolean("secret", true);
        }
        // A derived value (e.g. a secret's hash) cannot be random: the deployer must supply it.
        if (parameter is { Generate: { } generate, KeepGenerated: true })
        {
            json.WriteStartObject("default");
            json.WriteStartObject("generate");
            json.WriteNumber("minLength", generate().Length);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
}

namespace AppHost.Publishing.Kubernetes
{
    /// <summary>Temporary: <c>--publisher kubernetes</c> of the in-repo orchestrator, through the manifest like the real AppHost.</summary>
    internal static class KubernetesPublisher
    {
        public static async Task PublishAsync(DistributedApplication app, string outputPath, CancellationToken cancellationToken)
        {
            var manifest = Path.Combine(Path.GetTempPath(), $"aspire-manifest-{Guid.NewGuid():N}.json");
            try
            {
                await File.WriteAllTextAsync(manifest, AppHost.Publishing.Manifest.ManifestPublisher.Generate(app.Model, Path.GetTempPath()), cancellationToken);
                await KubernetesGenerator.WriteAsync(manifest, app.Model.Configuration, outputPath, cancellationToken);
            }
            finally
            {
                File.Delete(manifest);
            }
        }
    }
}
