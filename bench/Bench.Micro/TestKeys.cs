using System.Security.Cryptography;
using KeyService.Keys;

namespace Bench.Micro;

/// <summary>A ring shaped like a live one: a retired, an active and a published RSA-2048 key.</summary>
internal static class TestKeys
{
    public static KeyRing Ring(int keys = 3)
    {
        var now = DateTimeOffset.UtcNow;
        return new KeyRing([.. Enumerable.Range(0, keys).Select(i =>
        {
            var rsa = RSA.Create(2048);
            var kid = JwkThumbprint.ForRsa(rsa.ExportParameters(includePrivateParameters: false));
            var created = now.AddDays(i - keys);
            // The benchmarks never store keys: the envelope is a stand-in, not key material.
            return new RingKey(new KeyMetadata(kid, created, created.AddHours(1), created.AddDays(1), created.AddDays(2)), rsa, "not-stored");
        })]);
    }
}
