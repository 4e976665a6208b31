using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KeyService.Tests.Authorization;

/// <summary>
/// The organisation's OpenID Connect provider, on Kestrel at <c>http://127.0.0.1:0</c>: discovery, keys, an
/// authorization endpoint that signs in <see cref="NextPerson"/> at once (or refuses, with <see cref="RefuseNext"/>),
/// and a token endpoint that checks the client secret, the redirect URI and the PKCE verifier before it issues an
/// RS256 ID token with the nonce it was given.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "keyservice";
    public const string ClientSecret = "upstream-secret-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private int _tokenRequests;

    private FakeIdentityProvider(WebApplication app)
    {
        _app = app;
        _key = new RsaSecurityKey(_rsa) { KeyId = "upstream-1" };
    }

    public Uri Address => new(_app.Urls.Single());

    /// <summary>The issuer, as the discovery document and the ID tokens name it.</summary>
    public string Issuer => Address.AbsoluteUri.TrimEnd('/');

    /// <summary>Who the next authorization request signs in.</summary>
    public Person NextPerson { get; set; } = new("alice", "Alice Example", ["tot-writers"]);

    /// <summary>The next authorization request answers <c>error=access_denied</c> (the person said no there).</summary>
    public bool RefuseNext { get; set; }

    /// <summary>The last authorization request's query, as KeyService's handler sent it.</summary>
    public IReadOnlyDictionary<string, string> LastAuthorizationRequest { get; private set; } = new Dictionary<string, string>();

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public static async Task<FakeIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new FakeIdentityProvider(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Issuer,
            ["authorization_endpoint"] = provider.Issuer + "/authorize",
            ["token_endpoint"] = provider.Issuer + "/token",
            ["jwks_uri"] = provider.Issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var parameters = provider._rsa.ExportParameters(false);
            return Results.Json(new { keys = new[] { new Dictionary<string, string>
            {
                ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = provider._key.KeyId,
                ["n"] = Base64Url.EncodeToString(parameters.Modulus), ["e"] = Base64Url.EncodeToString(parameters.Exponent),
            } } });
        });
        app.MapGet("/authorize", (HttpContext context) => provider.Authorize(context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString())));
        app.MapPost("/token", async (HttpContext context) =>
        {
            Interlocked.Increment(ref provider._tokenRequests);
            var form = await context.Request.ReadFormAsync();
            return provider.Token(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
        });
        await app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        return provider;
    }

    /// <summary>KeyService settings that make it federate to this provider (Development, so plain http is allowed).</summary>
    public void Configure(IDictionary<string, string?> settings, params (string Group, string[] Scopes)[] scopesByGroup)
    {
        const string U = "KeyService:Authorization:Upstream:";
        settings[U + "Authority"] = Issuer;
        settings[U + "ClientId"] = ClientId;
        settings[U + "ClientSecret"] = ClientSecret;
        settings[U + "DisplayName"] = "Example Corp";
        settings[U + "Scopes:0"] = "openid";
        settings[U + "Scopes:1"] = "profile";
        settings[U + "Scopes:2"] = "groups";
        foreach (var (group, scopes) in scopesByGroup)
        {
            for (var i = 0; i < scopes.Length; i++)
            {
                settings[$"{U}ScopesByGroup:{group}:{i}"] = scopes[i];
            }
        }
    }

    private IResult Authorize(Dictionary<string, string> query)
    {
        LastAuthorizationRequest = query;
        var redirect = query.GetValueOrDefault("redirect_uri") ?? "";
        if (query.GetValueOrDefault("client_id") != ClientId || !redirect.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
        {
            return Results.BadRequest("unknown client or redirect");
        }
        var state = query.GetValueOrDefault("state") ?? "";
        if (RefuseNext)
        {
            RefuseNext = false;
            return Results.Redirect(QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["error"] = "access_denied", ["state"] = state }));
        }
        var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(NextPerson, redirect, query.GetValueOrDefault("nonce"), query.GetValueOrDefault("code_challenge"), query.GetValueOrDefault("code_challenge_method"));
        return Results.Redirect(QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["code"] = code, ["state"] = state }));
    }

    private IResult Token(Dictionary<string, string> form)
    {
        if (form.GetValueOrDefault("grant_type") != "authorization_code"
            || form.GetValueOrDefault("client_id") != ClientId || form.GetValueOrDefault("client_secret") != ClientSecret
            || !_codes.TryRemove(form.GetValueOrDefault("code") ?? "", out var grant)
            || form.GetValueOrDefault("redirect_uri") != grant.RedirectUri
            || grant.ChallengeMethod != "S256"
            || grant.Challenge != Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(form.GetValueOrDefault("code_verifier") ?? ""))))
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: StatusCodes.Status400BadRequest);
        }
        var claims = new List<Claim> { new("sub", grant.Person.Subject), new("name", grant.Person.Name) };
        claims.AddRange(grant.Person.Groups.Select(g => new Claim("groups", g)));
        if (grant.Nonce is not null)
        {
            claims.Add(new Claim("nonce", grant.Nonce));
        }
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ClientId,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["id_token"] = idToken,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TestContext.Current.CancellationToken);
        await _app.DisposeAsync();
        _rsa.Dispose();
    }

    public sealed record Person(string Subject, string Name, string[] Groups);

    private sealed record Grant(Person Person, string RedirectUri, string? Nonce, string? Challenge, string? ChallengeMethod);
}
