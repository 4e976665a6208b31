using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AppHost.Hosting.Model;
using AppHost.Hosting.Testing;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Auth;

/// <summary>
/// The app model with a key lifecycle measured in seconds (still satisfying KeyService's safety rules) and an
/// admin client, so rotation can be driven and observed end to end.
/// </summary>
public sealed class FastRotationAppModel : AppModel
{
    public const string AdminClientId = "rotation-admin";
    public const string AdminSecret = "rotation-admin-secret-for-tests-only";
    public static readonly TimeSpan PropagationTime = TimeSpan.FromSeconds(3);

    protected override void Configure(DistributedApplicationTestingBuilder builder)
    {
        builder
            .WithEnvironment("keyservice", "KeyService__JwksMaxAge", "00:00:02")
            .WithEnvironment("keyservice", "KeyService__PropagationTime", "00:00:03")
            .WithEnvironment("keyservice", "KeyService__JwksRefreshCheckInterval", "00:00:01")
            .WithEnvironment("keyservice", "KeyService__TokenLifetime", "00:02:00")
            .WithEnvironment("keyservice", "KeyService__GraceTime", "00:05:00")
            .WithEnvironment("keyservice", "KeyService__RotationInterval", "01:00:00")
            .WithEnvironment("keyservice", "KeyService__Clients__1__ClientId", AdminClientId)
            .WithEnvironment("keyservice", "KeyService__Clients__1__Secret", AdminSecret)
            .WithEnvironment("keyservice", "KeyService__Clients__1__AllowedScopes__0", "keys:admin")
            .WithEnvironment("keyservice", "KeyService__Clients__1__AllowedAudiences__0", ReferenceExpression.Create($"{builder.GetEndpoint("keyservice")}"))
            .WithEnvironment("totservice", "TotService__JwksRefreshInterval", "00:00:01");
    }

    public async Task<string> GetAdminTokenAsync(CancellationToken cancellationToken)
    {
        using var http = App.CreateHttpClient("keyservice");
        var issuer = App.GetEndpoint("keyservice").ToString().TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = "keys:admin",
                ["resource"] = issuer,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminClientId}:{AdminSecret}")));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"admin token request failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }
}
