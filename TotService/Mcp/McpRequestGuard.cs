using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
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
/// not a JSON-RPC message, 403 <c>insufficient_scope</c> for a <c>tools/call</c> of a tool the token may not call (the
/// SDK could only answer that with a JSON-RPC error), 429 for an <c>initialize</c> over the client's session cap.
/// The body is read once, with the SDK's own types (<see cref="McpRequestReader"/>), and handed to the SDK as the
/// same bytes.
/// </summary>
public sealed partial class McpRequestGuard(
    RequestDelegate next,
    IOptions<TotServiceOptions> options,
    ToolScopeRegistry tools,
    BearerChallenge challenge,
    McpSessionLimiter sessions,
    AuditLog audit,
    ILogger<McpRequestGuard> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.Equals(McpApi.Path, StringComparison.OrdinalIgnoreCase)
            || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
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
            if (await AdmitAsync(context, buffer.AsMemory(0, length)))
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

    private async Task<bool> AdmitAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        if (McpRequestReader.TryRead(body.Span) is not { } message)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ParseError,
                "Parse error: the request body is not a JSON-RPC message.");
            return false;
        }
        var requestId = message is JsonRpcRequest jsonRpcRequest ? jsonRpcRequest.Id : default;
        McpRequestMetrics.SetMethod(context, message);

        if (McpRequestReader.ToolName(message) is { } tool && tools.RequiredScope(tool) is { } scope && !context.User.HasScope(scope))
        {
            audit.ToolCallForbidden(context, tool, scope, RequestMethods.ToolsCall);
            await challenge.WriteInsufficientScopeAsync(context.Response, scope, requestId);
            return false;
        }
        if (message is JsonRpcRequest { Method: RequestMethods.Initialize }
            && !context.Request.Headers.ContainsKey("Mcp-Session-Id")
            && !sessions.CanOpen(context.User.FindFirst(TotClaims.Subject)?.Value ?? ""))
        {
            sessions.Refused();
            audit.SessionLimitReached(context, sessions.MaxPerClient, RequestMethods.Initialize);
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, JsonRpcErrors.Refused,
                $"Too many open MCP sessions for this client (at most {sessions.MaxPerClient}): end one with DELETE /mcp or let it expire.", requestId);
            return false;
        }
        return true;
    }

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

    private Task RefuseAsync(HttpContext context, int status, int code, string message, RequestId id = default)
    {
        LogRefused(status, message);
        return JsonRpcErrors.WriteAsync(context.Response, status, code, message, id);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an MCP request with {Status}: {Reason}")]
    private partial void LogRefused(int status, string reason);
}
