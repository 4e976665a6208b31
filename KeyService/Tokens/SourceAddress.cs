using System.Net;
using System.Net.Sockets;

namespace KeyService.Tokens;

/// <summary>The network a token request comes from, as the failure limiter keys it.</summary>
public static class SourceAddress
{
    /// <summary>Used when the transport gives no address (in-memory test servers, Unix sockets).</summary>
    public const string Unknown = "unknown";

    /// <summary>The key of the request's peer (the client itself behind a trusted proxy that forwards headers).</summary>
    public static string Of(HttpContext context) => Key(context.Connection.RemoteIpAddress);

    /// <summary>
    /// An IPv4 address as is (IPv4-mapped IPv6 included); an IPv6 address by its /64 prefix, because one subscriber
    /// usually holds a whole /64 and could otherwise rotate through it to escape the limit.
    /// </summary>
    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
