using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TotService.Authentication;
using TotService.Configuration;
using TotService.Hardening;
using TotService.Mcp;

namespace TotService.Authorization;

/// <summary>
/// Runs on <c>/mcp</c> after authentication, before the MCP SDK: refuses callers without any <c>tot:*</c>
/// scope, answers malformed JSON with a JSON-RPC parse error, and turns a <c>tools/call</c> for a tool whose
/// scope the caller lacks into HTTP 403 <c>insufficient_scope</c> (the SDK can only answer with a JSON-RPC error).
/// </summary>
public sealed class McpScopeGuardMiddleware(
    RequestDelegate next,
    ToolScopeRegistry tools,
    BearerChallenge challenge,
    IOptions<TotServiceOptions> options)
{
    private const int BufferThreshold = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var user = context.User;
        if (!context.Request.Path.StartsWithSegments(TransportGuardMiddleware.McpPath) || user.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }

        if (!user.HasAnyTotScope())
        {
            await RefuseInsufficientScopeAsync(context, TotScopes.Read, id: null);
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method))
        {
            context.Request.EnableBuffering(BufferThreshold, options.Value.MaxRequestBodyBytes);
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            }
            catch (JsonException)
            {
                await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status400BadRequest, JsonRpcErrors.ParseError,
                    "Parse error: the request body is not valid JSON.");
                return;
            }
            catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or IOException)
            {
                await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status413PayloadTooLarge, JsonRpcErrors.Refused,
                    "Request body too large.");
                return;
            }

            using (document)
            {
                context.Request.Body.Position = 0;
                if (await RefuseForMessagesAsync(context, document.RootElement))
                {
                    return;
                }
            }
        }

        await next(context);
    }

    private async Task<bool> RefuseForMessagesAsync(HttpContext context, JsonElement root)
    {
        // JSON-RPC batches are checked message by message; the SDK decides whether it accepts them at all.
        var messages = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToArray() : [root];
        foreach (var message in messages.Where(m => m.ValueKind == JsonValueKind.Object))
        {
            var method = message.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            context.Items.TryAdd(TransportGuardMiddleware.MethodItemKey, McpMethodNames.Normalize(method));

            if (method == "tools/call"
                && message.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && tools.RequiredScope(name.GetString()!) is { } scope
                && !context.User.HasScope(scope))
            {
                await RefuseInsufficientScopeAsync(context, scope, message.TryGetProperty("id", out var id) ? id : null);
                return true;
            }
        }
        return false;
    }

    private async Task RefuseInsufficientScopeAsync(HttpContext context, string scope, JsonElement? id)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenge.InsufficientScope(scope);
        await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status403Forbidden, JsonRpcErrors.Refused,
            $"Insufficient scope: this request needs '{scope}'.", id);
    }
}
