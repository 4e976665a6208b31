using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TotService.Configuration;
using TotService.Diagnostics;

namespace TotService.Authentication;

/// <summary>
/// JwtBearer hooks: size cap and unknown-kid refresh before validation, metrics by result, the shared
/// <see cref="CallerPrincipal"/> after it, and the MCP-shaped 401 challenge. The token is only ever read from the
/// Authorization header (never the query string). A singleton: JwtBearer resolves it on every request.
/// </summary>
public sealed class TokenValidationEvents(
    KeyServiceSigningKeys signingKeys,
    IOptions<TotServiceOptions> options,
    BearerChallenge challenge,
    TotServiceMetrics metrics) : JwtBearerEvents
{
    private const string BearerPrefix = "Bearer ";
    private const int MaxHeaderChars = 2048;

    /// <summary>
    /// The bearer token and its <c>kid</c> per Authorization header string. Kestrel hands out the same string instance
    /// while a connection repeats a header value, so a client reusing its token costs a lookup here instead of a
    /// copy of the token and a header decode per request. Entries go with the header strings (weak keys).
    /// </summary>
    private readonly ConditionalWeakTable<string, BearerToken> _tokens = [];

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        if (ReadBearerToken(context.Request) is not { } bearer)
        {
            return;
        }

        if (bearer.Token.Length > options.Value.MaxTokenBytes)
        {
            metrics.TokenValidated(TokenFailureClassifier.Oversized);
            context.Fail("The bearer token is larger than allowed.");
            return;
        }

        context.Token = bearer.Token;
        if (bearer.KeyId is { } keyId && !signingKeys.HasKey(keyId))
        {
            await signingKeys.RefreshForUnknownKeyAsync(context.HttpContext.RequestAborted);
        }
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        var caller = context.Principal?.Identity as CallerIdentity;
        if (string.IsNullOrEmpty(caller?.Subject))
        {
            // Rate limiting and MCP session binding key on sub; a token without one is not for us.
            metrics.TokenValidated(TokenFailureClassifier.MissingSubject);
            context.Fail("The token has no subject.");
            return Task.CompletedTask;
        }
        context.Principal = caller.Principal;
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

    private BearerToken? ReadBearerToken(HttpRequest request)
    {
        string? authorization = request.Headers[HeaderNames.Authorization];
        if (authorization is null || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (_tokens.TryGetValue(authorization, out var known))
        {
            return known;
        }
        var token = authorization[BearerPrefix.Length..].Trim();
        if (token.Length == 0)
        {
            return null;
        }
        var bearer = new BearerToken(token, TryReadKeyId(token));
        _tokens.AddOrUpdate(authorization, bearer);
        return bearer;
    }

    private sealed record BearerToken(string Token, string? KeyId);

    /// <summary>
    /// The header's <c>kid</c>, decoded from the first segment only: parsing the whole token here (payload claims
    /// included) was a tenth of the cost of an MCP request (docs/BENCHMARKS.md). Nothing here is trusted; it only
    /// decides whether a key refresh could help.
    /// </summary>
    private static string? TryReadKeyId(string token)
    {
        var end = token.IndexOf('.', StringComparison.Ordinal);
        if (end <= 0 || end > MaxHeaderChars)
        {
            return null;
        }
        Span<byte> header = stackalloc byte[MaxHeaderChars * 3 / 4 + 3];
        if (!Base64Url.TryDecodeFromChars(token.AsSpan(0, end), header, out var length))
        {
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(header[..length]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKeyId = reader.ValueTextEquals("kid"u8);
                if (!reader.Read())
                {
                    return null;
                }
                if (isKeyId)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
