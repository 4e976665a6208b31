using System.Net;
using System.Net.Sockets;

namespace KeyService.Authorization;

/// <summary>
/// Which addresses KeyService may fetch a client's metadata document from: public unicast only, so a client_id URL
/// cannot make KeyService reach its own network (loopback, private, link-local, carrier-grade NAT, unique local,
/// multicast or unspecified). Development allows every address, for documents served on this machine.
/// </summary>
public sealed class OutboundAddressPolicy(IHostEnvironment environment)
{
    public bool AllowsPrivateAddresses => environment.IsDevelopment();

    public bool IsAllowed(IPAddress address) => AllowsPrivateAddresses || IsPublic(address);

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out var length);
        if (address.AddressFamily == AddressFamily.InterNetwork && length == 4)
        {
            return !(b[0] is 0 or 10 or 127 || b[0] >= 224                 // this network, private, loopback, multicast and reserved
                || (b[0] == 100 && (b[1] & 0xC0) == 64)                    // 100.64.0.0/10 carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)                            // link-local (cloud metadata services)
                || (b[0] == 172 && (b[1] & 0xF0) == 16)                    // 172.16.0.0/12
                || (b[0] == 192 && b[1] == 168)                            // 192.168.0.0/16
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)                 // IETF protocol assignments
                || (b[0] == 198 && (b[1] & 0xFE) == 18));                  // benchmarking
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6
            && !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal
                || address.IsIPv6Teredo || address.IsIPv4MappedToIPv6
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)); // NAT64 reaches IPv4 behind it
    }
}
