using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using KeyService.Options;

namespace Operations.Tests.Deploy;

/// <summary>The deploy script's control flow against a recording fake kubectl: prerequisites, rollback, success.</summary>
[SupportedOSPlatform("linux")]
public sealed class DeployScriptTests : IDisposable
{
    private readonly DeployScript _deploy = new();

    [Theory]
    [InlineData("KUBECTL=kubectl-not-installed", "kubectl not found on PATH: install kubectl")]
    [InlineData("FAKE_CONTEXT=", "no current kubectl context: pick a cluster with 'kubectl config use-context NAME'")]
    [InlineData("FAKE_UNREACHABLE=1", "the cluster of context 'test-cluster' does not answer")]
    [InlineData("FAKE_MISSING=ingressclass", "ingress class 'nginx' not found: install ingress-nginx")]
    [InlineData("FAKE_MISSING=cert-manager", "cert-manager CRDs (certificates.cert-manager.io, clusterissuers.cert-manager.io) not found: install cert-manager")]
    [InlineData("FAKE_MISSING=clusterissuer", "ClusterIssuer 'letsencrypt-prod' not found")]
    public async Task A_missing_prerequisite_stops_it_with_its_own_message_before_anything_is_written_or_applied(string scenario, string message)
    {
        var (name, value) = (scenario.Split('=')[0], scenario.Split('=')[1]);
        _deploy.Environment[name] = value;

        var result = await _deploy.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("deploy: " + message, result.Error, StringComparison.Ordinal);
        Assert.Empty(_deploy.CallsOf("apply"));
        Assert.False(File.Exists(_deploy.KeyServiceSecrets), "no secret before the prerequisites pass");
    }

    [Fact]
    public async Task Every_missing_cluster_component_is_named_at_once()
    {
        _deploy.Environment["FAKE_MISSING"] = "ingressclass cert-manager clusterissuer";
        var result = await _deploy.RunAsync();
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(3, Regex.Count(result.Error, "^deploy: .* not found", RegexOptions.Multiline));
    }

