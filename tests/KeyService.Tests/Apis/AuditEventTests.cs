using System.Net;
using KeyService.Diagnostics;
using KeyService.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace KeyService.Tests.Apis;

public sealed class AuditEventTests
{
    private static readonly KeyValuePair<string, string>[] Grant = [new("grant_type", "client_credentials")];

    [Fact]
    public async Task An_issued_token_is_audited_with_client_scope_audience_source_and_jti_but_not_the_token()
    {
        var logs = new RecordingLoggerProvider();
        var settings = TestSettings.Create();
        await using var host = await KeyServiceHost.StartHealthyAsync(settings, logs: logs);

        var token = await host.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret, "tot:read");

        var issued = Assert.Single(Audit(logs), r => r.EventId.Name == "TokenIssued");
        Assert.Equal(2001, issued.EventId.Id);
        Assert.Equal(TestSettings.DevClient, issued["ClientId"]);
        Assert.Equal("tot:read", issued["Scope"]);
        Assert.Equal(TestSettings.McpAudience, issued["Audience"]);
        Assert.Equal("success", issued["Result"]);
        Assert.Equal("127.0.0.1", issued["Source"]);
        Assert.Equal(new JsonWebToken(token).Id, issued["Jti"]);
        Assert.Equal(new JsonWebToken(token).Kid, issued["KeyId"]);
        AssertNothingSecret(logs, settings, token);
    }

    [Fact]
    public async Task Refused_tokens_are_audited_with_the_configured_id_or_unknown_and_never_the_secret()
    {
        var logs = new RecordingLoggerProvider();
        var settings = TestSettings.Create();
        settings["KeyService:ClientFailureLimit"] = "1";
        await using var host = await KeyServiceHost.StartHealthyAsync(settings, logs: logs);
        const string wrongSecret = "wrong-secret-that-must-not-be-logged";
        const string probedId = "probed-id-that-must-not-be-logged";

        using var wrong = await host.Client.PostTokenAsync([.. Grant, new("scope", "tot:read")], (TestSettings.DevClient, wrongSecret));
        using var throttled = await host.Client.PostTokenAsync(Grant, (TestSettings.DevClient, TestSettings.DevSecret));
        using var unknown = await host.Client.PostTokenAsync(Grant, (probedId, wrongSecret));

        var refused = Audit(logs).Where(r => r.EventId.Name == "TokenRefused").ToList();
        Assert.All(refused, r => Assert.Equal(2002, r.EventId.Id));
        Assert.Equal([(TestSettings.DevClient, "401"), (TestSettings.DevClient, "429"), ("unknown", "401")], refused.Select(r => (r["ClientId"], r["Status"])));
        Assert.All(refused, r => Assert.Equal("invalid_client", r["Result"]));
        Assert.Equal("tot:read", refused[0]["Scope"]);
        Assert.All(refused, r => Assert.Equal("127.0.0.1", r["Source"]));
        Assert.DoesNotContain(logs.Records, r => r.AllText.Contains(wrongSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Records, r => r.AllText.Contains(probedId, StringComparison.Ordinal));
        AssertNothingSecret(logs, settings, token: null);
    }

    [Fact]
    public async Task Admin_actions_and_key_changes_are_audited_with_who_kid_and_state_and_no_key_material()
    {
        var logs = new RecordingLoggerProvider();
        var settings = TestSettings.Create();
        await using var host = await KeyServiceHost.StartHealthyAsync(settings, logs: logs);
        var admin = await host.Client.GetAdminTokenAsync();
        var firstKid = host.Cache.Current.Ring.Keys.Single().Kid;

        using var anonymous = await host.Client.GetAsync(new Uri("/admin/keys", UriKind.Relative), TestContext.Current.CancellationToken);
        using var listed = await host.Client.SendBearerAsync(HttpMethod.Get, "/admin/keys", admin);
        using var rotated = await host.Client.SendBearerAsync(HttpMethod.Post, "/admin/keys/rotate", admin);
        using var backup = await host.Client.SendBearerAsync(HttpMethod.Get, "/admin/keys/backup", admin);
        Assert.Equal(HttpStatusCode.Accepted, rotated.StatusCode);
        var pendingKid = (await rotated.ReadJsonAsync()).GetProperty("kid").GetString();

        var audit = Audit(logs).ToList();
        var initial = Assert.Single(audit, r => r.EventId.Name == "KeyCreated" && r["KeyId"] == firstKid);
        Assert.Equal((2101, "active", "initial", AuditLog.SystemActor), (initial.EventId.Id, initial["State"], initial["Reason"], initial["Who"]));
        var manual = Assert.Single(audit, r => r.EventId.Name == "KeyCreated" && r["KeyId"] == pendingKid);
        Assert.Equal(("published", "manual", TestSettings.AdminClient), (manual["State"], manual["Reason"], manual["Who"]));
        var denied = Assert.Single(audit, r => r.EventId.Name == "AdminAccessDenied");
        Assert.Equal((2206, "anonymous", "401", "/admin/keys"), (denied.EventId.Id, denied["Who"], denied["Status"], denied["Path"]));
        Assert.Equal(TestSettings.AdminClient, Assert.Single(audit, r => r.EventId.Name == "AdminKeysListed")["Who"]);
        var rotation = Assert.Single(audit, r => r.EventId.Name == "AdminRotationRequested");
        Assert.Equal((TestSettings.AdminClient, "accepted", pendingKid), (rotation["Who"], rotation["Result"], rotation["KeyId"]));
        var backedUp = Assert.Single(audit, r => r.EventId.Name == "KeyRingBackedUp");
        Assert.Equal((2203, TestSettings.AdminClient, "2"), (backedUp.EventId.Id, backedUp["Who"], backedUp["KeyCount"]));

        AssertNothingSecret(logs, settings, admin);
        var everything = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', logs.Records.Select(r => r.AllText)));
        foreach (var key in host.Cache.Current.Ring.Keys)
        {
            PrivateKeyMaterial.AssertAbsent(everything, key.Rsa);
            Assert.DoesNotContain(key.ProtectedPrivateKey[..32], System.Text.Encoding.UTF8.GetString(everything), StringComparison.Ordinal);
        }
    }

    private static IEnumerable<LogRecord> Audit(RecordingLoggerProvider logs) => logs.Category(AuditLog.Category);

    /// <summary>No record of any category holds a client secret, the key-encryption key or an issued token.</summary>
    private static void AssertNothingSecret(RecordingLoggerProvider logs, Dictionary<string, string?> settings, string? token)
    {
        var needles = new List<string> { TestSettings.DevSecret, TestSettings.AdminSecret, settings["KeyService:KeyEncryptionKey"]! };
        if (token is not null)
        {
            needles.Add(token);
            needles.Add(token.Split('.')[2]);
        }
        foreach (var record in logs.Records)
        {
            Assert.All(needles, needle => Assert.DoesNotContain(needle, record.AllText, StringComparison.Ordinal));
        }
    }
}
