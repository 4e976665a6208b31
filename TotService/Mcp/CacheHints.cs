using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TotService.Mcp;

/// <summary>
/// Cache hints (<c>ttlMs</c>, <c>cacheScope</c>) on the results of 2026-07-28 requests, the revision that defines them;
/// older revisions do not know these fields, and strict clients refuse unknown ones. Everything this server lists or
/// serves depends on the token (its scopes filter the lists, its subject owns runs and trees), so every hint is
/// <c>private</c>: a cache may reuse it for the same authorization context only.
/// </summary>
public static class CacheHints
{
    /// <summary>Tool, prompt and resource template lists change only with a deployment.</summary>
    public static readonly TimeSpan ListTimeToLive = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Sets the hints on <paramref name="result"/> when <paramref name="request"/> speaks 2026-07-28, keeping any a
    /// handler set itself; the SDK otherwise fills in "immediately stale".
    /// </summary>
    public static TResult Private<TResult>(TResult result, JsonRpcRequest request, TimeSpan timeToLive)
        where TResult : ICacheableResult
    {
        if (RequestRevision.IsStateless(request))
        {
            result.TimeToLive ??= timeToLive;
            result.CacheScope ??= CacheScope.Private;
        }
        return result;
    }

    /// <summary>A list filter: the list may be kept <see cref="ListTimeToLive"/>, by this caller only.</summary>
    public static McpRequestHandler<TParams, TResult> PrivateList<TParams, TResult>(McpRequestHandler<TParams, TResult> next)
        where TResult : ICacheableResult =>
        async (context, cancel) => Private(await next(context, cancel), context.JsonRpcRequest, ListTimeToLive);
}
