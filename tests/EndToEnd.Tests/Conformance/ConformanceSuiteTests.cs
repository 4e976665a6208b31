using EndToEnd.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace EndToEnd.Tests.Conformance;

/// <summary>
/// The MCP conformance suite's server scenarios (npm's @modelcontextprotocol/conformance, pinned in
/// tests/conformance/package.json) against a real TotService through the token proxy. Every check of a scenario that
/// applies passes; what does not apply is listed here with its reason (the suite's fixtures: tools, prompts and resources
/// it names), and the suite's list of scenarios is checked against these lists, so a scenario is never left out silently.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConformanceSuiteTests(EndToEndAppModel model)
{
    /// <summary>Scenarios that test TotService's own behaviour.</summary>
    public static TheoryData<string> Applicable() =>
    [
        "server-initialize", "logging-set-level", "ping", "tools-list", "server-sse-multiple-streams", "dns-rebinding-protection",
    ];

    /// <summary>Scenarios that apply once TotService offers the feature they list, with the capability that says so.</summary>
    private static readonly Dictionary<string, Func<ServerCapabilities, bool>> ApplicableWithFeature = new()
    {
        ["prompts-list"] = capabilities => capabilities.Prompts is not null,
        ["resources-list"] = capabilities => capabilities.Resources is not null,
    };

    /// <summary>Scenarios that call the suite's own fixtures (tools, prompts, resources it names), which TotService does not serve.</summary>
    private static readonly Dictionary<string, string> NotApplicable = new()
    {
        ["tools-call-simple-text"] = "calls the suite's fixture tool test_simple_text",
        ["tools-call-image"] = "calls the suite's fixture tool test_image_content",
        ["tools-call-audio"] = "calls the suite's fixture tool test_audio_content",
        ["tools-call-embedded-resource"] = "calls the suite's fixture tool test_embedded_resource",
        ["tools-call-mixed-content"] = "calls the suite's fixture tool test_multiple_content_types",
        ["tools-call-with-logging"] = "calls the suite's fixture tool test_tool_with_logging",
        ["tools-call-error"] = "calls the suite's fixture tool test_error_handling",
        ["tools-call-with-progress"] = "calls the suite's fixture tool test_tool_with_progress",
        ["tools-call-sampling"] = "calls the suite's fixture tool test_sampling",
        ["tools-call-elicitation"] = "calls the suite's fixture tool test_elicitation",
        ["elicitation-sep1034-defaults"] = "calls the suite's fixture tool test_elicitation_sep1034_defaults",
        ["elicitation-sep1330-enums"] = "calls the suite's fixture tool test_elicitation_sep1330_enums",
        ["json-schema-2020-12"] = "looks for the suite's fixture tool json_schema_2020_12_tool",
        ["completion-complete"] = "completes an argument of the suite's fixture prompt test_prompt_with_arguments",
        ["resources-read-text"] = "reads the suite's fixture resource test://static-text",
        ["resources-read-binary"] = "reads the suite's fixture resource test://static-binary",
        ["resources-templates-read"] = "reads the suite's fixture template test://template/{id}/data",
        ["resources-subscribe"] = "subscribes to the suite's fixture resource test://watched-resource",
        ["resources-unsubscribe"] = "unsubscribes from the suite's fixture resource test://watched-resource",
        ["prompts-get-simple"] = "gets the suite's fixture prompt test_simple_prompt",
        ["prompts-get-with-args"] = "gets the suite's fixture prompt test_prompt_with_arguments",
        ["prompts-get-embedded-resource"] = "gets the suite's fixture prompt test_prompt_with_embedded_resource",
        ["prompts-get-with-image"] = "gets the suite's fixture prompt test_prompt_with_image",
        ["server-sse-polling"] = "calls the suite's fixture tool test_reconnection, which closes its stream mid-call; without it only "
            + "recommendations about resumable streams remain, and TotService keeps no event store (sessions serve older clients only)",
    };

    [Theory]
    [MemberData(nameof(Applicable))]
    public async Task Every_check_of_a_scenario_that_applies_passes(string scenario) => await RunAsync(scenario);

    [Fact]
    public async Task The_feature_scenarios_pass_for_every_feature_TotService_offers()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await model.GetTokenAsync(cancellationToken: cancellationToken);
        await using var client = await model.ConnectAsync(token, cancellationToken: cancellationToken);
        foreach (var (scenario, offered) in ApplicableWithFeature)
        {
            if (offered(client.ServerCapabilities))
            {
                await RunAsync(scenario);
            }
        }
    }

    [Fact]
    public async Task Every_scenario_of_the_suite_is_run_or_listed_with_its_reason()
    {
        var suite = await ConformanceSuite.LocateAsync(TestContext.Current.CancellationToken);
        var scenarios = await suite.ServerScenariosAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(scenarios);
        var known = Applicable().Select(row => row.Data).Concat(ApplicableWithFeature.Keys).Concat(NotApplicable.Keys).ToHashSet();
        var unlisted = scenarios.Where(s => !known.Contains(s)).ToList();
        Assert.True(unlisted.Count == 0, $"Scenarios of the suite neither run nor listed here: {string.Join(", ", unlisted)}");
        var gone = known.Where(s => !scenarios.Contains(s)).ToList();
        Assert.True(gone.Count == 0, $"Listed here but not in the suite: {string.Join(", ", gone)}");
    }

    private async Task RunAsync(string scenario)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var suite = await ConformanceSuite.LocateAsync(cancellationToken);
        var token = await model.GetTokenAsync(cancellationToken: cancellationToken);
        await using var proxy = await TokenProxy.StartAsync(suite.Node, model.McpEndpoint(), token, cancellationToken);
        IReadOnlyList<ConformanceSuite.Check> checks;
        try
        {
            checks = await suite.RunAsync(scenario, proxy.McpUrl, cancellationToken);
        }
        finally
        {
            await proxy.EndSessionsAsync(cancellationToken);
        }

        var report = string.Join("\n", checks.Select(c => $"{c.Status} {c.Id}: {c.Message}"));
        Assert.True(checks.Any(c => c.Status == "SUCCESS"), $"{scenario} passed no check:\n{report}");
        Assert.True(!checks.Any(c => c.Status == "FAILURE"), $"{scenario}:\n{report}");
    }
}
