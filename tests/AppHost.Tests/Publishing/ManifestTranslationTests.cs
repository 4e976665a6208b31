using System.Text.Json.Nodes;
using AppHost.Publishing.Kubernetes;
using k8s.Models;

namespace AppHost.Tests.Publishing;

/// <summary>How the manifest is read and its placeholders translated, on small handcrafted manifests.</summary>
public sealed class ManifestTranslationTests
{
    /// <summary>A Redis container and one project using it: the smallest app the generator accepts.</summary>
    private const string Minimal = """
        {
          "resources": {
            "cache-password": { "type": "parameter.v0", "value": "{cache-password.inputs.value}",
              "inputs": { "value": { "type": "string", "secret": true, "default": { "generate": { "minLength": 22 } } } } },
            "cache": { "type": "container.v0",
              "connectionString": "{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}",
              "image": "docker.io/library/redis:8.2", "entrypoint": "/bin/sh", "args": [ "-c", "redis-server --requirepass $REDIS_PASSWORD" ],
              "env": { "REDIS_PASSWORD": "{cache-password.value}" },
              "bindings": { "tcp": { "scheme": "tcp", "protocol": "tcp", "transport": "tcp", "targetPort": 6380 } } },
            "api": { "type": "project.v0", "path": "../Api/Api.csproj",
              "env": { "HTTP_PORTS": "{api.bindings.http.targetPort}", "ConnectionStrings__cache": "{cache.connectionString}" },
              "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http" } } }
          }
        }
        """;

    private static JsonObject MinimalJson() => JsonNode.Parse(Minimal)!.AsObject();

    private static JsonObject ApiEnv(JsonObject manifest) => manifest["resources"]!["api"]!["env"]!.AsObject();

    private static SortedDictionary<string, string> Generate(JsonObject manifest, params string[] args) =>
        PublishedOutput.Generate(manifest.ToJsonString(), args);

    private static T Load<T>(SortedDictionary<string, string> files, string path) => Assert.IsType<T>(Assert.Single(PublishedOutput.LoadStrict(files[path])));

    [Fact]
    public void The_reader_keeps_types_bindings_inputs_and_the_order_of_resources_and_variables()
    {
        var manifest = AspireManifest.Parse(Minimal);

        Assert.Equal(["cache-password", "cache", "api"], manifest.Resources.Select(r => r.Name));
        var password = manifest.Find("cache-password")!;
        Assert.Equal((ManifestResource.ParameterType, "{cache-password.inputs.value}"), (password.Type, password.Value));
        Assert.Equal(new ParameterInput("string", Secret: true, DefaultValue: null, GenerateMinLength: 22), password.Input);
        var cache = manifest.Find("cache")!;
        Assert.Equal(("docker.io/library/redis:8.2", "/bin/sh"), (cache.Image, cache.Entrypoint));
        Assert.Equal(["-c", "redis-server --requirepass $REDIS_PASSWORD"], cache.Args);
        Assert.Equal(new ManifestBinding("tcp", "tcp", "tcp", "tcp", TargetPort: 6380, Port: null, External: false), cache.Binding("tcp"));
        var api = manifest.Find("api")!;
        Assert.Equal("../Api/Api.csproj", api.Path);
        Assert.Equal(["HTTP_PORTS", "ConnectionStrings__cache"], api.Env.Select(e => e.Key));
        Assert.Null(api.Binding("http")!.TargetPort);
        Assert.Null(manifest.Find("nothing"));
    }

