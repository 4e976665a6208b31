[assembly: AssemblyFixture(typeof(KeyService.Tests.Infrastructure.TestDataRoot))]

namespace KeyService.Tests.Infrastructure;

/// <summary>One temp folder per test run holding every data directory the tests create; deleted at the end.</summary>
public sealed class TestDataRoot : IDisposable
{
    public static string Path { get; } = Directory.CreateTempSubdirectory("keyservice-tests-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child process killed mid-write may still be releasing a handle; the OS cleans temp eventually.
        }
    }
}
