namespace AppHost.Hosting.Model;

/// <summary>A .NET project launched from its build output, one process per replica.</summary>
public sealed class ProjectResource(string name, string projectPath) : ProcessResource(name)
{
    public override string Kind => "Project";

    public string ProjectPath { get; } = projectPath;

    public string ProjectDirectory => Path.GetDirectoryName(ProjectPath)!;

    public string AssemblyName => Path.GetFileNameWithoutExtension(ProjectPath);
}
