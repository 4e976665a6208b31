using System.Net;
using KeyService.Tokens;

namespace KeyService.Tests.Tokens;

public sealed class SourceAddressTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void IPv4_is_keyed_by_address_and_IPv6_by_its_64_bit_prefix(string address, string key)
    {
        Assert.Equal(key, SourceAddress.Key(IPAddress.Parse(address)));
    }

    [Fact]
    public void A_missing_address_has_a_key_of_its_own()
    {
        Assert.Equal(SourceAddress.Unknown, SourceAddress.Key(null));
    }
}
