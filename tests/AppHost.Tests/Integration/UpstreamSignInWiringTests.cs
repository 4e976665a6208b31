using System.Security.Cryptography;
using AppHost.ServiceWiring;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace AppHost.Tests.Integration;

/// <summary>The organisation's identity provider, set in the AppHost's settings, reaches every KeyService instance.</summary>
public sealed class UpstreamSignInWiringTests
{
    [Fact]
    public async Task A_configured_provider_reaches_every_keyservice_instance_and_its_client_secret_is_a_secret_parameter()
    {
        await using var builder = await CreateAsync("--AppHost:UpstreamSignIn:Authority=https://idp.example/tenant", "--AppHost:UpstreamSignIn:DisplayName=Example Corp");

        var secret = Assert.Single(builder.Resources.OfType<ParameterResource>(), p => p.Name == ServiceSettingsExtensions.UpstreamClientSecretParameter);
        Assert.True(secret.Secret);
        var keyservices = builder.Resources.OfType<ProjectResource>().Where(r => r.Name.StartsWith("keyservice-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, keyservices.Count);
        foreach (var keyservice in keyservices)
        {
            var environment = await LiteralEnvironmentAsync(builder, keyservice);
            Assert.Equal("https://idp.example/tenant", environment["KeyService__Authorization__Upstream__Authority"]);
            Assert.Equal("keyservice", environment["KeyService__Authorization__Upstream__ClientId"]);
            Assert.Equal("Example Corp", environment["KeyService__Authorization__Upstream__DisplayName"]);
            // The parameter itself, resolved only when the process starts: the secret is never a literal in the model.
            Assert.Same(secret, environment["KeyService__Authorization__Upstream__ClientSecret"]);
        }
    }

    [Fact]
    public async Task Without_a_provider_nothing_of_it_is_in_the_model()
    {
        await using var builder = await CreateAsync();

        Assert.DoesNotContain(builder.Resources.OfType<ParameterResource>(), p => p.Name == ServiceSettingsExtensions.UpstreamClientSecretParameter);
        var keyservice = builder.Resources.OfType<ProjectResource>().First(r => r.Name.StartsWith("keyservice-", StringComparison.Ordinal));
        Assert.DoesNotContain(await LiteralEnvironmentAsync(builder, keyservice), variable => variable.Key.Contains("Upstream", StringComparison.Ordinal));
    }

    /// <summary>The model as Program.cs builds it, with every secret given (so no generated one lands in user secrets).</summary>
    private static Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] settings) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                "--AppHost:RandomPorts=true", "--AppHost:Prometheus=false",
                $"--Parameters:dev-client-secret={Secret()}", $"--Parameters:dev-user-password={Secret()}",
                $"--Parameters:redis-password={Secret()}", $"--Parameters:keyservice-kek={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
                $"--Parameters:{ServiceSettingsExtensions.UpstreamClientSecretParameter}={Secret()}",
                .. settings,
            ],
            TestContext.Current.CancellationToken);

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    /// <summary>
    /// The variables the model's environment callbacks set without a running app. Callbacks that need one (allocated
    /// endpoints, generated secrets) fail here and are skipped: the provider's settings are not among them.
    /// </summary>
    private static async Task<Dictionary<string, object>> LiteralEnvironmentAsync(IDistributedApplicationTestingBuilder builder, ProjectResource resource)
    {
        var environment = new Dictionary<string, object>();
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            try
            {
                await callback.Callback(new EnvironmentCallbackContext(builder.ExecutionContext, environment, TestContext.Current.CancellationToken));
            }
            catch (Exception ex) when (ex is InvalidOperationException or DistributedApplicationException)
            {
                // Needs a started app model.
            }
        }
        return environment;
    }
}
