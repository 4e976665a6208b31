using TotService.Tests.Infrastructure;

namespace TotService.Tests.Tools;

/// <summary>Run-level and engine instruments as Prometheus scrapes them from /metrics after a real run and tree operations.</summary>
public sealed class RunMetricsExportTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    [Fact]
    public async Task Runs_by_outcome_active_runs_duration_rejections_and_tree_operations_are_exported()
    {
        await using var client = await host.ConnectAsync("metrics-" + Guid.NewGuid().ToString("N")[..6]);
        await client.CallOkAsync("tot_solve", new { task = "4 9 10 13", domain = "game24", strategy = "dfs" });
        var treeId = (await client.CallOkAsync("tot_tree_create", new { task = "t" })).Str("treeId");
        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = new[] { "a" } });

        (string Name, string[] Labels)[] expected =
        [
            ("totmcp_tot_runs_total", ["outcome=\"solved\"", "strategy=\"depth_first\"", "provider=\"domain\""]),
            ("totmcp_tot_runs_active", ["state=\"running\""]),
            ("totmcp_tot_run_duration_seconds_bucket", ["outcome=\"solved\"", "le="]),
            ("tot_engine_runs_total", ["tot_outcome=\"solution_found\""]),
            ("tot_engine_nodes_expanded_total", ["tot_strategy=\"depth_first\""]),
            ("tot_engine_tree_operations_total", ["tot_operation=\"add_thoughts\""]),
            ("totmcp_mcp_tool_calls_total", ["tool=\"tot_solve\"", "outcome=\"ok\""]),
        ];
        await PrometheusScrape.WaitForSeriesAsync(host.Host.Http, expected);
    }
}
