namespace KeyService.Tokens;

public static class TokenExtensions
{
    /// <summary>The token endpoint's collaborators: configured clients, secret checks, failure limits, signing.</summary>
    public static IHostApplicationBuilder AddTokenIssuance(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClientRegistry>();
        builder.Services.AddSingleton<ClientSecretVerifier>();
        builder.Services.AddSingleton<ClientFailureLimiter>();
        builder.Services.AddSingleton<ClientAuthenticator>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<ClientCredentialsGrant>();
        return builder;
    }
}
