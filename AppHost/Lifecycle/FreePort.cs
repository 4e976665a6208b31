using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace AppHost.Lifecycle;

/// <summary>Ports for resources whose endpoint the orchestrator does not proxy, and the busy-port check at start.</summary>
internal static class FreePort
{
    /// <summary>
    /// Where Aspire takes the ports it gives executables (services, the dashboard) when none is set: 10000-32767 unless
    /// configured. It checks a port is free and the process binds it later, as <see cref="Next"/>'s callers do.
    /// </summary>
    public const string OrchestratorRangeSetting = "ASPIRE_PROXYLESS_ENDPOINT_PORT_RANGE";

    private const int OrchestratorRangeStart = 10000;

    /// <summary>Ports tried below the ephemeral range.</summary>
    private const int Span = 8192;

    /// <summary>Kept clear under the range's start, so the AppHost's sibling ports (+10 for a second instance) stay below it too.</summary>
    private const int SiblingRoom = 16;

    /// <summary>The first port the kernel may pick for outgoing connections, read once: it is a boot-time setting.</summary>
    private static readonly int EphemeralStart = EphemeralRangeStart();

    /// <summary>The first port <see cref="Next"/> picks.</summary>
    public static int First => EphemeralStart - Span;

    /// <summary>
    /// Gives Aspire the ports below <see cref="First"/>, unless <see cref="OrchestratorRangeSetting"/> is set: its
    /// default range holds this class's too, and two processes picking in one range (a service's port and a Redis
    /// server's, from two app models started at once) were seen to meet on a port.
    /// </summary>
    public static void KeepOrchestratorPortsApart(IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration[OrchestratorRangeSetting]) && First - 1 > OrchestratorRangeStart + 1000)
        {
            configuration[OrchestratorRangeSetting] = $"{OrchestratorRangeStart}-{First - 1}";
        }
    }

    /// <summary>
    /// A port free on loopback now, for a server that must be told its port and binds it a moment later. It is taken below
    /// the kernel's ephemeral range: a port from that range (what binding port 0 gives) can be handed to any outgoing
    /// connection in the meantime, which on a busy machine happens (seen as "already in use" at the server's start). And it
    /// is above the ports Aspire gives out (<see cref="KeepOrchestratorPortsApart"/>).
    /// </summary>
    public static int Next()
    {
        var (first, end) = (First, EphemeralStart - SiblingRoom);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(first, end);
            if (!IsInUse(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"No free loopback port in {first}-{end - 1} after 100 tries.");
    }

    public static bool IsInUse(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>Linux says in /proc; 49152 elsewhere (IANA, macOS, Windows).</summary>
    private static int EphemeralRangeStart()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(Range)
            && int.TryParse(File.ReadAllText(Range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            && start > Span + OrchestratorRangeStart + 2048)
        {
            return start;
        }
        return 49152;
    }
}
