namespace AppHost.Hosting.Model;

/// <summary>Any local program (Aspire's <c>AddExecutable</c>).</summary>
public sealed class ExecutableResource(string name, string command, string workingDirectory) : ProcessResource(name)
{
    public override string Kind => "Executable";

    public string Command { get; } = command;

    public string WorkingDirectory { get; } = workingDirectory;
}
