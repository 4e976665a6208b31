namespace AppHost.Hosting;

/// <summary>A project the AppHost can launch, generated per project reference as <c>Projects.Name</c>.</summary>
public interface IProjectMetadata
{
    string ProjectPath { get; }
}
