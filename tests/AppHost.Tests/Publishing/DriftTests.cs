using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AppHost.Hosting.Testing;
using AppHost.Publishing.Manifest;

namespace AppHost.Tests.Publishing;

/// <summary>The committed deployment files are exactly what the publishers make from today's app model.</summary>
public sealed partial class DriftTests
{
    private const string Regenerate =
        "regenerate with: dotnet run --project AppHost -- --publisher kubernetes --output-path aspirate-output";

    [Fact]
    public async Task Committed_aspirate_output_equals_a_fresh_generation()
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, await PublishedOutput.PublishAsync("kubernetes", temp.Path));

        var fresh = PublishedOutput.ReadTree(temp.Path);
        var committed = PublishedOutput.ReadTree(PublishedOutput.AspirateOutput);
        foreach (var operatorFile in committed.Keys.Where(PublishedOutput.IsOperatorSecretFile).ToList())
        {
            committed.Remove(operatorFile);
        }

        Assert.True(fresh.Count > 20, "the publisher wrote almost nothing");
        Assert.Equal(fresh.Keys, committed.Keys);
        foreach (var (path, content) in fresh)
        {
            Assert.True(content.AsSpan().SequenceEqual(committed[path]), $"aspirate-output/{path} differs from a fresh generation: {Regenerate}");
        }
    }

    [Fact]
    public async Task Generation_is_deterministic()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        Assert.Equal(0, await PublishedOutput.PublishAsync("kubernetes", first.Path));
        Assert.Equal(0, await PublishedOutput.PublishAsync("kubernetes", second.Path));

        Assert.Equal(PublishedOutput.ReadTree(first.Path), PublishedOutput.ReadTree(second.Path));
    }

    [Fact]
    public async Task Committed_manifest_equals_its_regeneration()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();
        var fresh = ManifestPublisher.Generate(builder.Builder, Path.GetDirectoryName(PublishedOutput.Manifest)!);

        Assert.True(File.Exists(PublishedOutput.Manifest), "AppHost/aspire-manifest.json is not committed");
        Assert.True(
            fresh == await File.ReadAllTextAsync(PublishedOutput.Manifest, TestContext.Current.CancellationToken),
            "AppHost/aspire-manifest.json is stale: dotnet run --project AppHost -- --publisher manifest --output-path AppHost/aspire-manifest.json");
    }

    [Fact]
    public async Task Manifest_publisher_writes_into_a_folder_with_project_paths_relative_to_the_file()
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, await PublishedOutput.PublishAsync("manifest", temp.Path));

        var file = Path.Combine(temp.Path, "aspire-manifest.json");
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(file, Encoding.UTF8, TestContext.Current.CancellationToken));
        foreach (var project in manifest.RootElement.GetProperty("resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("type").GetString() == "project.v0"))
        {
            var path = project.Value.GetProperty("path").GetString()!;
            Assert.False(Path.IsPathRooted(path), $"{project.Name}: path must be relative to the manifest");
            Assert.True(File.Exists(Path.GetFullPath(Path.Combine(temp.Path, path))), $"{project.Name}: {path} does not resolve from the manifest's folder");
        }
    }

    [Fact]
    public async Task Republishing_removes_files_of_resources_that_no_longer_exist_and_keeps_everything_else()
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, await PublishedOutput.PublishAsync("kubernetes", temp.Path));
        var stale = Path.Combine(temp.Path, "oldservice");
        Directory.CreateDirectory(stale);
        File.Copy(Path.Combine(temp.Path, "keyservice", "deployment.yaml"), Path.Combine(stale, "deployment.yaml"));
        File.Copy(Path.Combine(temp.Path, "keyservice", "keyservice.secret.env.example"), Path.Combine(stale, "oldservice.secret.env.example"));
        File.WriteAllText(Path.Combine(stale, "oldservice.secret.env"), "operator-owned");
        File.WriteAllText(Path.Combine(temp.Path, "notes.yaml"), "mine: true\n");

        Assert.Equal(0, await PublishedOutput.PublishAsync("kubernetes", temp.Path));

        Assert.False(File.Exists(Path.Combine(stale, "deployment.yaml")));
        Assert.False(File.Exists(Path.Combine(stale, "oldservice.secret.env.example")));
        Assert.True(File.Exists(Path.Combine(stale, "oldservice.secret.env")), "the operator's secret file must survive");
        Assert.True(File.Exists(Path.Combine(temp.Path, "notes.yaml")), "files the publisher did not write must survive");
    }

    [Fact]
    public async Task Unknown_publisher_and_missing_output_path_are_refused()
    {
        using var temp = new TempDirectory();
        Assert.Equal(2, await PublishedOutput.PublishAsync("helm", temp.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    /// <summary>The committed manifest has Aspire 9's shape, and every placeholder names something that exists.</summary>
    [Fact]
    public async Task Manifest_has_the_aspire_shape_and_every_placeholder_resolves()
    {
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(PublishedOutput.Manifest, TestContext.Current.CancellationToken));
        var root = manifest.RootElement;
        Assert.Equal("https://json.schemastore.org/aspire-8.0.json", root.GetProperty("$schema").GetString());
        var resources = root.GetProperty("resources").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);

        Assert.Equal("project.v0", resources["keyservice"].GetProperty("type").GetString());
        Assert.Equal("project.v0", resources["totservice"].GetProperty("type").GetString());
        var redis = resources["redis"];
        Assert.Equal("container.v0", redis.GetProperty("type").GetString());
        Assert.Equal("docker.io/library/redis:7.4", redis.GetProperty("image").GetString());
        Assert.Equal(6379, redis.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());
        Assert.Contains("--requirepass", string.Join(' ', redis.GetProperty("args").EnumerateArray().Select(a => a.GetString())), StringComparison.Ordinal);

        foreach (var name in new[] { "keyservice", "totservice" })
        {
            var http = resources[name].GetProperty("bindings").GetProperty("http");
            Assert.Equal("http", http.GetProperty("scheme").GetString());
            Assert.Equal("tcp", http.GetProperty("protocol").GetString());
            Assert.Equal("http", http.GetProperty("transport").GetString());
            Assert.True(http.GetProperty("external").GetBoolean());
        }

        var parameters = resources.Where(r => r.Value.GetProperty("type").GetString() == "parameter.v0").ToList();
        Assert.Contains(parameters, p => p.Key == "redis-password");
        Assert.Contains(parameters, p => p.Key == "keyservice-kek");
        foreach (var (name, parameter) in parameters)
        {
            Assert.Equal($"{{{name}.inputs.value}}", parameter.GetProperty("value").GetString());
            var input = parameter.GetProperty("inputs").GetProperty("value");
            Assert.Equal("string", input.GetProperty("type").GetString());
            Assert.True(input.GetProperty("secret").GetBoolean());
            if (name == "dev-client-secret-hash")
            {
                // Derived from another secret: the deployer supplies it, nothing may generate a random one.
                Assert.False(input.TryGetProperty("default", out _), "a derived secret must not have a generated default");
                continue;
            }
            Assert.True(input.GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32() >= 32, $"{name}: generated secrets need at least 32 characters");
        }

        // No secret value in the manifest: every secret-bearing variable is a placeholder.
        Assert.Equal("{keyservice-kek.value}", resources["keyservice"].GetProperty("env").GetProperty("KeyService__KeyEncryptionKey").GetString());
        Assert.Equal("{redis.connectionString}", resources["totservice"].GetProperty("env").GetProperty("ConnectionStrings__redis").GetString());

        foreach (Match placeholder in Placeholder().Matches(manifest.RootElement.GetRawText()))
        {
            var target = placeholder.Groups["resource"].Value;
            Assert.True(resources.ContainsKey(target), $"placeholder {placeholder.Value} names no resource");
            var path = placeholder.Groups["path"].Value.Split('.');
            switch (path)
            {
                case ["bindings", var binding, "url" or "host" or "port" or "targetPort"]:
                    Assert.True(resources[target].GetProperty("bindings").TryGetProperty(binding, out _), $"{placeholder.Value}: no binding '{binding}'");
                    break;
                case ["value"] or ["inputs", "value"]:
                    Assert.Equal("parameter.v0", resources[target].GetProperty("type").GetString());
                    break;
                case ["connectionString"]:
                    Assert.True(resources[target].TryGetProperty("connectionString", out _), $"{placeholder.Value}: no connection string");
                    break;
                default:
                    Assert.Fail($"unknown placeholder {placeholder.Value}");
                    break;
            }
        }
    }

    [GeneratedRegex(@"\{(?<resource>[a-z0-9-]+)\.(?<path>[A-Za-z.]+)\}")]
    private static partial Regex Placeholder();
}
