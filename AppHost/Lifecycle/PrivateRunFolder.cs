namespace AppHost.Lifecycle;

/// <summary>
/// A folder only this user can read (0700), one per AppHost process, for files that hold secrets (the Redis
/// configuration, the development client's secret). Made on first use, so publishing, which starts nothing, leaves
/// nothing on disk; removed when the AppHost stops.
/// </summary>
public sealed class PrivateRunFolder(DistributedApplicationExecutionContext executionContext) : IDisposable
{
    // Lazy and thread-safe: the resources' argument callbacks that first use it run concurrently.
    private readonly Lazy<string> _path = new(Create);

    public string Path => executionContext.IsPublishMode
        ? throw new InvalidOperationException("Publishing starts no process, so it has no run folder to write to.")
        : _path.Value;

    public bool Exists => _path.IsValueCreated;

    // On Unix the folder is created 0700, so no other user can list or read it at any moment.
    private static string Create() => Directory.CreateTempSubdirectory("tot-mcp-apphost-").FullName;

    /// <summary>Writes a file readable by this user only; the mode is set before any content is written.</summary>
    public string WriteSecretFile(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(file, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }
        return file;
    }

    public string CreateSubfolder(string name)
    {
        var folder = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Dispose()
    {
        if (!Exists)
        {
            return;
        }
        try
        {
            Directory.Delete(_path.Value, recursive: true);
        }
        catch (IOException)
        {
            // A server still writing its files while stopping; the folder is in the temp directory anyway.
        }
    }
}
