using Microsoft.AspNetCore.Authentication.JwtBearer;
using TotService.Diagnostics;
using TotService.Identity;
using TotService.Protocol;

namespace TotService.Authentication;

/// <summary>
/// JwtBearer's events for KeyService tokens: every outcome counted in <c>totmcp.token.validations</c>, a token without
/// <c>sub</c> refused (rate limiting and MCP session binding key on it), and the MCP-shaped challenges: 401 with
/// RFC 9728 <c>resource_metadata</c> and <c>scope</c>, 403 <c>insufficient_scope</c> for a token without a tot scope.
/// A refused request is audited once, at its challenge or forbid, and nothing else is logged for it (the exception's
/// message, multi-line for unknown keys, stays out of the log; the result names the reason). A bad token on an open
/// path is refused nothing. The token itself comes from <see cref="BearerTokenMemo"/> when the header is a single one.
/// </summary>
public sealed class KeyServiceBearerEvents(
    BearerChallenge challenge,
    TotServiceMetrics metrics,
    AuditLog audit,
    BearerTokenMemo tokens) : JwtBearerEvents
{
    // The failure is classified when validation fails and audited at the challenge, which no longer has the reason.
    private static readonly object FailureKey = new();

    public override Task MessageReceived(MessageReceivedContext context)
    {
        if (context.Request.Headers.Authorization is { Count: 1 } authorization)
        {
            context.Token = tokens.TokenOf(authorization[0]);
        }
        return Task.CompletedTask;
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not CallerIdentity { Subject.Length: > 0 })
        {
            metrics.TokenValidated(TokenFailureClassifier.MissingSubject);
            context.HttpContext.Items[FailureKey] = TokenFailureClassifier.MissingSubject;
            context.Fail("The token has no subject.");
            return Task.CompletedTask;
        }
        metrics.TokenValidated(TokenFailureClassifier.Ok);
        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        var result = TokenFailureClassifier.Classify(context.Exception);
        metrics.TokenValidated(result);
        context.HttpContext.Items[FailureKey] = result;
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var tokenWasSent = context.AuthenticateFailure is not null;
        if (!tokenWasSent)
        {
            metrics.TokenValidated(TokenFailureClassifier.Missing);
        }
        else
        {
            var result = context.HttpContext.Items[FailureKey] as string ?? TokenFailureClassifier.Classify(context.AuthenticateFailure);
            audit.TokenRejected(context.HttpContext, result, McpRequestMethod.Of(context.HttpContext));
        }
        challenge.WriteUnauthorized(context.Response, tokenWasSent);
        return Task.CompletedTask;
    }

    /// <summary>Only <c>/mcp</c>'s policy (any tot scope) forbids at the HTTP layer; tools check their own scope later.</summary>
    public override Task Forbidden(ForbiddenContext context)
    {
        audit.McpAccessForbidden(context.HttpContext, TotScopes.Read, McpRequestMethod.Of(context.HttpContext));
        return challenge.WriteInsufficientScopeAsync(context.Response, TotScopes.Read, default);
    }
}
