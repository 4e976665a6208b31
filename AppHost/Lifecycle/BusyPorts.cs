using System.Globalization;

namespace AppHost.Lifecycle;

public static class BusyPorts
{
    /// <summary>
    /// The one-line reason not to start, when a fixed port is still taken after <see cref="AppHostSettings.BusyPortWait"/>
    /// (a previous run killed with SIGKILL frees its ports when the orchestrator notices, seconds later): the
    /// orchestrator would start the service anyway and its health check would answer from whatever holds the port.
    /// </summary>
    public static string? Check(IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        if (!builder.ExecutionContext.IsRunMode || settings.RandomPorts)
        {
            return null;
        }
        var ports = new List<(string Resource, int Port, string Setting)>();
        for (var i = 0; i < settings.KeyServiceInstances; i++)
        {
            ports.Add(($"keyservice instance {i}", settings.KeyServicePort + (10 * i), "AppHost:KeyServicePort"));
        }
        for (var i = 0; i < settings.TotServiceInstances; i++)
        {
            ports.Add(($"totservice instance {i}", settings.TotServicePort + (10 * i), "AppHost:TotServicePort"));
        }
        foreach (var (resource, port, setting) in ports)
        {
            var deadline = DateTime.UtcNow + settings.BusyPortWait;
            while (FreePort.IsInUse(port) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(250);
            }
            if (FreePort.IsInUse(port))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"Port {port} ({resource}) is already in use: stop what holds it, or start with --{setting}=<port> or --AppHost:RandomPorts=true.");
            }
        }
        return null;
    }
}
