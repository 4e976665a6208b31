using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using KeyService.Authorization;
using KeyService.Diagnostics;
using KeyService.Tokens;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace KeyService.Apis;

/// <summary>RFC 7591 client metadata as a client sends it (unknown members are ignored, as section 2 allows).</summary>
public sealed record RegistrationRequest(
    [property: JsonPropertyName("redirect_uris")] string[]? RedirectUris,
    [property: JsonPropertyName("client_name")] string? ClientName,
    [property: JsonPropertyName("client_uri")] string? ClientUri,
    [property: JsonPropertyName("logo_uri")] string? LogoUri,
    [property: JsonPropertyName("grant_types")] string[]? GrantTypes,
    [property: JsonPropertyName("response_types")] string[]? ResponseTypes);

/// <summary>RFC 7591 section 3.2.1 response: what the client must use from now on.</summary>
public sealed record RegistrationResponse(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_id_issued_at")] long ClientIdIssuedAt,
    [property: JsonPropertyName("redirect_uris")] IReadOnlyList<string> RedirectUris,
    [property: JsonPropertyName("client_name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientName,
    [property: JsonPropertyName("client_uri"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientUri,
    [property: JsonPropertyName("logo_uri"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LogoUri,
    [property: JsonPropertyName("grant_types")] string[] GrantTypes,
    [property: JsonPropertyName("response_types")] string[] ResponseTypes,
    [property: JsonPropertyName("token_endpoint_auth_method")] string TokenEndpointAuthMethod);

/// <summary>
/// Dynamic Client Registration (RFC 7591) for MCP clients that still use it: public clients only (PKCE, no secret),
/// rate-limited per source address, capped in number, expiring when unused.
/// </summary>
public static class RegistrationApi
{
    public const string Path = "/connect/register";
    public const string RateLimitPolicy = "client-registration";
    private const long MaxRequestBytes = 16 * 1024;
    private const int MaxRedirectUris = 10;
    private const int MaxNameLength = 200;
    private static readonly string[] GrantTypes = ["authorization_code", "refresh_token"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IHostApplicationBuilder AddRegistrationRateLimit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(SourceAddress.Of(context), _ =>
                new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<AuthorizationOptions>>().Value.RegistrationsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                rejected.HttpContext.RequestServices.GetRequiredService<KeyServiceMetrics>().ClientRegistration("rate_limited");
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = "60";
                await response.WriteAsJsonAsync(new TokenErrorResponse("too_many_requests", "Too many registrations from your network; retry later."), cancellationToken);
            };
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapRegistrationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, Register)
            .WithName("RegisterClient")
            .WithSummary("RFC 7591 dynamic registration of a public client (token_endpoint_auth_method none).")
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicy)
            .RequireCors(AuthorizationExtensions.PublicEndpointsCorsPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes))
            .AllowAnonymous();
        return app;
    }

    public static async Task<IResult> Register(HttpContext context, ClientRegistrations registrations, KeyServiceMetrics metrics, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        RegistrationRequest? request;
        try
        {
            request = context.Request.HasJsonContentType()
                ? await JsonSerializer.DeserializeAsync<RegistrationRequest>(context.Request.Body, Json, cancellationToken)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException)
        {
            request = null;
        }
        if (Refusal(request) is { } refusal)
        {
            metrics.ClientRegistration("invalid");
            return TypedResults.Json(refusal, statusCode: StatusCodes.Status400BadRequest);
        }
        if (await registrations.RegisterAsync(request!.ClientName, request.ClientUri, request.LogoUri, request.RedirectUris!, cancellationToken) is not { } client)
        {
            return TypedResults.Json(new TokenErrorResponse("temporarily_unavailable", "The registration capacity is used up; retry later."),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        // The server's values replace the client's (section 3.2.1): a public client, code flow with refresh tokens.
        return TypedResults.Json(new RegistrationResponse(client.ClientId, client.IssuedAt, client.RedirectUris, client.ClientName, client.ClientUri,
            client.LogoUri, GrantTypes, ["code"], "none"), statusCode: StatusCodes.Status201Created);
    }

    private static TokenErrorResponse? Refusal(RegistrationRequest? request)
    {
        if (request is null)
        {
            return new("invalid_client_metadata", "The body must be a JSON object of RFC 7591 client metadata.");
        }
        if (request.RedirectUris is not { Length: > 0 and <= MaxRedirectUris } uris || uris.Any(u => u is null || !RedirectUris.IsAcceptable(u)))
        {
            return new("invalid_redirect_uri", $"redirect_uris must list 1 to {MaxRedirectUris} absolute https, loopback http or private-use URIs without fragment.");
        }
        if (request.ClientName?.Length > MaxNameLength || !IsOptionalHttps(request.ClientUri) || !IsOptionalHttps(request.LogoUri))
        {
            return new("invalid_client_metadata", $"client_name is at most {MaxNameLength} characters; client_uri and logo_uri are https URLs.");
        }
        if (request.GrantTypes?.Any(g => !GrantTypes.Contains(g)) == true || request.ResponseTypes?.Any(r => r != "code") == true)
        {
            return new("invalid_client_metadata", "Only the authorization_code and refresh_token grants and the code response type are supported.");
        }
        return null;
    }

    private static bool IsOptionalHttps(string? value) =>
        value is null || (value.Length <= 2048 && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps);
}
