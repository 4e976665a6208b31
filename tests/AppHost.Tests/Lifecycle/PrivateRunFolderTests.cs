using AppHost.Lifecycle;
using Aspire.Hosting;

namespace AppHost.Tests.Lifecycle;

/// <summary>The AppHost's folder for secret run files: never made when publishing, private and removed when running.</summary>
public sealed class PrivateRunFolderTests
{
    [Fact]
    public void Publishing_makes_no_folder_and_refuses_to_write_one()
    {
        using var folder = new PrivateRunFolder(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish));

        Assert.Throws<InvalidOperationException>(() => folder.Path);
        Assert.Throws<InvalidOperationException>(() => folder.WriteSecretFile("x.conf", "secret"));
        Assert.False(folder.Exists);
    }

    [Fact]
    public void Running_makes_a_private_folder_on_first_use_and_removes_it_at_dispose()
    {
        string path;
        using (var folder = new PrivateRunFolder(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run)))
        {
            Assert.False(folder.Exists);
            var file = folder.WriteSecretFile("x.conf", "secret");
            path = folder.Path;
            Assert.True(Directory.Exists(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
        Assert.False(Directory.Exists(path));
    }
}
