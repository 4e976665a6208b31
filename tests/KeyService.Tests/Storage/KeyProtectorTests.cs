using System.Security.Cryptography;
using KeyService.Keys;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Storage;

public sealed class KeyProtectorTests
{
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(32), isEphemeral: false);

    [Fact]
    public void Round_trips_and_hides_the_private_key()
    {
        using var rsa = RSA.Create(2048);
        var envelope = _protector.Protect("kid-1", rsa);

        PrivateKeyMaterial.AssertAbsent(Convert.FromBase64String(envelope), rsa);
        PrivateKeyMaterial.AssertAbsent(System.Text.Encoding.ASCII.GetBytes(envelope), rsa);
        using var back = _protector.Unprotect("kid-1", envelope);
        Assert.Equal(rsa.ExportParameters(true).D, back.ExportParameters(true).D);
    }

    [Fact]
    public void Refuses_another_kid_another_key_or_a_flipped_bit()
    {
        using var rsa = RSA.Create(2048);
        var envelope = _protector.Protect("kid-1", rsa);
        var tampered = Convert.FromBase64String(envelope);
        tampered[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => _protector.Unprotect("kid-2", envelope));
        Assert.ThrowsAny<CryptographicException>(() => new KeyProtector(RandomNumberGenerator.GetBytes(32), false).Unprotect("kid-1", envelope));
        Assert.ThrowsAny<CryptographicException>(() => _protector.Unprotect("kid-1", Convert.ToBase64String(tampered)));
    }
}
