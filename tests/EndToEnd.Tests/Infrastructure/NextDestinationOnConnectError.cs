using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// What ingress-nginx does in front of the Kubernetes output: its default <c>proxy_next_upstream error timeout</c> sends a
/// request whose upstream connection failed to the next upstream, and for a POST only while nothing of the request had
/// been sent (nginx retries non-idempotent requests only with <c>non_idempotent</c>, which the output does not set). So a
/// request is passed to the next replica here only when YARP could not even connect (<see cref="HttpRequestError.ConnectionError"/>):
/// the first replica saw no byte, so no tool runs twice. A request that failed after it reached a replica (a replica
/// killed mid-call) is answered with the error, as nginx would. YARP has no retry of its own, and its health checks alone
/// would fail every request sent to a dead replica until a probe or enough failures marked it down.
/// </summary>
internal static class NextDestinationOnConnectError
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        var untried = proxy.AvailableDestinations.ToList();
        // The body is read again for the next replica; MCP requests are small JSON-RPC messages.
        context.Request.EnableBuffering();
        while (true)
        {
            await next();
            if (!ConnectionRefused(context) || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested
                || proxy.ProxiedDestination is not { } refused || !untried.Remove(refused) || untried.Count == 0)
            {
                return;
            }
            proxy.AvailableDestinations = untried.ToList();
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            context.Request.Body.Position = 0;
        }
    }

    /// <summary>The last forwarding attempt failed to connect, so the destination received nothing.</summary>
    public static bool ConnectionRefused(HttpContext context) =>
        context.Features.Get<IForwarderErrorFeature>() is { Error: ForwarderError.Request, Exception: { } failure }
        && Causes(failure).Any(e => e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError });

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
