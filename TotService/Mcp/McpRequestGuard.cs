using System.Buffers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using TotService.Authentication;
using TotService.Authorization;
using TotService.Configuration;
using TotService.Diagnostics;
using TotService.Identity;
using TotService.Protocol;

namespace TotService.Mcp;

/// <summary>
/// The one step of ours between ASP.NET Core's authentication, authorization and rate limiting and the MCP SDK, for
/// <c>POST /mcp</c>: 415 for anything but UTF-8 JSON, 413 over the body cap, 400 for a body that cannot be read or is
/// not a JSON-RPC message, 403 <c>insufficient_scope</c> for a <c>tools/call</c>, <c>prompts/get</c> or
/// <c>resources/read</c> the token may not use (the SDK could only answer that with a JSON-RPC error), 429 for an
/// <c>initialize</c> over the client's session cap.
/// The body is read once, with the SDK's own types (<see cref="McpRequestReader"/>), and handed to the SDK as the
/// same bytes.
/// </summary>
public sealed class McpRequestGuard(
    RequestDelegate next,
    IOptions<TotServiceOptions> options,
    ToolScopeRegistry tools,
    PromptResourceScopeRegistry promptsAndResources,
    BearerChallenge challenge,
    McpSessionLimiter sessions,
    AuditLog audit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.Equals(McpApi.Path, StringComparison.OrdinalIgnoreCase) || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        if (!HttpMethods.IsPost(request.Method))
        {
            if (CheckStreamOrDelete(request) is { } streamRefusal)
            {
                await RefuseAsync(context, streamRefusal);
                return;
            }
            await next(context);
            return;
        }
        // A version refusal is answered once the body is read: the error carries the request's id.
        var versionRefusal = CheckProtocolVersion(request.Headers, out var stateless);
        StatelessRequestCheck.Declared declared = default;
        if (stateless)
        {
            // 2026-07-28: the headers say what the request is, so refusals on scope need not read the body.
            if (StatelessRequestCheck.ReadHeaders(request.Headers, out declared) is { } headerRefusal)
            {
                await RefuseAsync(context, headerRefusal);
                return;
            }
            McpRequestMethod.Set(context, declared.Method);
            if (declared.Name is { } declaredName && !await AllowAsync(context, declared.Method, declaredName, default))
            {
                return;
            }
            if (TaskMethods.IsTaskMethod(declared.Method) && !await AllowTaskAsync(context, declared.Method))
            {
                return;
            }
        }
        if (!McpRequestReader.IsSupportedContentType(request.ContentType))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, JsonRpcErrors.Refused,
                "Unsupported media type: send application/json in UTF-8.");
            return;
        }
        var maxBytes = options.Value.MaxRequestBodyBytes;
        if (request.ContentLength > maxBytes)
        {
            await RefuseTooLargeAsync(context);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxBytes;
        }

        var (buffer, length) = await TryReadBodyAsync(context, maxBytes);
        if (buffer is null)
        {
            return;
        }
        try
        {
            var admitted = versionRefusal is { } refusal
                ? await RefuseByIdAsync(context, buffer.AsMemory(0, length), refusal)
                : stateless
                    ? await AdmitStatelessAsync(context, buffer.AsMemory(0, length), declared)
                    : await AdmitAsync(context, buffer.AsMemory(0, length));
            if (admitted)
            {
                request.Body = new MemoryStream(buffer, 0, length, writable: false);
                await next(context);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One version header at most, and one this server speaks; an absent header means a pre-2026 client.</summary>
    private static McpRefusal? CheckProtocolVersion(IHeaderDictionary headers, out bool stateless)
    {
        stateless = false;
        if (McpHeaders.IsRepeated(headers, McpHeaders.ProtocolVersion))
        {
            return McpRefusal.BadRequest((int)McpErrorCode.InvalidRequest, $"Send the {McpHeaders.ProtocolVersion} header once.");
        }
        if (!headers.ContainsKey(McpHeaders.ProtocolVersion))
        {
            return null;
        }
        var version = McpHeaders.OneValue(headers, McpHeaders.ProtocolVersion) ?? "";
        if (!McpProtocolRevisions.IsSupported(version))
        {
            return McpRefusal.UnsupportedVersion(
                $"Unsupported protocol version: this server speaks {string.Join(", ", McpProtocolRevisions.All)} (listed in error.data.supported).",
                McpProtocolRevisions.All, version);
        }
        stateless = McpProtocolRevisions.IsStateless(version);
        return null;
    }

    /// <summary>The event stream (GET) and session end (DELETE) exist only for sessions opened with <c>initialize</c>.</summary>
    private static McpRefusal? CheckStreamOrDelete(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsDelete(request.Method))
        {
            return null;
        }
        if (McpHeaders.IsStatelessRequest(request))
        {
            return new McpRefusal(StatusCodes.Status405MethodNotAllowed, JsonRpcErrors.Refused,
                $"Protocol version {McpProtocolRevisions.Stateless} has no event stream and no session to end: send every request with POST.");
        }
        return McpHeaders.OneValue(request.Headers, McpHeaders.SessionId) is null
            ? McpRefusal.BadRequest(JsonRpcErrors.Refused,
                $"GET and DELETE /mcp need the {McpHeaders.SessionId} of a session opened with initialize.")
            : null;
    }

    /// <summary>Answers <paramref name="refusal"/> by the request's id when the body is a readable message, else by none.</summary>
    private async Task<bool> RefuseByIdAsync(HttpContext context, ReadOnlyMemory<byte> body, McpRefusal refusal)
    {
        var id = McpBodyText.Inspect(body.Span).IsValidText && McpRequestReader.TryRead(body.Span) is { } message ? IdOf(message) : default;
        await RefuseAsync(context, refusal, id);
        return false;
    }

    private async Task<bool> AdmitStatelessAsync(HttpContext context, ReadOnlyMemory<byte> body, StatelessRequestCheck.Declared declared)
    {
        if (await ReadMessageAsync(context, body) is not ({ } message, var metaBytes))
        {
            return false;
        }
        if (StatelessRequestCheck.CheckBody(message, declared, body.Span, metaBytes) is { } refusal)
        {
            await RefuseAsync(context, refusal, IdOf(message));
            return false;
        }
        return true;
    }

    private async Task<bool> AdmitAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        if (await ReadMessageAsync(context, body) is not ({ } message, _))
        {
            return false;
        }
        var requestId = IdOf(message);
        McpRequestMethod.Set(context, message);

        var opensSession = message is JsonRpcRequest { Method: RequestMethods.Initialize };
        if (!opensSession && McpHeaders.OneValue(context.Request.Headers, McpHeaders.SessionId) is null)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.Refused,
                $"Send {McpHeaders.ProtocolVersion}: {McpProtocolRevisions.Stateless} with params._meta, or open a session with initialize and send its {McpHeaders.SessionId} on every later request.",
                requestId);
            return false;
        }
        if (McpRequestReader.Target(message) is var (method, name) && !await AllowAsync(context, method, name, requestId))
        {
            return false;
        }
        if (opensSession
            && !context.Request.Headers.ContainsKey(McpHeaders.SessionId)
            && !sessions.CanOpen(context.User.FindFirst(TotClaims.Subject)?.Value ?? ""))
        {
            sessions.Refused();
            audit.SessionLimitReached(context, sessions.MaxPerClient, RequestMethods.Initialize);
            await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status429TooManyRequests, JsonRpcErrors.Refused,
                $"Too many open MCP sessions for this client (at most {sessions.MaxPerClient}): end one with DELETE /mcp or let it expire.", requestId);
            return false;
        }
        return true;
    }

    /// <summary>
    /// 403 <c>insufficient_scope</c> for a tool, prompt or resource the token may not use (the SDK could only say so in a
    /// JSON-RPC error).
    /// </summary>
    private async Task<bool> AllowAsync(HttpContext context, string method, string name, RequestId requestId)
    {
        var user = context.User;
        var missing = method == RequestMethods.ToolsCall
            ? tools.RequiredScope(name) is { } toolScope && !user.HasScope(toolScope) ? toolScope : null
            : promptsAndResources.RequiredScopes(method, name).FirstOrDefault(scope => !user.HasScope(scope));
        if (missing is null)
        {
            return true;
        }
        audit.ToolCallForbidden(context, name, missing, method);
        await challenge.WriteInsufficientScopeAsync(context.Response, missing, requestId);
        return false;
    }

    /// <summary>403 <c>insufficient_scope</c> for a task method: reading a task needs tot:read, changing one tot:write, as the run tools do.</summary>
    private async Task<bool> AllowTaskAsync(HttpContext context, string method)
    {
        var scope = method == TaskMethods.Get ? TotScopes.Read : TotScopes.Write;
        if (context.User.HasScope(scope))
        {
            return true;
        }
        audit.McpAccessForbidden(context, scope, method);
        await challenge.WriteInsufficientScopeAsync(context.Response, scope, default);
        return false;
    }

    /// <summary>The message and the size of its <c>_meta</c>, or null after answering 400: text first, so nothing binds a lone surrogate.</summary>
    private async Task<(JsonRpcMessage? Message, int MetaBytes)> ReadMessageAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var facts = McpBodyText.Inspect(body.Span);
        if (!facts.IsValidText)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ParseError,
                "Parse error: a string in the request is not valid Unicode text (an unpaired surrogate or bytes that are not UTF-8).");
            return (null, 0);
        }
        if (McpRequestReader.TryRead(body.Span) is not { } message)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ParseError,
                "Parse error: the request body is not a JSON-RPC message.");
            return (null, 0);
        }
        return (message, facts.MetaBytes);
    }

    private static RequestId IdOf(JsonRpcMessage message) => message is JsonRpcRequest request ? request.Id : default;

    /// <summary>The whole body in a pooled array, or null after answering 413 or 400 (or when the client went away).</summary>
    private async Task<(byte[]? Buffer, int Length)> TryReadBodyAsync(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 16 * 1024, 1, maxBytes + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    return (buffer, length);
                }
                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    await RefuseTooLargeAsync(context);
                    return (null, 0);
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await RefuseTooLargeAsync(context);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException && !context.RequestAborted.IsCancellationRequested)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await RefuseAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.Refused, "Bad request: the request body could not be read.");
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            ArrayPool<byte>.Shared.Return(buffer); // the client went away: nobody to answer
        }
        return (null, 0);
    }

    private Task RefuseTooLargeAsync(HttpContext context) =>
        RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, JsonRpcErrors.Refused, "Request body too large.");

    private Task RefuseAsync(HttpContext context, McpRefusal refusal, RequestId id = default) =>
        RefuseAsync(context, refusal.Status, refusal.Code, refusal.Message, id, refusal.Data);

    private Task RefuseAsync(HttpContext context, int status, int code, string message, RequestId id = default, JsonNode? data = null)
    {
        audit.RequestRefused(context, status, McpRequestMethod.Of(context), message);
        return JsonRpcErrors.WriteAsync(context.Response, status, code, message, id, data);
    }
}
