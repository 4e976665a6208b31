using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace TotService.Authentication;

/// <summary>
/// The <c>Bearer</c> scheme for KeyService access tokens. It does what JwtBearer did here, without its per-request
/// plumbing (a copy of the validation parameters, four event contexts and a configuration lookup on every request):
/// read the token, validate it with <see cref="KeyServiceTokenValidator"/>, and answer challenges in the MCP
/// authorization shape (401 with <c>resource_metadata</c>, <see cref="BearerChallenge"/>). docs/BENCHMARKS.md has
/// the measured difference.
/// </summary>
public sealed class KeyServiceBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BearerTokenReader reader,
    KeyServiceTokenValidator validator,
    BearerChallenge challenge,
    Diagnostics.TotServiceMetrics metrics) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (reader.Read(Request) is not { } bearer)
        {
            return AuthenticateResult.NoResult();
        }
        var check = await validator.ValidateAsync(bearer, Context.RequestAborted);
        return check.Caller is { } caller
            ? AuthenticateResult.Success(new AuthenticationTicket(caller, SchemeName))
            : AuthenticateResult.Fail(check.Failure!);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var tokenWasSent = reader.Read(Request) is not null;
        if (!tokenWasSent)
        {
            metrics.TokenValidated(TokenFailureClassifier.Missing);
        }
        challenge.WriteUnauthorized(Response, tokenWasSent);
        return Task.CompletedTask;
    }
}
