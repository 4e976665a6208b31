using System.Net.Http.Headers;
using System.Text.Json;
using AppHost.Hosting.Model;
using AppHost.Hosting.Testing;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Tot;

/// <summary>
/// The app model with two TotService replicas (restarted by the orchestrator when they die) on one Redis, and a
/// second KeyService client ("other") so ownership can be tested with two real subjects.
/// </summary>
public sealed class TotAppModel : AppModel
{
    public const string OtherClientId = "other";

    // Plain client secrets are accepted in Development (the app model's default environment) only.
    public string OtherClientSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    protected override IReadOnlyDictionary<string, int> Replicas => new Dictionary<string, int> { ["totservice"] = 2 };

    protected override void Configure(DistributedApplicationTestingBuilder builder)
    {
        var totservice = builder.Builder.GetResource<ProjectResource>("totservice");
        totservice.Restart = RestartPolicy.OnFailure(3);
        builder
            .WithEnvironment("keyservice", "KeyService__Clients__1__ClientId", OtherClientId)
            .WithEnvironment("keyservice", "KeyService__Clients__1__Secret", OtherClientSecret)
            .WithEnvironment("keyservice", "KeyService__Clients__1__AllowedScopes__0", "tot:read")
            .WithEnvironment("keyservice", "KeyService__Clients__1__AllowedScopes__1", "tot:write");
        var audience = new EndpointReference(totservice, totservice.EndpointName);
        builder.Builder.GetResource<Resource>("keyservice").Environment["KeyService__Clients__1__AllowedAudiences__0"] =
            ReferenceExpression.Create($"{audience}/mcp");
    }

    /// <summary>A token for the second client from KeyService's real token endpoint.</summary>
    public async Task<string> GetOtherTokenAsync(CancellationToken cancellationToken)
    {
        using var http = App.CreateHttpClient("keyservice");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{OtherClientId}:{OtherClientSecret}")));
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["resource"] = Audience,
            ["scope"] = "tot:read tot:write",
        });
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"token request failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }
}
