using System.Buffers.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
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
    private const int MaxHeaderChars = 2048;

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
