using KeyService.Keys;

namespace KeyService.Storage;

/// <summary>
/// Cross-process lock on <c>keyring.lock</c>. .NET takes an exclusive <c>flock</c> for <see cref="FileShare.None"/>
/// on Unix, and the kernel drops it when the holder dies, so a killed writer never leaves the ring locked.
/// </summary>
public sealed class FileKeyRingLock(string directory, TimeProvider time) : IKeyRingLock
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    private static FileStreamOptions LockFileOptions => OperatingSystem.IsWindows()
        ? new() { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None }
        : new()
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };

    public async Task<IAsyncDisposable?> TryAcquireAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        FileKeyRingStore.EnsureDirectory(directory);
        var path = Path.Combine(directory, "keyring.lock");
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            try
            {
                return new FileStream(path, LockFileOptions);
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                await Task.Delay(Poll, time, cancellationToken);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
