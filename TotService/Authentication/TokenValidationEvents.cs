using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Net.Http.Headers;
using TotService.Configuration;
using TotService.Diagnostics;

namespace TotService.Authentication;

/// <summary>
/// JwtBearer hooks: size cap and unknown-kid refresh before validation, metrics by result, and the MCP-shaped
/// 401 challenge. The token is only ever read from the Authorization header (never the query string).
/// </summary>
public sealed class TokenValidationEvents(
    KeyServiceSigningKeys signingKeys,
    IOptions<TotServiceOptions> options,
    BearerChallenge challenge,
    TotServiceMetrics metrics) : JwtBearerEvents
{
    private const string BearerPrefix = "Bearer ";

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        if (ReadBearerToken(context.Request) is not { } token)
        {
            return;
        }

        if (token.Length > options.Value.MaxTokenBytes)
        {
            metrics.TokenValidated(TokenFailureClassifier.Oversized);
            context.Fail("The bearer token is larger than allowed.");
            return;
        }

        context.Token = token;
        if (TryReadKeyId(token) is { } keyId && !signingKeys.HasKey(keyId))
        {
            await signingKeys.RefreshForUnknownKeyAsync(context.HttpContext.RequestAborted);
        }
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        if (string.IsNullOrEmpty(context.Principal?.FindFirst(TotClaims.Subject)?.Value))
        {
            // Rate limiting and MCP session binding key on sub; a token without one is not for us.
            metrics.TokenValidated(TokenFailureClassifier.MissingSubject);
            context.Fail("The token has no subject.");
            return Task.CompletedTask;
        }
        metrics.TokenValidated(TokenFailureClassifier.Ok);
        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        metrics.TokenValidated(TokenFailureClassifier.Classify(context.Exception));
        // JwtBearer rethrows exceptions that are not token-validation failures (e.g. no signing keys loaded
        // yet) unless the event decides: answer 401 rather than 500.
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        var tokenWasSent = ReadBearerToken(context.Request) is not null;
        if (!tokenWasSent)
        {
            metrics.TokenValidated(TokenFailureClassifier.Missing);
        }
        context.HandleResponse();
        challenge.WriteUnauthorized(context.Response, tokenWasSent);
        return Task.CompletedTask;
    }

    private static string? ReadBearerToken(HttpRequest request)
    {
        string? authorization = request.Headers[HeaderNames.Authorization];
        if (authorization is null || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = authorization[BearerPrefix.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    private static string? TryReadKeyId(string token)
    {
        try
        {
            // Reads the header only to decide whether a refresh could help; nothing here is trusted.
            return new JsonWebToken(token).Kid;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
