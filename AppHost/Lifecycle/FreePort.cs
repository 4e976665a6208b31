using System.Net;
using System.Net.Sockets;

namespace AppHost.Lifecycle;

/// <summary>Ports for resources whose endpoint the orchestrator does not proxy, and the busy-port check at start.</summary>
internal static class FreePort
{
    /// <summary>A port free on loopback now (the kernel's pick), for a server that must be told its port.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
}
