using System.Runtime.InteropServices;

namespace AppHost.Hosting.Orchestration;

/// <summary>
/// Signals to a child's whole process group (children lead their own, see <see cref="ProcessLauncher"/>):
/// SIGTERM for graceful stops, which <see cref="System.Diagnostics.Process.Kill()"/> cannot send, and SIGKILL.
/// </summary>
internal static partial class PosixSignals
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    public static bool TryTerminateGroup(int pid) => !OperatingSystem.IsWindows() && (Kill(-pid, SigTerm) == 0 || Kill(pid, SigTerm) == 0);

    public static bool TryKillGroup(int pid) => !OperatingSystem.IsWindows() && Kill(-pid, SigKill) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
