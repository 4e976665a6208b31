using System.Text.RegularExpressions;
using Operations.Tests.Infrastructure;

namespace Operations.Tests.Docs;

/// <summary>The runbook's links lead somewhere and the deploy options it shows are the script's.</summary>
public sealed partial class RunbookTests
{
    private static readonly string Runbook = Repository.PathOf("docs", "OPERATIONS.md");

    [Theory]
    [InlineData("docs/OPERATIONS.md")]
    [InlineData("docs/DEPLOYMENT.md")]
    public void Every_relative_link_reaches_a_file_and_heading(string document)
    {
        var path = Repository.PathOf(document.Split('/'));
        var links = Link().Matches(File.ReadAllText(path)).Select(m => m.Groups["target"].Value)
            .Where(t => !t.StartsWith("http", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link =>
        {
            var parts = link.Split('#', 2);
            var target = parts[0].Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, parts[0]));
            Assert.True(File.Exists(target), $"{link}: no file {target}");
            if (parts.Length == 2)
            {
                Assert.True(Headings(target).Contains(parts[1]), $"{link}: no heading '{parts[1]}' in {Path.GetFileName(target)}");
            }
        });
    }

    [Fact]
    public void Every_deploy_option_it_shows_is_one_the_script_accepts()
    {
        var script = File.ReadAllText(Repository.PathOf("deploy", "deploy.sh"));
        var accepted = AcceptedOption().Matches(script).Select(m => m.Groups["option"].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("--dry-run", accepted);
        var shown = DeployCommand().Matches(File.ReadAllText(Runbook) + File.ReadAllText(Repository.PathOf("docs", "DEPLOYMENT.md")))
            .SelectMany(m => ShownOption().Matches(m.Value).Select(o => o.Value)).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("--domain", shown);
        Assert.Empty(shown.Except(accepted));
    }

    [Fact]
    public void It_covers_every_failure_operators_meet()
    {
        var headings = Headings(Runbook);
        string[] sections = ["deploy", "rotate-signing-keys", "scale", "back-up-and-restore", "read-the-dashboard-and-the-alerts",
            "jwks-unreachable", "clock-skew", "redis-down", "a-replica-crash-looping", "401-storms-after-a-rotation", "429s"];
        Assert.Empty(sections.Except(headings));
    }

    /// <summary>GitHub's anchors: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static HashSet<string> Headings(string path) =>
        File.ReadLines(path).Where(l => l.StartsWith('#'))
            .Select(l => Slug().Replace(l.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex Slug();

    [GeneratedRegex(@"^\s+(?<option>--[a-z-]+)\)", RegexOptions.Multiline)]
    private static partial Regex AcceptedOption();

    [GeneratedRegex(@"deploy/deploy\.sh[^\n`|]*")]
    private static partial Regex DeployCommand();

    [GeneratedRegex(@"--[a-z][a-z-]+")]
    private static partial Regex ShownOption();
}
