using System.Reflection;

namespace TotService.Mcp;

/// <summary>Product name and version from the assembly (Directory.Build.props), reported as MCP server info.</summary>
public static class ServerIdentity
{
    public const string Name = "TotService";

    private static readonly Assembly Assembly = typeof(ServerIdentity).Assembly;

    public static string Product { get; } =
        Assembly.GetCustomAttribute<AssemblyProductAttribute>()?.Product ?? Name;

    /// <summary>Informational version without the source-revision suffix (<c>1.0.0+abc</c> → <c>1.0.0</c>).</summary>
    public static string Version { get; } =
        (Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}
