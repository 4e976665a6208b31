using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace AppHost.Tests.Publishing;

/// <summary>No secret value is committed with the deployment files; the operator's env files are git-ignored.</summary>
public sealed partial class SecretScanTests
{
    private static readonly string[] DeploymentPaths = ["aspirate-output", "AppHost/aspire-manifest.json", "deploy", "docs"];

    private static readonly HashSet<string> CodeExtensions = new(StringComparer.Ordinal) { ".sh", ".cs" };

    [Fact]
    public async Task No_committed_deployment_file_contains_something_that_looks_like_a_secret()
    {
        var files = await CommittedFilesAsync();
        Assert.Contains(files, f => f.StartsWith("aspirate-output/", StringComparison.Ordinal));

        // Scripts and programs (deploy.sh, its hashing tool) generate secrets at deploy time and read them from files or
        // stdin; the patterns that find values in data files would only match their variable names.
        var findings = files.Where(f => !CodeExtensions.Contains(Path.GetExtension(f))).SelectMany(file => Findings(File.ReadAllText(Path.Combine(PublishedOutput.RepositoryRoot, file))).Select(f => $"{file}: {f}")).ToList();

        Assert.True(findings.Count == 0, "possible secrets committed:\n" + string.Join('\n', findings));
    }

    [Fact]
    public async Task The_operators_secret_env_files_are_ignored_and_only_examples_without_values_are_committed()
    {
        var files = await CommittedFilesAsync();
        Assert.DoesNotContain(files, f => f.EndsWith(".secret.env", StringComparison.Ordinal) || f.EndsWith("/.env", StringComparison.Ordinal));
        var examples = files.Where(f => f.EndsWith(".secret.env.example", StringComparison.Ordinal)).ToList();
        Assert.Equal(["aspirate-output/keyservice/keyservice.secret.env.example", "aspirate-output/redis/redis.secret.env.example"], examples.Order(StringComparer.Ordinal));

        foreach (var example in examples)
        {
            var assignments = File.ReadAllLines(Path.Combine(PublishedOutput.RepositoryRoot, example)).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            Assert.NotEmpty(assignments);
            Assert.All(assignments, line => Assert.Matches("^[a-z0-9-]+=$", line));

            var real = example[..^".example".Length];
            var ignored = await ExternalTool.GitAsync(PublishedOutput.RepositoryRoot, "check-ignore", "--no-index", "-q", real);
            Assert.True(ignored.ExitCode == 0, $"{real} is not git-ignored");
        }
    }

    [Fact]
    public void The_scanner_finds_planted_secrets()
    {
        Assert.NotEmpty(Findings($"KeyService__KeyEncryptionKey: {RandomKey(32)}"));
        Assert.NotEmpty(Findings($"redis-password={RandomToken(24)}"));
        Assert.NotEmpty(Findings($"value: {RandomKey(32)}\n"));
        Assert.NotEmpty(Findings("-----BEGIN RSA PRIVATE KEY-----\nMIIE"));
        Assert.NotEmpty(Findings("apiVersion: v1\nkind: Secret\ndata:\n  x: eA=="));
        Assert.NotEmpty(Findings("ConnectionStrings__redis: redis:6379,password=hunter2"));
        Assert.NotEmpty(Findings($"- name: KeyService__Clients__0__SecretHash\n  value: {RandomToken(32)}"));
        Assert.Empty(Findings("ConnectionStrings__redis: redis:6379,password=$(REDIS_PASSWORD)\nconfig-hash: 829eab368aac168a"));
        Assert.Empty(Findings("- name: KeyService__Clients__0__AllowedAudiences__0\n  KeyService__Clients__0__AllowedAudiences__0: https://mcp.example.com/mcp"));
    }

    /// <summary>Base64url of random bytes, as generated passwords and client secrets look.</summary>
    private static string RandomToken(int bytes) =>
        HighEntropy(() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    /// <summary>Standard base64 of random bytes, as key material looks.</summary>
    private static string RandomKey(int bytes) => HighEntropy(() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)));

    /// <summary>Draws again in the rare case a value lacks an upper-case letter, a lower-case letter or a digit.</summary>
    private static string HighEntropy(Func<string> draw)
    {
        while (true)
        {
            var value = draw();
            if (value.Any(char.IsUpper) && value.Any(char.IsLower) && value.Any(char.IsDigit))
            {
                return value;
            }
        }
    }

    /// <summary>Private keys, Secret objects with data, literal passwords, and long high-entropy tokens.</summary>
    private static IEnumerable<string> Findings(string text)
    {
        if (text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            yield return "PEM private key";
        }
        if (SecretObject().IsMatch(text))
        {
            yield return "a Secret object (secrets come only from secretGenerator)";
        }
        foreach (Match match in LiteralPassword().Matches(text))
        {
            yield return $"literal password '{match.Value}'";
        }
        foreach (Match match in Token().Matches(text))
        {
            var token = match.Value;
            if (token.Any(char.IsUpper) && token.Any(char.IsLower) && token.Any(char.IsDigit) && !ConfigurationKey().IsMatch(token))
            {
                yield return $"high-entropy string '{token[..6]}...'";
            }
        }
    }

    private static async Task<List<string>> CommittedFilesAsync()
    {
        var result = await ExternalTool.GitAsync(PublishedOutput.RepositoryRoot, ["ls-files", "--", .. DeploymentPaths]);
        Assert.Equal(0, result.ExitCode);
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>A .NET configuration key as an environment variable name, e.g. <c>KeyService__Clients__0__SecretHash</c>.</summary>
    [GeneratedRegex(@"^[A-Z][A-Za-z]*(__([A-Z][a-z]+[A-Za-z]*|[0-9]+))+$")]
    private static partial Regex ConfigurationKey();

    [GeneratedRegex(@"^kind:\s*Secret\s*$", RegexOptions.Multiline)]
    private static partial Regex SecretObject();

    [GeneratedRegex(@"(?i)(password|requirepass|secret)\s*[=:]\s*(?![\$\{""'\s]|\(|$)[^\s,""']+", RegexOptions.Multiline)]
    private static partial Regex LiteralPassword();

    /// <summary>Long base64-ish values; keys (followed by ':' or '=value', or after 'name:') are names, not values.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9+/_-])(?<!name:\s*)(?>[A-Za-z0-9+/_-]{32,})(?![""']?\s*:)(?!=[^=\s])")]
    private static partial Regex Token();
}
