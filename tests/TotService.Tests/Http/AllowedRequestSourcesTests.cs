using TotService.Configuration;
using TotService.Http;

namespace TotService.Tests.Http;

public sealed class AllowedRequestSourcesTests
{
    private static AllowedRequestSources Sources(string[]? hosts = null, string[]? origins = null, bool development = false) => new(new TotServiceOptions
    {
        Audience = "https://tot.example.com/mcp",
        AllowedHosts = hosts ?? [],
        AllowedOrigins = origins ?? [],
    }, development);

    [Theory]
    [InlineData("tot.example.com", true)]
    [InlineData("TOT.example.com:443", true)]
    [InlineData("localhost:5102", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]:8080", true)]
    [InlineData("[::1", false)]
    [InlineData("evil.example.com", false)]
    [InlineData("tot.example.com.evil", false)]
    [InlineData("", false)]
    [InlineData(":80", false)]
    public void Without_configured_hosts_the_audience_host_and_loopback_are_allowed(string host, bool allowed)
    {
        Assert.Equal(allowed, Sources().IsAllowedHost(host));
    }

    [Theory]
    [InlineData("api.example.org", true)]
    [InlineData("a.b.example.org:8443", true)]
    [InlineData("example.org", false)]
    [InlineData("other.test", true)]
    [InlineData("tot.example.com", false)]
    [InlineData("localhost", false)]
    public void Configured_hosts_replace_the_defaults_and_suffix_patterns_need_a_subdomain(string host, bool allowed)
    {
        Assert.Equal(allowed, Sources(hosts: ["*.example.org", "other.test"]).IsAllowedHost(host));
    }

    [Fact]
    public void A_star_allows_any_non_empty_host()
    {
        Assert.True(Sources(hosts: ["*"]).IsAllowedHost("anything.at.all"));
        Assert.False(Sources(hosts: ["*"]).IsAllowedHost(""));
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://APP.example.com/", true)]
    [InlineData("http://app.example.com", false)]
    [InlineData("https://app.example.com:8443", false)]
    [InlineData("null", false)]
    public void Origins_match_exactly_ignoring_case_and_a_trailing_slash(string origin, bool allowed)
    {
        Assert.Equal(allowed, Sources(origins: ["https://app.example.com/"]).IsAllowedOrigin(origin));
    }

    [Theory]
    [InlineData("https://tot.example.com", true)]
    [InlineData("https://tot.example.com:443", false)]
    [InlineData("http://tot.example.com", false)]
    public void The_servers_own_origin_is_allowed_without_configuration(string origin, bool allowed)
    {
        Assert.Equal(allowed, Sources().IsAllowedOrigin(origin));
    }

    [Theory]
    [InlineData("http://localhost:6274", true, true)]
    [InlineData("http://127.0.0.1:5173", true, true)]
    [InlineData("https://[::1]:8443", true, true)]
    [InlineData("http://localhost", true, true)]
    [InlineData("http://localhost:6274", false, false)]
    [InlineData("http://localhost.evil.test:6274", true, false)]
    [InlineData("http://localhost:6274/path", true, false)]
    [InlineData("http://user@localhost:6274", true, false)]
    [InlineData("http://localhost:99999", true, false)]
    [InlineData("http://localhost:", true, false)]
    [InlineData("file://localhost", true, false)]
    [InlineData("null", true, false)]
    public void Loopback_origins_on_any_port_are_allowed_in_development_only(string origin, bool development, bool allowed)
    {
        Assert.Equal(allowed, Sources(development: development).IsAllowedOrigin(origin));
    }
}
