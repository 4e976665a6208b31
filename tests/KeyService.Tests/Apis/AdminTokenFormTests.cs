using System.Net;
using KeyService.Tests.Infrastructure;
using KeyService.Tokens;

namespace KeyService.Tests.Apis;

public sealed class AdminTokenFormTests
{
    [Theory]
    [InlineData("{0}==")]
    [InlineData("{0}=")]
    [InlineData("{0}.")]
    [InlineData("{0}.e30")]
    [InlineData("{0}%3D%3D")]
    public async Task An_admin_token_in_any_spelling_but_the_exact_compact_form_is_refused_on_every_admin_route(string spelling)
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(TestSettings.Create());
        var admin = await host.Client.GetAdminTokenAsync();
        var respelled = string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, admin);

        using var list = await host.Client.SendBearerAsync(HttpMethod.Get, "/admin/keys", respelled);
        using var rotate = await host.Client.SendBearerAsync(HttpMethod.Post, "/admin/keys/rotate", respelled);
        using var exact = await host.Client.SendBearerAsync(HttpMethod.Get, "/admin/keys", admin);

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rotate.StatusCode);
        Assert.Contains("invalid_token", rotate.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Single(host.Cache.Current.Ring.Keys);
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
    }

    [Theory]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", true)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.c2ln==", false)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.", false)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9..c2ln", false)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.c2ln.e30.e30", false)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.c2lnX", false)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.c2l+", false)]
    [InlineData("", false)]
    public void The_compact_form_is_three_non_empty_unpadded_base64url_segments(string token, bool expected) =>
        Assert.Equal(expected, CompactJwsTokenHandler.IsCompactJws(token));
}
