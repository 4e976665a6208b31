using System.Globalization;
using AppHost.Lifecycle;

namespace AppHost.Tests.Lifecycle;

public sealed class FreePortTests
{
    [Fact]
    public void A_port_for_a_server_started_later_is_free_and_below_the_range_the_kernel_hands_to_outgoing_connections()
    {
        var ephemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], CultureInfo.InvariantCulture);

        var ports = Enumerable.Range(0, 50).Select(_ => FreePort.Next()).ToList();

        Assert.All(ports, port => Assert.InRange(port, 1024, ephemeralStart - 11));
        Assert.All(ports, port => Assert.False(FreePort.IsInUse(port), $"{port} is in use"));
        Assert.True(ports.Distinct().Count() > 40, "the ports are not spread: " + string.Join(' ', ports));
    }
}
