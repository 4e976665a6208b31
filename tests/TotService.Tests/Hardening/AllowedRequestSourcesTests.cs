using TotService.Configuration;
using TotService.Hardening;

namespace TotService.Tests.Hardening;

public sealed class AllowedRequestSourcesTests
{
    private static AllowedRequestSources Sources(string[]? hosts = null, string[]? origins = null) => new(new TotServiceOptions
    {
        Audience = "https://tot.example.com/mcp",
        AllowedHosts = hosts ?? [],
        AllowedOrigins = origins ?? [],
    });

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
}