    [Theory]
    [InlineData("[]", "'resources'")]
    [InlineData("""{ "resources": { "api": { "env": {} } } }""", "'api' has no 'type'")]
    [InlineData("""{ "resources": { "api": { "type": "project.v0", "env": { "X": 1 } } } }""", "env 'X' must be a string")]
    [InlineData("""{ "resources": { "api": { "type": "project.v0", "bindings": { "http": { "scheme": "http", "targetPort": "80" } } } } }""", "'targetPort' must be an integer")]
    [InlineData("{ nope", "not valid JSON")]
    public void A_malformed_manifest_is_refused_naming_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => AspireManifest.Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_minimal_manifest_becomes_a_redis_statefulset_and_a_project_deployment_wired_through_the_secret()
    {
        var files = Generate(MinimalJson());

        var container = Assert.Single(Load<V1Deployment>(files, "api/deployment.yaml").Spec.Template.Spec.Containers);
        var password = Assert.Single(container.Env, e => e.Name == "CACHE_PASSWORD");
        Assert.Equal(("cache-secrets", "cache-password"), (password.ValueFrom.SecretKeyRef.Name, password.ValueFrom.SecretKeyRef.Key));
        Assert.Equal("cache:6380,password=$(CACHE_PASSWORD)", Assert.Single(container.Env, e => e.Name == "ConnectionStrings__cache").Value);
        Assert.Equal(8080, Assert.Single(container.Ports).ContainerPort);

        var config = Load<V1ConfigMap>(files, "api/config-map.yaml").Data;
        Assert.Equal("http://+:8080", config["ASPNETCORE_URLS"]);
        // ASPNETCORE_URLS says where Kestrel listens; the manifest's HTTP_PORTS would only make it warn.
        Assert.DoesNotContain("HTTP_PORTS", config.Keys);
        Assert.DoesNotContain("ASPNETCORE_FORWARDEDHEADERS_ENABLED", config.Keys);

        var redis = Assert.Single(Load<V1StatefulSet>(files, "cache/statefulset.yaml").Spec.Template.Spec.Containers);
        Assert.Equal("docker.io/library/redis:8.2", redis.Image);
        Assert.Contains("--port 6380", string.Join(' ', redis.Args), StringComparison.Ordinal);
        Assert.DoesNotContain("--requirepass", string.Join(' ', redis.Args), StringComparison.Ordinal);
        Assert.Equal(["REDIS_PASSWORD", "REDISCLI_AUTH"], redis.Env.Select(e => e.Name));
        Assert.All(redis.Env, e => Assert.Equal("cache-password", e.ValueFrom.SecretKeyRef.Key));
        Assert.EndsWith("Never commit values.\n# secret parameter 'cache-password'\ncache-password=\n", files["cache/cache.secret.env.example"], StringComparison.Ordinal);
        Assert.False(files.ContainsKey("api/api.secret.env.example"));

        var egress = Load<V1NetworkPolicy>(files, "api/network-policy.yaml").Spec.Egress;
        Assert.Equal("6380", Assert.Single(Assert.Single(egress).Ports).Port.Value);
    }

    [Fact]
    public void A_plain_parameter_comes_from_configuration_or_its_default_and_lands_in_the_config_map()
    {
        var manifest = MinimalJson();
        manifest["resources"]!["region"] = JsonNode.Parse("""{ "type": "parameter.v0", "value": "{region.inputs.value}", "inputs": { "value": { "type": "string", "default": { "value": "westeurope" } } } }""");
        ApiEnv(manifest)["Region"] = "{region.value}";
        ApiEnv(manifest)["RegionLabel"] = "dc-{region.inputs.value}";

        Assert.Equal("westeurope", Load<V1ConfigMap>(Generate(manifest), "api/config-map.yaml").Data["Region"]);
        var configured = Load<V1ConfigMap>(Generate(manifest, "--Parameters:region=northeurope"), "api/config-map.yaml").Data;
        Assert.Equal(("northeurope", "dc-northeurope"), (configured["Region"], configured["RegionLabel"]));
    }

