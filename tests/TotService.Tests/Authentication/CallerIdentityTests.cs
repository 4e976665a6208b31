using System.Security.Claims;
using TotService.Identity;

namespace TotService.Tests.Authentication;

public sealed class CallerIdentityTests
{
    private static ClaimsIdentity Validated(params (string Type, string Value)[] claims) =>
        new(claims.Select(c => new Claim(c.Type, c.Value)), "AuthenticationTypes.Federation", "sub", "scope");

    [Fact]
    public void Subject_client_and_scopes_are_read_once_from_the_claims()
    {
        var caller = new CallerIdentity(Validated(("sub", "alice"), ("client_id", "app"), ("scope", " tot:read  tot:write "), ("scope", "extra")));

        Assert.Equal("alice", caller.Subject);
        Assert.Equal("app", caller.ClientId);
        Assert.Equal(["extra", "tot:read", "tot:write"], caller.Scopes.Order(StringComparer.Ordinal));
        Assert.Equal("alice", caller.Name);
        Assert.Equal("AuthenticationTypes.Federation", caller.AuthenticationType);
    }

    [Fact]
    public void Lookups_match_claim_names_exactly_as_JWT_claim_names_are_case_sensitive()
    {
        var caller = new CallerIdentity(Validated(("sub", "alice"), ("scope", "a"), ("scope", "b")));
        var principal = new ClaimsPrincipal(caller);

        Assert.Equal("alice", principal.FindFirst("sub")?.Value);
        Assert.Null(principal.FindFirst("SUB"));
        Assert.Equal(["a", "b"], caller.FindAll("scope").Select(c => c.Value));
        Assert.Empty(caller.FindAll("Scope"));
        Assert.True(caller.HasClaim("scope", "b"));
        Assert.False(caller.HasClaim("scope", "B"));
        Assert.Same(caller, principal.Identity);
        Assert.Equal(3, principal.Claims.Count());
    }

    [Fact]
    public void Scope_checks_give_the_same_answers_for_the_shared_principal_and_a_plain_one()
    {
        var claims = Validated(("sub", "alice"), ("scope", "tot:read keys:admin"));
        var shared = new ClaimsPrincipal(new CallerIdentity(claims));
        var plain = new ClaimsPrincipal(claims);

        foreach (var user in new ClaimsPrincipal[] { shared, plain })
        {
            Assert.True(user.HasScope(TotScopes.Read));
            Assert.False(user.HasScope(TotScopes.Write));
            Assert.False(user.HasScope("tot"));
            Assert.True(user.HasAnyTotScope());
            Assert.Equal(["keys:admin", "tot:read"], user.Granted().Order(StringComparer.Ordinal));
        }
        Assert.False(new ClaimsPrincipal(new CallerIdentity(Validated(("sub", "bob"), ("scope", "keys:admin")))).HasAnyTotScope());
    }

    [Fact]
    public void A_token_without_subject_gives_an_empty_subject()
    {
        Assert.Equal("", new CallerIdentity(Validated(("scope", "tot:read"))).Subject);
    }
}
