using KeyService.Tests.Storage;

namespace KeyService.Tests;

/// <summary>
/// The xunit v3 entry point (as generated) plus <c>keyring-writer</c>, a child-process mode that rewrites a file key
/// ring in a loop so a test can kill -9 it mid-write.
/// </summary>
internal static class TestProgram
{
    public static int Main(string[] args)
    {
        if (args is [KeyRingWriter.Verb, var directory, var keyEncryptionKey])
        {
            return KeyRingWriter.Run(directory, keyEncryptionKey);
        }
        if (args.Any(arg => arg is "--server" or "--internal-msbuild-node"))
        {
            return Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions).GetAwaiter().GetResult();
        }
        return Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
    }
}
