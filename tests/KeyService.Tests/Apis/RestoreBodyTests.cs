using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using KeyService.Keys;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Apis;

public sealed class RestoreBodyTests
{
    private const string Restore = "/admin/keys/restore";

    [Theory]
    [InlineData("""{"version":1,"keys":[null]}""")]
    [InlineData("""{"version":1,"keys":[{"kid":"k","created":"2026-01-01T00:00:00Z","activates":"2026-01-01T00:00:00Z","retires":"2026-01-02T00:00:00Z","removes":"2026-01-03T00:00:00Z","n":"AQAB","e":"AQAB","key":null}]}""")]
    [InlineData("""{"version":1,"keys":[{"kid":null,"n":"AQAB","e":"AQAB","key":"AQAB"}]}""")]
    [InlineData("""{"version":1,"keys":[{}]}""")]
    public async Task A_backup_with_a_missing_key_or_field_is_a_400_problem_not_a_500(string body)
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(TestSettings.Create());
        using var response = await host.Client.SendBearerAsync(HttpMethod.Post, Restore, await host.Client.GetAdminTokenAsync(), Json(body));

        await AssertNotABackupAsync(response);
    }

    [Fact]
    public async Task Repeated_keys_are_refused_before_any_is_decrypted()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(TestSettings.Create());
        var admin = await host.Client.GetAdminTokenAsync();
        using var backup = await host.Client.SendBearerAsync(HttpMethod.Get, "/admin/keys/backup", admin);
        var document = JsonNode.Parse(await backup.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var key = document["keys"]![0]!;
        // An envelope that would not decrypt: had the copies been decrypted first, the answer would be 422.
        key["key"] = Convert.ToBase64String(new byte[1200]);
        document["keys"] = new JsonArray([.. Enumerable.Range(0, 400).Select(_ => key.DeepClone())]);
        var body = document.ToJsonString();
        Assert.InRange(body.Length, 512 * 1024, 1024 * 1024);

        var clock = Stopwatch.StartNew();
        using var response = await host.Client.SendBearerAsync(HttpMethod.Post, Restore, admin, Json(body));
        TestContext.Current.TestOutputHelper?.WriteLine($"{body.Length} bytes, 400 copies: {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");

        await AssertNotABackupAsync(response);
    }

    [Fact]
    public async Task More_keys_than_a_ring_holds_are_refused_before_any_is_decrypted()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(TestSettings.Create());
        var keys = Enumerable.Range(0, KeyRingSerializer.MaxKeys + 1).Select(i => new
        {
            kid = $"kid-{i}", created = DateTimeOffset.UnixEpoch, activates = DateTimeOffset.UnixEpoch, retires = DateTimeOffset.UnixEpoch,
            removes = DateTimeOffset.MaxValue, n = "AQAB", e = "AQAB", key = Convert.ToBase64String(new byte[64]),
        });
        using var response = await host.Client.SendBearerAsync(HttpMethod.Post, Restore, await host.Client.GetAdminTokenAsync(),
            Json(JsonSerializer.Serialize(new { version = 1, keys })));

        await AssertNotABackupAsync(response);
    }

    private static async Task AssertNotABackupAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains("not a key ring backup", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
