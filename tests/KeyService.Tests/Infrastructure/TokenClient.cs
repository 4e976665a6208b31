using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace KeyService.Tests.Infrastructure;

/// <summary>Token endpoint calls the way an OAuth client makes them.</summary>
public static class TokenClient
{
    public static async Task<HttpResponseMessage> PostTokenAsync(this HttpClient client, IEnumerable<KeyValuePair<string, string>> form, (string Id, string Secret)? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        if (basic is { } credentials)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
                Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(credentials.Id)}:{Uri.EscapeDataString(credentials.Secret)}")));
        }
        // Awaited here: the request (and its content) must outlive a connection that is still being opened.
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<string> GetTokenAsync(this HttpClient client, string clientId, string secret, string? scope = null, string? resource = null)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (scope is not null)
        {
            form.Add(new("scope", scope));
        }
        if (resource is not null)
        {
            form.Add(new("resource", resource));
        }
        using var response = await client.PostTokenAsync(form, (clientId, secret));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token request failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A request with <paramref name="token"/> as its bearer token.</summary>
    public static async Task<HttpResponseMessage> SendBearerAsync(this HttpClient client, HttpMethod method, string path, string token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static Task<string> GetAdminTokenAsync(this HttpClient client) =>
        client.GetTokenAsync(TestSettings.AdminClient, TestSettings.AdminSecret, "keys:admin", TestSettings.Issuer);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
}
