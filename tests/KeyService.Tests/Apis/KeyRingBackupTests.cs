using System.Net;
using System.Net.Http.Headers;
using KeyService.Storage;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Apis;

public sealed class KeyRingBackupTests
{
    private const string Backup = "/admin/keys/backup";
    private const string Restore = "/admin/keys/restore";

    [Fact]
    public async Task Backup_wipe_restore_and_tokens_issued_before_still_validate_on_a_fresh_replica()
    {
        var settings = TestSettings.Create();
        // No periodic write-back between the wipe and the restore: the restore alone must bring the keys back.
        settings["KeyService:JwksRefreshCheckInterval"] = "00:30:00";
        var ringFile = Path.Combine(settings["KeyService:DataDirectory"]!, FileKeyRingStore.FileName);
        await using var first = await KeyServiceHost.StartHealthyAsync(settings);
        var before = await first.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret);
        var admin = await first.Client.GetAdminTokenAsync();
        using var backup = await first.Client.SendBearerAsync(HttpMethod.Get, Backup, admin);
        var document = await backup.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, backup.StatusCode);
        Assert.True(backup.Headers.CacheControl?.NoStore);
        PrivateKeyMaterial.AssertAbsent(document, first.Cache.Current.Ring.Keys.Single().Rsa);

        File.Delete(ringFile);
        using var restored = await first.Client.SendBearerAsync(HttpMethod.Post, Restore, admin, Json(document));

        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal([first.Cache.Current.Ring.Keys.Single().Kid], (await restored.ReadJsonAsync()).GetProperty("restored").EnumerateArray().Select(k => k.GetString()));
        Assert.True(File.Exists(ringFile));
        await AssertValidatesAsync(settings, before);
    }

    [Fact]
    public async Task A_store_that_made_a_new_key_after_the_wipe_is_restored_into_only_when_forced()
    {
        var settings = TestSettings.Create();
        var ringFile = Path.Combine(settings["KeyService:DataDirectory"]!, FileKeyRingStore.FileName);
        string before;
        byte[] document;
        await using (var lost = await KeyServiceHost.StartHealthyAsync(settings))
        {
            before = await lost.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret);
            using var backup = await lost.Client.SendBearerAsync(HttpMethod.Get, Backup, await lost.Client.GetAdminTokenAsync());
            document = await backup.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        }
        File.Delete(ringFile);

        await using var replacement = await KeyServiceHost.StartHealthyAsync(settings);
        var admin = await replacement.Client.GetAdminTokenAsync();
        using var refused = await replacement.Client.SendBearerAsync(HttpMethod.Post, Restore, admin, Json(document));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("force=true", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False((await JwksValidator.ValidateAsync(before, await JwksAsync(replacement))).IsValid);

        using var forced = await replacement.Client.SendBearerAsync(HttpMethod.Post, Restore + "?force=true", admin, Json(document));

        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var keys = (await forced.ReadJsonAsync()).GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        Assert.True((await JwksValidator.ValidateAsync(before, await JwksAsync(replacement))).IsValid);
        // The new key keeps signing: tokens it issued since the wipe stay valid too.
        Assert.True((await JwksValidator.ValidateAsync(await replacement.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret), await JwksAsync(replacement))).IsValid);
        await AssertValidatesAsync(settings, before);
    }

    [Fact]
    public async Task A_ring_encrypted_under_another_key_encryption_key_is_refused_with_a_clear_message()
    {
        byte[] foreign;
        await using (var other = await KeyServiceHost.StartHealthyAsync(TestSettings.Create()))
        {
            using var backup = await other.Client.SendBearerAsync(HttpMethod.Get, Backup, await other.Client.GetAdminTokenAsync());
            foreign = await backup.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        }
        await using var host = await KeyServiceHost.StartHealthyAsync(TestSettings.Create());
        var admin = await host.Client.GetAdminTokenAsync();
        var kids = host.Cache.Current.Ring.Keys.Select(k => k.Kid).ToList();

        using var refused = await host.Client.SendBearerAsync(HttpMethod.Post, Restore + "?force=true", admin, Json(foreign));
        using var garbage = await host.Client.SendBearerAsync(HttpMethod.Post, Restore, admin, Json("{\"not\":\"a ring\"}"u8.ToArray()));
        using var anonymous = await host.Client.PostAsync(new Uri(Restore, UriKind.Relative), Json(foreign), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("KeyService:KeyEncryptionKey", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(kids, host.Cache.Current.Ring.Keys.Select(k => k.Kid));
    }

    /// <summary>A replica started now, knowing only the store, validates <paramref name="token"/> with its JWKS.</summary>
    private static async Task AssertValidatesAsync(Dictionary<string, string?> settings, string token)
    {
        await using var fresh = await KeyServiceHost.StartHealthyAsync(settings);
        var result = await JwksValidator.ValidateAsync(token, await JwksAsync(fresh));
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    private static Task<string> JwksAsync(KeyServiceHost host) =>
        host.Client.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), TestContext.Current.CancellationToken);

    private static ByteArrayContent Json(byte[] document)
    {
        var content = new ByteArrayContent(document);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
