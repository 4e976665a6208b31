using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Apis;

public sealed class DevelopmentModeTests
{
    [Fact]
    public async Task Development_runs_without_a_key_encryption_key_and_with_a_plain_secret_and_survives_a_restart()
    {
        var settings = TestSettings.Create();
        settings["KeyService:KeyEncryptionKey"] = null;
        settings["KeyService:Clients:0:SecretHash"] = null;
        settings["KeyService:Clients:0:Secret"] = "plain-dev-secret";

        string firstKid;
        await using (var first = await KeyServiceHost.StartAsync(settings, "Development"))
        {
            await first.WaitForHealthAsync();
            firstKid = first.Cache.Current.Ring.Keys.Single().Kid;
            Assert.False(string.IsNullOrEmpty(await first.Client.GetTokenAsync(TestSettings.DevClient, "plain-dev-secret")));
        }

        // The next run has another ephemeral key-encryption key: the unreadable ring is replaced, not fatal.
        await using var second = await KeyServiceHost.StartAsync(settings, "Development");
        await second.WaitForHealthAsync();
        Assert.NotEqual(firstKid, second.Cache.Current.Ring.Keys.Single().Kid);
        Assert.False(string.IsNullOrEmpty(await second.Client.GetTokenAsync(TestSettings.DevClient, "plain-dev-secret")));
    }
}
