using System.Security.Cryptography;
using KeyService.Keys;
using KeyService.Storage;

namespace KeyService.Tests.Storage;

/// <summary>
/// Child-process mode: rewrites the file ring forever, each generation a different ring (the generation is encoded in
/// the first key's creation time, and the key count alternates so sizes change), printing each committed generation.
/// </summary>
internal static class KeyRingWriter
{
    public const string Verb = "keyring-writer";
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static int Run(string directory, string keyEncryptionKey)
    {
        var serializer = new KeyRingSerializer(new KeyProtector(Convert.FromBase64String(keyEncryptionKey), isEphemeral: false));
        var store = new FileKeyRingStore(directory);
        var ringLock = new FileKeyRingLock(directory, TimeProvider.System);
        var keys = Enumerable.Range(0, 3).Select(_ => RSA.Create(2048)).ToList();
        Console.WriteLine("ready");
        for (long generation = 1; ; generation++)
        {
            var ring = new KeyRing([.. keys.Take(generation % 2 == 0 ? 3 : 1).Select((rsa, i) => serializer.Seal(Schedule(generation, i), rsa))]);
            var bytes = serializer.Serialize(ring);
            var held = ringLock.TryAcquireAsync(TimeSpan.FromSeconds(10), CancellationToken.None).GetAwaiter().GetResult()
                ?? throw new TimeoutException("lock");
            store.SaveAsync(bytes, CancellationToken.None).GetAwaiter().GetResult();
            held.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Console.WriteLine(generation);
        }
    }

    public static long GenerationOf(KeyRing ring) => (long)(ring.Keys[0].Metadata.Created - Epoch).TotalSeconds;

    private static KeySchedule Schedule(long generation, int index)
    {
        var created = Epoch + TimeSpan.FromSeconds(generation) + TimeSpan.FromMilliseconds(index);
        return new KeySchedule(created, created, created + TimeSpan.FromDays(7), created + TimeSpan.FromDays(8));
    }
}