    [Fact]
    public void Value_resources_are_rendered_into_the_expressions_that_use_them_and_run_nothing()
    {
        var manifest = MinimalJson();
        // Aspire writes the TLS part of Redis's connection string as a value.v0 resource.
        manifest["resources"]!["cond-tls"] = JsonNode.Parse("""{ "type": "value.v0", "connectionString": ",ssl=false" }""");
        manifest["resources"]!["greeting"] = JsonNode.Parse("""{ "type": "value.v0", "value": "hello from {cache.bindings.tcp.host}" }""");
        manifest["resources"]!["cache"]!["connectionString"] = "{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}{cond-tls.connectionString}";
        ApiEnv(manifest)["Greeting"] = "{greeting.value}";

        var files = Generate(manifest);

        var container = Assert.Single(Load<V1Deployment>(files, "api/deployment.yaml").Spec.Template.Spec.Containers);
        Assert.Equal("cache:6380,password=$(CACHE_PASSWORD),ssl=false", Assert.Single(container.Env, e => e.Name == "ConnectionStrings__cache").Value);
        Assert.Equal("hello from cache", Load<V1ConfigMap>(files, "api/config-map.yaml").Data["Greeting"]);
        Assert.DoesNotContain(files.Keys, f => f.StartsWith("cond-tls/", StringComparison.Ordinal) || f.StartsWith("greeting/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_plain_parameter_without_a_value_names_the_setting_to_give()
    {
        var manifest = MinimalJson();
        manifest["resources"]!["region"] = JsonNode.Parse("""{ "type": "parameter.v0", "value": "{region.inputs.value}", "inputs": { "value": { "type": "string" } } }""");
        ApiEnv(manifest)["Region"] = "{region.value}";

        var error = Assert.Throws<InvalidOperationException>(() => Generate(manifest));
        Assert.Contains("Parameters:region", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{cache.bindings.tcp.ip}", "unknown endpoint property")]
    [InlineData("{cache.bindings.udp.host}", "no binding 'udp'")]
    [InlineData("{nothing.bindings.http.url}", "names no resource")]
    [InlineData("{api.connectionString}", "has no connection string")]
    [InlineData("{cache-password.secretKey}", "cannot translate '{cache-password.secretKey}'")]
    [InlineData("{cache-password.bindings.http.url}", "is not a workload")]
    public void An_unknown_placeholder_is_refused_naming_it_and_the_variable(string placeholder, string expected)
    {
        var manifest = MinimalJson();
        ApiEnv(manifest)["Broken"] = $"x={placeholder}";

        var error = Assert.Throws<InvalidOperationException>(() => Generate(manifest));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("api: env 'Broken'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "type": "executable.v0", "command": "worker" }""", "'worker' of type 'executable.v0'")]
    [InlineData("""{ "type": "container.v0", "image": "docker.io/library/postgres:17" }""", "'worker' (image 'docker.io/library/postgres:17')")]
    [InlineData("""{ "type": "project.v0", "path": "w.csproj" }""", "'worker' has 0 bindings")]
    public void A_resource_without_a_kubernetes_translation_is_refused_naming_it(string resource, string expected)
    {
        var manifest = MinimalJson();
        manifest["resources"]!["worker"] = JsonNode.Parse(resource);

        var error = Assert.Throws<InvalidOperationException>(() => Generate(manifest));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_without_a_secret_password_is_refused()
    {
        var manifest = MinimalJson();
        manifest["resources"]!["cache"]!["env"] = new JsonObject();

        var error = Assert.Throws<InvalidOperationException>(() => Generate(manifest));
        Assert.Contains("REDIS_PASSWORD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_project_gets_forwarded_headers_its_public_url_and_an_ingress()
    {
        var manifest = MinimalJson();
        manifest["resources"]!["api"]!["bindings"]!["http"]!["external"] = true;
        ApiEnv(manifest)["Api__PublicUrl"] = "{api.bindings.http.url}";
        ApiEnv(manifest)["services__api__http__0"] = "{api.bindings.http.url}";

        var files = Generate(manifest, "--Publishing:Kubernetes:Resources:api:Host=api.contoso.test", "--Publishing:Kubernetes:Resources:api:Routes:0:Path=/v1", "--Publishing:Kubernetes:Resources:api:Routes:0:PathType=Prefix");

        var config = Load<V1ConfigMap>(files, "api/config-map.yaml").Data;
        Assert.Equal("true", config["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]);
        Assert.Equal("https://api.contoso.test", config["Api__PublicUrl"]);
        // Discovery entries stay on the Service: in-cluster callers do not go out through the ingress.
        Assert.Equal("http://api:8080", config["services__api__http__0"]);
        Assert.Equal("/v1", Assert.Single(Assert.Single(Load<V1Ingress>(files, "api/ingress.yaml").Spec.Rules).Http.Paths).Path);
    }
}
