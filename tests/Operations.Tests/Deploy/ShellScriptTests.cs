using Operations.Tests.Infrastructure;

namespace Operations.Tests.Deploy;

/// <summary>The shell scripts pass shellcheck, whose findings are the bugs bash itself stays silent about.</summary>
public sealed class ShellScriptTests
{
    [Theory]
    [InlineData("deploy/deploy.sh")]
    [InlineData("tests/Operations.Tests/Deploy/fake-kubectl")]
    [InlineData("tests/conformance/run.sh")]
    public async Task Shellcheck_finds_nothing(string script)
    {
        var result = await ShellcheckAsync(Repository.PathOf(script.Split('/')));
        Assert.True(result.ExitCode == 0, result.All);
    }

    [Fact]
    public async Task Shellcheck_reports_an_unquoted_expansion()
    {
        using var scratch = new ScratchDirectory();
        File.WriteAllText(scratch.File("bad.sh"), "#!/usr/bin/env bash\nrm -rf $1/tmp\n");
        var result = await ShellcheckAsync(scratch.File("bad.sh"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("SC2086", result.Output, StringComparison.Ordinal);
    }

    private static Task<Tool.Outcome> ShellcheckAsync(string path) =>
        Tool.RunAsync(Tool.Find("shellcheck", "Debian's 'shellcheck' package (apt-get install shellcheck)"), [path]);
}
