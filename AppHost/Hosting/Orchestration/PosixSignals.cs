using System.Runtime.InteropServices;

namespace AppHost.Hosting.Orchestration;

/// <summary>SIGTERM for graceful stops: <see cref="System.Diagnostics.Process.Kill()"/> only sends SIGKILL.</summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    public static bool TryTerminate(int pid) => OperatingSystem.IsWindows() ? false : Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
