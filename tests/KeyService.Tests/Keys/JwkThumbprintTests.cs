using System.Security.Cryptography;
using KeyService.Keys;
using Microsoft.IdentityModel.Tokens;

namespace KeyService.Tests.Keys;

public sealed class JwkThumbprintTests
{
    [Fact]
    public void Matches_the_RFC_7638_example()
    {
        // RFC 7638 section 3.1.
        const string n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        var parameters = new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(n), Exponent = Base64UrlEncoder.DecodeBytes("AQAB") };

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", JwkThumbprint.ForRsa(parameters));
    }

    [Fact]
    public void Agrees_with_Microsoft_IdentityModel()
    {
        using var rsa = RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)));

        Assert.Equal(Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()), JwkThumbprint.ForRsa(rsa.ExportParameters(false)));
    }
}
