using BenchmarkDotNet.Attributes;
using KeyService.Keys;

namespace Bench.Micro;

/// <summary>
/// KeyService builds the JWKS bytes and ETag once per ring change (<see cref="KeyRingSnapshot"/>); a request then
/// costs a reference read. This measures that build, the work a ring change costs.
/// </summary>
[MemoryDiagnoser]
public class JwksBenchmarks
{
    private KeyRing _ring = KeyRing.Empty;
    private readonly byte[] _hash = new byte[32];

    [GlobalSetup]
    public void Setup() => _ring = TestKeys.Ring();

    [Benchmark(Description = "KeyRingSnapshot: JWKS bytes + ETag, 3 keys")]
    public KeyRingSnapshot BuildSnapshot() => new(_ring, _hash);
}
