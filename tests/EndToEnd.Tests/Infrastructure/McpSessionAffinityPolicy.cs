using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.SessionAffinity;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Keeps an MCP session on the replica that holds it, as the Kubernetes output's session canary does (ingress-nginx
/// hashing on <c>Mcp-Session-Id</c>): a request carrying the header goes to the replica whose answer set it, and a
/// request without it (every 2026-07-28 request, and <c>initialize</c>) is balanced on its own. YARP's own affinity
/// policies keep a key of their making in a cookie or header, which an MCP client never sends back; this one follows the
/// session id the server chose. A session whose replica has left the rotation is redistributed, and the replica it lands
/// on answers 404 for a session it does not know, as after a rescale.
/// </summary>
internal sealed class McpSessionAffinityPolicy : ISessionAffinityPolicy
{
    public const string PolicyName = "McpSessionId";

    public const string Header = "Mcp-Session-Id";

    private readonly ConcurrentDictionary<string, string> _replicas = new(StringComparer.Ordinal);

    public string Name => PolicyName;

    public AffinityResult FindAffinitizedDestinations(
        HttpContext context, ClusterState cluster, SessionAffinityConfig config, IReadOnlyList<DestinationState> destinations)
    {
        if (context.Request.Headers[Header].ToString() is not { Length: > 0 } session)
        {
            return new AffinityResult(null, AffinityStatus.AffinityKeyNotSet);
        }
        var holder = _replicas.TryGetValue(session, out var replica) ? destinations.Where(d => d.DestinationId == replica).ToList() : [];
        return holder.Count > 0 ? new AffinityResult(holder, AffinityStatus.OK) : new AffinityResult(null, AffinityStatus.DestinationNotFound);
    }

    public void AffinitizeResponse(HttpContext context, ClusterState cluster, SessionAffinityConfig config, DestinationState destination)
    {
        if (context.Response.Headers[Header].ToString() is { Length: > 0 } session)
        {
            _replicas[session] = destination.DestinationId;
        }
    }
}
