namespace AppHost.Hosting.Orchestration;

/// <summary>Everything needed to start one process of a resource.</summary>
internal sealed record LaunchSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string? StandardInput = null);
