using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TotService.Authentication;
using TotService.Configuration;
using TotService.Hardening;
using TotService.Mcp;

namespace TotService.Authorization;

/// <summary>
/// The access check of <c>/mcp</c>, after authentication and before the MCP SDK: answers unauthenticated requests
/// with the bearer challenge (401), refuses callers without any <c>tot:*</c> scope, answers malformed JSON with a JSON-RPC parse error, and turns a <c>tools/call</c> for a tool whose
/// scope the caller lacks into HTTP 403 <c>insufficient_scope</c> (the SDK can only answer with a JSON-RPC error).
/// The body is read once into a pooled buffer and scanned without building a document (docs/BENCHMARKS.md: a
/// buffered stream plus a <see cref="JsonDocument"/> per request cost as much as the SDK's own handling); the SDK
/// then reads the same bytes.
/// </summary>
public sealed class McpScopeGuardMiddleware(
    RequestDelegate next,
    ToolScopeRegistry tools,
    BearerChallenge challenge,
    IOptions<TotServiceOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(TransportGuardMiddleware.McpPath))
        {
            await next(context);
            return;
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            // The bearer challenge (401 with resource_metadata), as an authorization policy requiring an
            // authenticated user would answer, without evaluating a policy on every MCP request.
            await context.ChallengeAsync();
            return;
        }

        if (!user.HasAnyTotScope())
        {
            await RefuseInsufficientScopeAsync(context, TotScopes.Read, id: null);
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method) && !await CheckMessagesAsync(context))
        {
            return;
        }

        await next(context);
    }

    /// <summary>False when the request was answered here (parse error, too large, insufficient scope).</summary>
    private async Task<bool> CheckMessagesAsync(HttpContext context)
    {
        BufferedRequestBody? body;
        try
        {
            body = await BufferedRequestBody.ReadAsync(context, options.Value.MaxRequestBodyBytes);
        }
        catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or IOException)
        {
            body = null;
        }
        if (body is null)
        {
            await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status413PayloadTooLarge, JsonRpcErrors.Refused,
                "Request body too large.");
            return false;
        }

        string? deniedScope;
        int deniedIndex;
        try
        {
            (deniedScope, deniedIndex) = FindDeniedScope(context, body.Span);
        }
        catch (JsonException)
        {
            await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status400BadRequest, JsonRpcErrors.ParseError,
                "Parse error: the request body is not valid JSON.");
            return false;
        }
        if (deniedScope is null)
        {
            return true;
        }
        await RefuseInsufficientScopeAsync(context, deniedScope, RequestId(body.Span, deniedIndex));
        return false;
    }

    /// <summary>
    /// Records the first message's method for the request metrics and returns the scope of the first
    /// <c>tools/call</c> the caller may not make (JSON-RPC batches are checked message by message; the SDK decides
    /// whether it accepts them at all).
    /// </summary>
    private (string? Scope, int Index) FindDeniedScope(HttpContext context, ReadOnlySpan<byte> body)
    {
        var reader = new JsonRpcMessageReader(body);
        while (reader.TryReadNext(out var message))
        {
            if (context.Features.Get<McpRequestFeature>() is { Method: null } request)
            {
                request.Method = McpMethodNames.Normalize(message.Method);
            }
            if (message.ToolName is { } name && tools.RequiredScope(name) is { } scope && !context.User.HasScope(scope))
            {
                return (scope, message.Index);
            }
        }
        return (null, -1);
    }

    /// <summary>The refused message's id, echoed in the error (a refusal is rare, so a document is fine here).</summary>
    private static JsonElement? RequestId(ReadOnlySpan<byte> body, int index)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        var message = root.ValueKind == JsonValueKind.Array ? root[index] : root;
        return message.TryGetProperty("id", out var id) ? id.Clone() : null;
    }

    private async Task RefuseInsufficientScopeAsync(HttpContext context, string scope, JsonElement? id)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenge.InsufficientScope(scope);
        await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status403Forbidden, JsonRpcErrors.Refused,
            $"Insufficient scope: this request needs '{scope}'.", id);
    }
}
