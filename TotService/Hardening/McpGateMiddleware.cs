using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TotService.Authentication;
using TotService.Authorization;
using TotService.Configuration;
using TotService.Diagnostics;
using TotService.Mcp;

namespace TotService.Hardening;

/// <summary>
/// Everything between a client and the MCP SDK, in the order it is checked:
/// <list type="number">
/// <item>Host and Origin (DNS rebinding protection, MCP transport spec), also on the protected resource metadata;</item>
/// <item>the body size cap (413);</item>
/// <item>the KeyService bearer token (401 with <c>resource_metadata</c>, MCP authorization spec);</item>
/// <item>the per-client rate limit (429 with <c>Retry-After</c>);</item>
/// <item>scopes: any <c>tot:*</c> scope to use <c>/mcp</c>, and for a POST the scope of every <c>tools/call</c> in the
/// body (403 <c>insufficient_scope</c>; malformed JSON gets a JSON-RPC parse error), which the SDK alone could only
/// answer with a JSON-RPC error;</item>
/// </list>
/// and records the MCP request metrics. Each check is a type of its own; this class only orders them. They are one
/// middleware rather than five because every async layer in front of the SDK cost an allocation and a continuation on
/// each call, and ASP.NET Core's authentication plumbing about 1.5 KB per request (bench/README.md). <c>/mcp</c>
/// is TotService's only protected surface; health, liveness and metrics stay outside (Kubernetes calls them by pod IP).
/// </summary>
public sealed class McpGateMiddleware(
    RequestDelegate next,
    IOptions<TotServiceOptions> options,
    BearerTokenReader tokens,
    KeyServiceTokenValidator validator,
    PerClientRateLimiter rateLimiter,
    ToolScopeRegistry tools,
    BearerChallenge challenge,
    TotServiceMetrics metrics,
    TimeProvider timeProvider)
{
    public const string McpPath = "/mcp";

    private static readonly BodyInspector<(McpGateMiddleware Gate, ClaimsPrincipal User), MessageScan> ScanInspector =
        static (body, state) => state.Gate.Scan(body, state.User);

    // Options are validated when the host starts, after the pipeline is built: read them on first use.
    private readonly Lazy<AllowedRequestSources> _sources = new(() => new AllowedRequestSources(options.Value));

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(McpPath))
        {
            return GuardMcpAsync(context);
        }
        if (path.StartsWithSegments(ResourceUrls.WellKnownPrefix))
        {
            return GuardMetadataAsync(context);
        }
        return next(context);
    }

    private async Task GuardMetadataAsync(HttpContext context)
    {
        if (await RefuseSourceAsync(context))
        {
            return;
        }
        await next(context);
    }

    private async Task GuardMcpAsync(HttpContext context)
    {
        var started = timeProvider.GetTimestamp();
        string? method = null;
        try
        {
            var admission = await AdmitAsync(context);
            method = admission.Method;
            if (admission.Admitted)
            {
                await next(context);
            }
        }
        finally
        {
            metrics.McpRequestCompleted(method ?? McpMethodNames.ForHttpVerb(context.Request.Method),
                Outcome(context.Response.StatusCode), timeProvider.GetElapsedTime(started));
        }
    }

    /// <summary>Completes synchronously on the common path (cached token, body already received): no allocation.</summary>
    private async ValueTask<Admission> AdmitAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var maxBodyBytes = options.Value.MaxRequestBodyBytes;
        if (await RefuseSourceAsync(context))
        {
            return Admission.Refused;
        }
        if (request.ContentLength > maxBodyBytes)
        {
            await RefuseTooLargeAsync(response);
            return Admission.Refused;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxBodyBytes;
        }

        if (tokens.Read(request) is not { } bearer)
        {
            metrics.TokenValidated(TokenFailureClassifier.Missing);
            challenge.WriteUnauthorized(response, tokenWasSent: false);
            return Admission.Refused;
        }
        var check = await validator.ValidateAsync(bearer, context.RequestAborted);
        if (check.Caller is not { } caller)
        {
            challenge.WriteUnauthorized(response, tokenWasSent: true);
            return Admission.Refused;
        }
        context.User = caller;

        var decision = rateLimiter.TryAcquire(caller.Caller.Subject);
        if (!decision.Allowed)
        {
            response.Headers[HeaderNames.RetryAfter] =
                Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await JsonRpcErrors.WriteAsync(response, StatusCodes.Status429TooManyRequests, JsonRpcErrors.Refused,
                "Too many requests; retry after the time in the Retry-After header.");
            return Admission.Refused;
        }

        if (!caller.HasAnyTotScope())
        {
            await RefuseInsufficientScopeAsync(response, TotScopes.Read, id: null);
            return Admission.Refused;
        }
        return HttpMethods.IsPost(request.Method) ? await CheckMessagesAsync(context, maxBodyBytes) : Admission.Admit(null);
    }

    /// <summary>Reads the JSON-RPC body (without consuming it: the SDK reads the same bytes) and checks its calls.</summary>
    private async ValueTask<Admission> CheckMessagesAsync(HttpContext context, long maxBodyBytes)
    {
        (BodyPeekStatus Status, MessageScan Scan) peek;
        try
        {
            peek = await RequestBodyPeek.InspectAsync(context.Request, maxBodyBytes, ScanInspector, (this, context.User), context.RequestAborted);
        }
        catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or IOException)
        {
            peek = (BodyPeekStatus.TooLarge, default);
        }
        var scan = peek.Scan;
        if (peek.Status == BodyPeekStatus.TooLarge)
        {
            await RefuseTooLargeAsync(context.Response);
            return Admission.Refused;
        }
        if (peek.Status == BodyPeekStatus.Incomplete || scan.Malformed)
        {
            await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status400BadRequest, JsonRpcErrors.ParseError,
                "Parse error: the request body is not valid JSON.");
            return new Admission(false, scan.Method);
        }
        if (scan.DeniedScope is { } denied)
        {
            await RefuseInsufficientScopeAsync(context.Response, denied, scan.DeniedId);
            return new Admission(false, scan.Method);
        }
        return Admission.Admit(scan.Method);
    }

    /// <summary>
    /// The first message's method (for the metrics) and the scope of the first <c>tools/call</c> the caller may not
    /// make (a batch is checked message by message; the SDK decides whether it accepts batches at all).
    /// </summary>
    private MessageScan Scan(ReadOnlySpan<byte> body, ClaimsPrincipal user)
    {
        string? method = null;
        try
        {
            var reader = new JsonRpcMessageReader(body);
            while (reader.TryReadNext(out var message))
            {
                method ??= McpMethodNames.Normalize(message.Method);
                if (message.ToolName is { } name && tools.RequiredScope(name) is { } scope && !user.HasScope(scope))
                {
                    return new MessageScan(method, false, scope, RequestId(body, message.Index));
                }
            }
        }
        catch (JsonException)
        {
            return new MessageScan(method, true, null, null);
        }
        return new MessageScan(method, false, null, null);
    }

    private async ValueTask<bool> RefuseSourceAsync(HttpContext context)
    {
        var sources = _sources.Value;
        if (!sources.IsAllowedHost(context.Request.Host.Value))
        {
            await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status400BadRequest, JsonRpcErrors.Refused, "Host not allowed.");
            return true;
        }
        var origin = context.Request.Headers[HeaderNames.Origin];
        if (origin.Count > 0 && !sources.IsAllowedOrigin(origin.ToString()))
        {
            await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status403Forbidden, JsonRpcErrors.Refused, "Origin not allowed.");
            return true;
        }
        return false;
    }

    private static Task RefuseTooLargeAsync(HttpResponse response) =>
        JsonRpcErrors.WriteAsync(response, StatusCodes.Status413PayloadTooLarge, JsonRpcErrors.Refused, "Request body too large.");

    private Task RefuseInsufficientScopeAsync(HttpResponse response, string scope, JsonElement? id)
    {
        response.Headers[HeaderNames.WWWAuthenticate] = challenge.InsufficientScope(scope);
        return JsonRpcErrors.WriteAsync(response, StatusCodes.Status403Forbidden, JsonRpcErrors.Refused,
            $"Insufficient scope: this request needs '{scope}'.", id);
    }

    /// <summary>The refused message's id, echoed in the error (a refusal is rare, so a document is fine here).</summary>
    private static JsonElement? RequestId(ReadOnlySpan<byte> body, int index)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        var message = root.ValueKind == JsonValueKind.Array ? root[index] : root;
        return message.TryGetProperty("id", out var id) ? id.Clone() : null;
    }

    private static string Outcome(int status) => status switch
    {
        >= 200 and < 300 => "ok",
        StatusCodes.Status400BadRequest => "bad_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        >= 500 => "error",
        _ => "other",
    };

    private readonly record struct MessageScan(string? Method, bool Malformed, string? DeniedScope, JsonElement? DeniedId);

    private readonly record struct Admission(bool Admitted, string? Method)
    {
        public static Admission Refused => new(false, null);

        public static Admission Admit(string? method) => new(true, method);
    }
}
