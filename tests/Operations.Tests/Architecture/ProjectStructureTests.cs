using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Operations.Tests.Infrastructure;

namespace Operations.Tests.Architecture;

/// <summary>
/// The layering the compiler cannot see inside one project: a service's top-level folders (one namespace each) may
/// depend on each other only one way, read from the <c>using</c> lines as a reader would. And the engine, a project
/// of its own, reaches no ASP.NET Core, MCP or Redis package, directly or transitively.
/// </summary>
public sealed partial class ProjectStructureTests
{
    [Theory]
    [InlineData("KeyService")]
    [InlineData("TotService")]
    public void A_services_folders_depend_on_each_other_without_cycles(string project)
    {
        var graph = FolderGraph(project);

        var cycle = FindCycle(graph);

        Assert.True(cycle is null, $"{project}: folders depend on each other in a circle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void The_cycle_finder_finds_a_circle_of_three_and_passes_a_chain()
    {
        Assert.Equal(["A", "B", "C", "A"], FindCycle(new() { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"] }));
        Assert.Null(FindCycle(new() { ["A"] = ["B"], ["B"] = ["C"], ["C"] = [] }));
    }

    [Fact]
    public void The_engine_references_no_AspNetCore_Mcp_or_Redis_package_even_transitively()
    {
        var project = XDocument.Load(Repository.PathOf("TotService.Engine", "TotService.Engine.csproj"));
        Assert.Empty(project.Descendants("ProjectReference"));
        Assert.Empty(project.Descendants("FrameworkReference"));

        var assets = Repository.PathOf("TotService.Engine", "obj", "project.assets.json");
        Assert.True(File.Exists(assets), $"{assets} is missing: build the solution first");
        using var json = JsonDocument.Parse(File.ReadAllText(assets));
        var libraries = json.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name).ToList();
        Assert.NotEmpty(libraries);
        Assert.DoesNotContain(libraries, library =>
            library.Contains("AspNetCore", StringComparison.OrdinalIgnoreCase)
            || library.StartsWith("ModelContextProtocol", StringComparison.OrdinalIgnoreCase)
            || library.Contains("Redis", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Top-level folder -> the top-level folders its files name in <c>using</c> lines.</summary>
    private static Dictionary<string, HashSet<string>> FolderGraph(string project)
    {
        var root = Repository.PathOf(project);
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal))
            {
                continue;
            }
            var text = File.ReadAllText(file);
            if (NamespaceLine().Match(text) is not { Success: true } declared || FolderOf(project, declared.Groups[1].Value) is not { } from)
            {
                continue;
            }
            var targets = graph.TryGetValue(from, out var known) ? known : graph[from] = new(StringComparer.Ordinal);
            foreach (Match used in UsingLine().Matches(text))
            {
                if (FolderOf(project, used.Groups[1].Value) is { } to && to != from)
                {
                    targets.Add(to);
                }
            }
        }
        Assert.True(graph.Count > 1, $"{project}: found {graph.Count} namespaced folders; the scan reads nothing");
        return graph;
    }

    /// <summary>The first folder under the project's root namespace, e.g. TotService.Mcp.Guards -> Mcp.</summary>
    private static string? FolderOf(string project, string @namespace) =>
        @namespace.StartsWith(project + ".", StringComparison.Ordinal) ? @namespace[(project.Length + 1)..].Split('.')[0] : null;

    /// <summary>A path that returns to where it started (depth-first), or null when the graph has none.</summary>
    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            if (path.IndexOf(node) is var at and >= 0)
            {
                return [.. path[at..], node];
            }
            if (!done.Add(node))
            {
                return null;
            }
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return graph.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(cycle => cycle is not null);
    }

    [GeneratedRegex(@"^namespace ([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (?:static )?([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