    [Fact]
    public async Task A_good_deployment_generates_secrets_applies_waits_and_checks_health_jwks_and_a_token_round_trip()
    {
        await using var services = await StartServicesAsync();

        var result = await _deploy.RunAsync();

        Assert.True(result.ExitCode == 0, result.All);
        var calls = _deploy.Calls();
        Assert.Equal(
            ["config current-context", "get --raw /readyz", "get ingressclass nginx -o name",
             "get crd certificates.cert-manager.io clusterissuers.cert-manager.io -o name", "get clusterissuer letsencrypt-prod -o name",
             "get crd servicemonitors.monitoring.coreos.com prometheusrules.monitoring.coreos.com -o name"],
            calls.Take(6));
        Assert.Equal($"apply -k {_deploy.Overlay}", Assert.Single(_deploy.CallsOf("apply")));
        Assert.Equal(
            ["-n tot-mcp rollout status statefulset/redis --timeout=30s", "-n tot-mcp rollout status deployment/keyservice --timeout=30s",
             "-n tot-mcp rollout status deployment/totservice --timeout=30s"],
            _deploy.CallsOf("rollout"));
        Assert.Equal(["-n tot-mcp port-forward svc/keyservice :8080", "-n tot-mcp port-forward svc/totservice :8080"], _deploy.CallsOf("port-forward"));
        Assert.True(calls.ToList().IndexOf(_deploy.CallsOf("apply")[0]) < calls.ToList().IndexOf(_deploy.CallsOf("rollout")[0]));
        Assert.Equal($"client=dev grant_type=client_credentials resource={DeployScript.Audience}", Assert.Single(services.TokenRequests));

        var secrets = ReadEnv(_deploy.KeyServiceSecrets);
        Assert.Equal(32, Convert.FromBase64String(secrets["keyservice-kek"]).Length);
        Assert.Matches("^[0-9a-f]{64}$", ReadEnv(_deploy.RedisSecrets)["redis-password"]);
        var clientSecret = File.ReadAllText(_deploy.ClientSecretFile);
        Assert.True(ClientSecretHasher.Verify(clientSecret, secrets["client-0-secret-hash"]));
        foreach (var file in new[] { _deploy.KeyServiceSecrets, _deploy.RedisSecrets, _deploy.ClientSecretFile })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        AssertNoSecretIn(result.All, [clientSecret, secrets["keyservice-kek"], secrets["client-0-secret-hash"], ReadEnv(_deploy.RedisSecrets)["redis-password"]]);
        Assert.Contains($"deployed {DeployScript.Registry}/{{keyservice,totservice}}:{DeployScript.Tag}", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_deploy.Output, "rendered.yaml")), "the rendered Secrets must not stay on disk");
    }

    [Fact]
    public async Task Existing_secret_files_are_kept_byte_for_byte()
    {
        await using var services = await StartServicesAsync();
        const string clientSecret = "operator-chosen-secret-0123456789";
        var keyService = $"client-0-secret-hash={ClientSecretHasher.Hash(clientSecret)}\nkeyservice-kek={Convert.ToBase64String(new byte[32])}\n";
        File.WriteAllText(_deploy.KeyServiceSecrets, keyService);
        File.WriteAllText(_deploy.RedisSecrets, "redis-password=operator-chosen\n");
        var secretFile = Path.Combine(_deploy.Manifests, "..", "client.secret");
        File.WriteAllText(secretFile, clientSecret);

        var result = await _deploy.RunAsync("--client-secret-file", secretFile);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(keyService, File.ReadAllText(_deploy.KeyServiceSecrets));
        Assert.Equal("redis-password=operator-chosen\n", File.ReadAllText(_deploy.RedisSecrets));
        Assert.Contains("keeping existing keyservice/keyservice.secret.env", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(_deploy.ClientSecretFile));
    }

    [Fact]
    public async Task An_existing_secret_file_with_an_empty_key_is_refused_not_overwritten()
    {
        File.WriteAllText(_deploy.KeyServiceSecrets, "client-0-secret-hash=\nkeyservice-kek=abc\n");
        var result = await _deploy.RunAsync();
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("has no value for 'client-0-secret-hash'", result.Error, StringComparison.Ordinal);
        Assert.Equal("client-0-secret-hash=\nkeyservice-kek=abc\n", File.ReadAllText(_deploy.KeyServiceSecrets));
        Assert.Empty(_deploy.CallsOf("apply"));
    }

    [Fact]
    public async Task An_invalid_render_is_never_applied_and_its_secrets_do_not_stay_on_disk()
    {
        var deployment = Path.Combine(_deploy.Manifests, "keyservice", "deployment.yaml");
        File.WriteAllText(deployment, File.ReadAllText(deployment).Replace("image: keyservice", "image: other.example.org/ks:1", StringComparison.Ordinal));

        var result = await _deploy.RunAsync();

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"deploy: keyservice does not run {DeployScript.Registry}/keyservice:{DeployScript.Tag}", result.Error, StringComparison.Ordinal);
        Assert.Empty(_deploy.CallsOf("apply"));
        Assert.True(File.Exists(_deploy.KeyServiceSecrets), "secrets are generated before the render");
        Assert.False(File.Exists(Path.Combine(_deploy.Output, "rendered.yaml")), "the rendered Secrets must not stay on disk");
    }

    [Fact]
    public async Task A_failed_rollout_rolls_back_the_workloads_this_run_changed_and_exits_non_zero()
    {
        _deploy.Environment["FAKE_UNCHANGED"] = "statefulset/redis";
        _deploy.Environment["FAKE_ROLLOUT_FAIL"] = "deployment/totservice";

        var result = await _deploy.RunAsync();

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("deploy: FAILED: rollout of deployment/totservice did not finish within 30s", result.Error, StringComparison.Ordinal);
        Assert.Equal(["-n tot-mcp rollout undo deployment/keyservice", "-n tot-mcp rollout undo deployment/totservice"], _deploy.CallsOf("rollout undo"));
        Assert.Contains("deploy: rolled back deployment/keyservice deployment/totservice", result.Error, StringComparison.Ordinal);
        Assert.Empty(_deploy.CallsOf("port-forward"));
    }

    [Fact]
    public async Task A_failed_first_install_says_there_is_nothing_to_roll_back_to()
    {
        _deploy.Environment["FAKE_EXISTING"] = "";
        _deploy.Environment["FAKE_ROLLOUT_FAIL"] = "deployment/keyservice";

        var result = await _deploy.RunAsync();

        Assert.Equal(4, result.ExitCode);
        Assert.Empty(_deploy.CallsOf("rollout undo"));
        Assert.Contains("statefulset/redis deployment/keyservice deployment/totservice created by this run: nothing to roll back to", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("rollout status deployment/totservice", string.Join('\n', _deploy.Calls()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false, "the JWKS at keyservice /.well-known/jwks.json is not 200 with at least one key")]
    [InlineData(false, true, "totservice /mcp refused the token keyservice issued (HTTP 401)")]
    public async Task A_failed_check_after_the_rollout_rolls_back(bool emptyJwks, bool refuseTokens, string message)
    {
        await using var services = await StartServicesAsync(emptyJwks, refuseTokens);

        var result = await _deploy.RunAsync();

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("deploy: FAILED: " + message, result.Error, StringComparison.Ordinal);
        Assert.Equal(3, _deploy.CallsOf("rollout undo").Count);
    }

    [Fact]
    public async Task Without_the_prometheus_operator_it_applies_everything_but_the_monitoring_objects()
    {
        await using var services = await StartServicesAsync();
        _deploy.Environment["FAKE_MISSING"] = "monitoring";

        var result = await _deploy.RunAsync();

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal($"apply -k {_deploy.Overlay} -l app.kubernetes.io/component!=monitoring", Assert.Single(_deploy.CallsOf("apply")));
        Assert.Contains("no Prometheus Operator CRDs", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tag", "latest", "--tag latest is not a version")]
    [InlineData("--domain", "Company.COM", "--domain 'Company.COM' is not a DNS name")]
    [InlineData("--timeout", "soon", "--timeout 'soon' must look like 300s or 5m")]
    public async Task Bad_arguments_are_refused_before_any_kubectl_call(string option, string value, string message)
    {
        var result = await _deploy.RunAsync(option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(_deploy.Calls());
    }

    public void Dispose() => _deploy.Dispose();

    /// <summary>Fake services the fake kubectl's port-forwards point at.</summary>
    private async Task<FakeServices> StartServicesAsync(bool emptyJwks = false, bool refuseTokens = false)
    {
        var services = new FakeServices
        {
            SecretEnvPath = _deploy.KeyServiceSecrets, ExpectedResource = DeployScript.Audience, EmptyJwks = emptyJwks, RefuseTokens = refuseTokens,
        };
        await services.StartAsync();
        _deploy.ForwardTo(services);
        return services;
    }

    private static Dictionary<string, string> ReadEnv(string path) =>
        File.ReadLines(path).Where(l => l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);

    private static void AssertNoSecretIn(string output, IEnumerable<string> secrets) =>
        Assert.All(secrets, secret => Assert.False(output.Contains(secret, StringComparison.Ordinal), "a secret was printed"));
}
