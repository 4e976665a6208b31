namespace AppHost.Resources;

/// <summary>
/// A folder only this user can read (0700), one per AppHost process, for files that hold secrets (the Redis
/// configuration, the development client's secret). Removed when the AppHost stops.
/// </summary>
public sealed class PrivateRunFolder : IDisposable
{
    public PrivateRunFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tot-mcp-apphost-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Path { get; }

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
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server still writing its files while stopping; the folder is in the temp directory anyway.
        }
    }
}
