using System.Diagnostics;
using System.Text;
using KeyService.Keys;
using KeyService.Storage;
using KeyService.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace KeyService.Tests.Storage;

public sealed class FileKeyRingStoreTests
{
    [Fact]
    public async Task Key_file_is_0600_and_holds_no_private_key_material_in_clear()
    {
        var directory = TestSettings.NewDataDirectory();
        using var context = new KeyRingTestContext(new FakeTimeProvider(DateTimeOffset.UtcNow), TestSettings.Create(dataDirectory: directory));
        await context.TickAsync();
        await context.Manager.EnsureAsync(rotateNow: true, TestContext.Current.CancellationToken);

        var path = Path.Combine(directory, FileKeyRingStore.FileName);
        var raw = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(2, context.Cache.Current.Ring.Keys.Count);
        foreach (var key in context.Cache.Current.Ring.Keys)
        {
            Assert.Contains(key.Kid, Encoding.UTF8.GetString(raw), StringComparison.Ordinal);
            PrivateKeyMaterial.AssertAbsent(raw, key.Rsa);
        }
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task A_ring_does_not_load_under_another_key_encryption_key()
    {
        var directory = TestSettings.NewDataDirectory();
        var settings = TestSettings.Create(dataDirectory: directory);
        using (var writer = new KeyRingTestContext(new FakeTimeProvider(DateTimeOffset.UtcNow), settings))
        {
            await writer.TickAsync();
        }
        var raw = await File.ReadAllBytesAsync(Path.Combine(directory, FileKeyRingStore.FileName), TestContext.Current.CancellationToken);

        settings["KeyService:KeyEncryptionKey"] = TestSettings.NewKeyEncryptionKey();
        using var reader = new KeyRingTestContext(new FakeTimeProvider(DateTimeOffset.UtcNow), settings);
        await reader.TickAsync();

        // Nothing decrypted, nothing overwritten: the operator must fix the key, not lose the ring.
        Assert.True(reader.Cache.Current.Ring.IsEmpty);
        Assert.Equal(raw, await File.ReadAllBytesAsync(Path.Combine(directory, FileKeyRingStore.FileName), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Kill_9_during_writes_leaves_the_old_or_the_new_ring_never_a_corrupt_one()
    {
        var directory = TestSettings.NewDataDirectory();
        var kek = TestSettings.NewKeyEncryptionKey();
        var serializer = new KeyRingSerializer(new KeyProtector(Convert.FromBase64String(kek), isEphemeral: false));
        var store = new FileKeyRingStore(directory);
        var random = new Random(7);
        var kills = 0;

        for (var round = 0; round < 4; round++)
        {
            var lastCommitted = await RunWriterAndKillAsync(directory, kek, TimeSpan.FromMilliseconds(random.Next(50, 400)));
            var document = await store.LoadAsync(TestContext.Current.CancellationToken);
            Assert.NotNull(document);
            var ring = serializer.Deserialize(document, KeyRing.Empty);
            var generation = KeyRingWriter.GenerationOf(ring);
            // The write in flight when killed may or may not have landed; nothing else is acceptable.
            Assert.True(generation == lastCommitted || generation == lastCommitted + 1,
                $"round {round}: file holds generation {generation}, last committed {lastCommitted}");
            Assert.Equal(generation % 2 == 0 ? 3 : 1, ring.Keys.Count);
            kills++;
        }
        Assert.Equal(4, kills);
    }

    /// <returns>The last generation the child reported as written.</returns>
    private static async Task<long> RunWriterAndKillAsync(string directory, string kek, TimeSpan runFor)
    {
        var testAssembly = typeof(KeyRingWriter).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost(), ["exec", testAssembly, KeyRingWriter.Verb, directory, kek])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(start)!;
        long lastCommitted = 0;
        var ready = new TaskCompletionSource();
        var writesSeen = new TaskCompletionSource();
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
            else if (long.TryParse(e.Data, out var generation))
            {
                Interlocked.Exchange(ref lastCommitted, generation);
                if (generation >= 3)
                {
                    writesSeen.TrySetResult();
                }
            }
        };
        child.BeginOutputReadLine();
        try
        {
            await writesSeen.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            await Task.Delay(runFor, TestContext.Current.CancellationToken);
            if (child.HasExited)
            {
                Assert.Fail($"writer exited early: {await child.StandardError.ReadToEndAsync()}");
            }
        }
        finally
        {
            child.Kill(); // SIGKILL on Unix: no finally blocks, no flush in the child.
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        // A generation printed is on disk; read the counter only after the pipe drained.
        child.WaitForExit();
        return Interlocked.Read(ref lastCommitted);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : "dotnet";
}
