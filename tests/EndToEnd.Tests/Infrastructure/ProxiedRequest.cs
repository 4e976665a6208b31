namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// One attempt of <see cref="RoundRobinProxy"/> to forward a request: which replica it chose and how it ended. A request
/// the proxy sent on to the next replica (its connection was refused) has one attempt per replica tried, all with the
/// same <see cref="RequestId"/>.
/// </summary>
/// <param name="Sequence">The attempt's place in the proxy's log, from 0, in the order attempts began.</param>
/// <param name="RequestId">The incoming request's id (shared by the attempts of one request).</param>
/// <param name="CallTag">The test's tag for the call (<see cref="RoundRobinProxy.Tag"/>), or null.</param>
/// <param name="McpMethod">The request's <c>Mcp-Method</c> header (2026-07-28 clients send it), or null.</param>
/// <param name="McpName">The request's <c>Mcp-Name</c> header (the tool's name on <c>tools/call</c>), or null.</param>
/// <param name="Destination">The replica chosen (its resource name), or empty when none was available.</param>
/// <param name="Started">When the attempt began (<see cref="TimeProvider.GetTimestamp"/> of the system clock).</param>
/// <param name="Finished">When the replica's answer had been relayed, or the attempt failed.</param>
/// <param name="StatusCode">The status the proxy answered with (502 when it could not forward).</param>
/// <param name="Error">YARP's <c>ForwarderError</c> when forwarding failed, else null.</param>
/// <param name="ConnectionRefused">The replica could not be connected to, so nothing of the request reached it.</param>
public sealed record ProxiedRequest(
    long Sequence,
    string RequestId,
    string? CallTag,
    string? McpMethod,
    string? McpName,
    string Destination,
    long Started,
    long Finished,
    int StatusCode,
    string? Error,
    bool ConnectionRefused)
{
    public bool Succeeded => Error is null && StatusCode < 500;

    /// <summary>The attempt had begun and not yet ended at some moment in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool InFlightBetween(long from, long to) => Started <= to && Finished >= from;
}
