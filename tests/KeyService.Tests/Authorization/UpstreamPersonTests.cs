using System.Security.Claims;
using KeyService.Authorization;
using Microsoft.Extensions.Hosting.Internal;

namespace KeyService.Tests.Authorization;

/// <summary>How the provider's ID token becomes a person at KeyService, and which upstream settings are refused at start.</summary>
public sealed class UpstreamPersonTests
{
    private static readonly string[] UserScopes = ["tot:read", "tot:write"];

    [Fact]
    public void Groups_grant_the_union_of_their_scopes_in_the_order_KeyService_lists_them()
    {
        var upstream = Upstream(("writers", ["tot:write"]), ("readers", ["tot:read"]));

        var (person, refusal) = UpstreamPerson.From(IdToken(("sub", "u1"), ("name", "Una"), ("groups", "writers"), ("groups", "readers")), upstream, UserScopes);

        Assert.Null(refusal);
        Assert.Equal(("u1", "Una"), (person!.Subject, person.Name));
        Assert.Equal(["tot:read", "tot:write"], person.Scopes);
        Assert.Equal(["tot:write"], person.Grantable(["tot:write", "admin"]));
    }

    [Fact]
    public void The_configured_claims_are_read_and_the_subject_names_a_person_without_a_name()
    {
        var upstream = Upstream();
        upstream.SubjectClaim = "oid";
        upstream.NameClaim = "preferred_username";

        var (person, _) = UpstreamPerson.From(IdToken(("sub", "pairwise-1"), ("oid", "object-7")), upstream, UserScopes);

        Assert.Equal("object-7", person!.Subject);
        Assert.Equal("object-7", person.Name);
        Assert.Equal(UserScopes, person.Scopes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("line\nbreak")]
    public void A_missing_or_unusable_subject_is_refused_in_words_for_the_person(string? subject)
    {
        (string, string)[] claims = subject is null ? [("name", "Nobody")] : [("sub", subject)];

        var (person, refusal) = UpstreamPerson.From(IdToken(claims), Upstream(), UserScopes);

        Assert.Null(person);
        Assert.Equal("Example Corp did not say who you are in a form KeyService accepts.", refusal);
    }

    [Fact]
    public void A_subject_longer_than_the_limit_is_refused()
    {
        var (person, _) = UpstreamPerson.From(IdToken(("sub", new string('s', UpstreamPerson.MaxSubjectLength + 1))), Upstream(), UserScopes);

        Assert.Null(person);
    }

    [Fact]
    public void A_person_in_no_listed_group_is_refused()
    {
        var (person, refusal) = UpstreamPerson.From(IdToken(("sub", "u2"), ("groups", "sales")), Upstream(("writers", ["tot:write"])), UserScopes);

        Assert.Null(person);
        Assert.Contains("in no group that may use this service", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", "http://idp.example", null, "Upstream:Authority must be https outside Development")]
    [InlineData("Development", "ftp://idp.example", null, "Upstream:Authority must be the provider's issuer URL")]
    [InlineData("Production", "https://idp.example", "no-secret", "Upstream:ClientSecret must be set")]
    [InlineData("Production", "https://idp.example", "unknown-scope", "Upstream:ScopesByGroup:admins names 'keys:admin'")]
    [InlineData("Production", "https://idp.example", "no-openid", "Upstream:Scopes must include openid")]
    public void Unsafe_upstream_settings_are_refused_at_start_with_a_message_naming_them(string environment, string authority, string? change, string expected)
    {
        var options = new AuthorizationOptions { Upstream = Upstream() };
        options.Upstream.Authority = new Uri(authority);
        switch (change)
        {
            case "no-secret": options.Upstream.ClientSecret = null; break;
            case "unknown-scope": options.Upstream.ScopesByGroup["admins"] = ["keys:admin"]; break;
            case "no-openid": options.Upstream.Scopes = ["profile"]; break;
        }

        var result = new AuthorizationOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_complete_upstream_in_production_is_accepted_and_turns_the_flow_on()
    {
        var options = new AuthorizationOptions { Upstream = Upstream(("readers", ["tot:read"])) };

        var result = new AuthorizationOptionsValidator(new HostingEnvironment { EnvironmentName = "Production" }).Validate(null, options);

        Assert.True(result.Succeeded, string.Join("; ", result.Failures ?? []));
        Assert.True(options.Enabled);
        Assert.False(options.DevelopmentUserEnabled);
    }

    private static UpstreamProviderOptions Upstream(params (string Group, string[] Scopes)[] groups) => new()
    {
        Authority = new Uri("https://idp.example"),
        ClientId = "keyservice",
        ClientSecret = "upstream-secret",
        DisplayName = "Example Corp",
        ScopesByGroup = groups.ToDictionary(g => g.Group, g => g.Scopes.ToList()),
    };

    private static ClaimsPrincipal IdToken(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "oidc"));
}
