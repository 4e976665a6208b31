using System.Security.Cryptography;
using KeyService.Options;
using Microsoft.Extensions.Options;

namespace KeyService.Keys;

/// <summary>Creates RSA signing keys of the configured size.</summary>
public sealed class RsaKeyFactory(IOptions<KeyServiceOptions> options)
{
    public RSA Create() => RSA.Create(options.Value.KeySize);
}
