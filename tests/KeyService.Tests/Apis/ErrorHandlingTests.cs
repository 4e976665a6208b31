using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KeyService.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace KeyService.Tests.Apis;

public sealed class ErrorHandlingTests
{
    private const string Boom = "/test/boom";
    private const string Internals = "internal detail 0451";
    private static readonly string BasicCredentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestSettings.DevClient}:{TestSettings.DevSecret}"));

    public static TheoryData<string> UnsupportedCharsets => ["utf-7", "UTF-7", "\"utf-7\"", "unicode-1-1-utf-7", "csUnicode11UTF7", "x-unicode20utf7", "utf-16", "no-such-charset"];

    [Theory]
    [MemberData(nameof(UnsupportedCharsets))]
    public async Task Unsupported_charsets_are_an_invalid_request_without_a_stack_even_in_Development(string charset)
    {
        await using var host = await StartAsync("Development");
        using var request = TokenRequest($"application/x-www-form-urlencoded; charset={charset}", "grant_type=client_credentials");

        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid_request", (await response.ReadJsonAsync()).GetProperty("error").GetString());
        AssertNoInternals(body);
    }

    [Fact]
    public async Task A_UTF_8_charset_parameter_is_accepted()
    {
        await using var host = await StartAsync("Production");
        using var request = TokenRequest("application/x-www-form-urlencoded; charset=UTF-8", "grant_type=client_credentials");

        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_form_is_an_invalid_request()
    {
        await using var host = await StartAsync("Production");
        using var request = TokenRequest("application/x-www-form-urlencoded", "grant_type=client_credentials&scope=" + new string('a', 64 * 1024));

        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task An_unexpected_exception_is_problem_details_without_internals_and_no_developer_page(string environment)
    {
        await using var host = await StartAsync(environment);
        using var request = new HttpRequestMessage(HttpMethod.Get, Boom);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials);
        request.Headers.Accept.ParseAdd("text/html,application/json;q=0.9,*/*;q=0.8");

        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(500, (await response.ReadJsonAsync()).GetProperty("status").GetInt32());
        AssertNoInternals(body);
        Assert.DoesNotContain(Internals, body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
        Assert.Empty(response.Headers.Server);
    }

    [Fact]
    public async Task No_response_names_the_server()
    {
        await using var host = await StartAsync("Production");

        using var token = await host.Client.PostTokenAsync([new("grant_type", "client_credentials")], (TestSettings.DevClient, TestSettings.DevSecret));
        using var jwks = await host.Client.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), TestContext.Current.CancellationToken);
        using var missing = await host.Client.GetAsync(new Uri("/nothing-here", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.All([token, jwks, missing], response => Assert.Empty(response.Headers.Server));
    }

    private static void AssertNoInternals(string body)
    {
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
        Assert.DoesNotContain(BasicCredentials, body, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
    }

    private static HttpRequestMessage TokenRequest(string contentType, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials);
        return request;
    }

    private static Task<KeyServiceHost> StartAsync(string environment) => KeyServiceHost.StartHealthyAsync(TestSettings.Create(), environment,
        app => app.MapGet(Boom, string () => throw new InvalidOperationException(Internals)));
}
