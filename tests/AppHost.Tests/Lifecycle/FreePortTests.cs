using System.Globalization;
using AppHost.Lifecycle;
using Microsoft.Extensions.Configuration;

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

    [Fact]
    public void Aspire_gets_the_ports_below_the_ones_FreePort_picks_unless_its_range_is_set()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();

        FreePort.KeepOrchestratorPortsApart(configuration);

        var range = configuration[FreePort.OrchestratorRangeSetting]!.Split('-').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(10000, range[0]);
        Assert.Equal(FreePort.First - 1, range[1]);
        Assert.All(Enumerable.Range(0, 50).Select(_ => FreePort.Next()), port => Assert.True(port > range[1], $"{port} is in Aspire's range"));

        var chosen = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [FreePort.OrchestratorRangeSetting] = "40000-41000" }).Build();
        FreePort.KeepOrchestratorPortsApart(chosen);
        Assert.Equal("40000-41000", chosen[FreePort.OrchestratorRangeSetting]);
    }
}
