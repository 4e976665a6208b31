using KeyService.Keys;

namespace KeyService.Storage;

/// <summary>
/// The ring as one file, replaced atomically: write a temp file, fsync it, rename it over the ring. A crash at any
/// point leaves the old ring or the new one. Files are created 0600 in a 0700 folder. Writers hold
/// <see cref="FileKeyRingLock"/>, so the fixed temp name is never shared.
/// </summary>
public sealed class FileKeyRingStore(string directory) : IKeyRingStore
{
    public const string FileName = "keyring.json";

    public string FilePath { get; } = Path.Combine(directory, FileName);

    public string Location => FilePath;

    public async Task<byte[]?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(FilePath, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async Task SaveAsync(ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
    {
        EnsureDirectory(directory);
        var temp = FilePath + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var stream = new FileStream(temp, options))
        {
            await stream.WriteAsync(document, cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, FilePath, overwrite: true);
    }

    internal static void EnsureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
