using System.Text.RegularExpressions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using TotService.Tests.Tools;

namespace TotService.Tests.Prompts;

/// <summary>The <c>tot_think</c> prompt through a real MCP client: what it asks for, what it says, and how it refuses.</summary>
public sealed partial class ThinkPromptTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_prompt_is_listed_with_its_arguments_and_the_list_may_be_kept_five_minutes_by_this_caller_only()
    {
        await using var client = await host.ConnectAsync("lister-" + Guid.NewGuid().ToString("N")[..6]);

        var list = await client.ListPromptsAsync(new ListPromptsRequestParams(), Cancel);

        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        Assert.Equal(TimeSpan.FromMinutes(5), list.TimeToLive);
        Assert.Equal(CacheScope.Private, list.CacheScope);
        var prompt = Assert.Single(list.Prompts, p => p.Name == "tot_think");
        Assert.False(string.IsNullOrWhiteSpace(prompt.Title));
        Assert.False(string.IsNullOrWhiteSpace(prompt.Description));
        var arguments = prompt.Arguments!.ToDictionary(a => a.Name, a => a.Required == true);
        Assert.Equal(new Dictionary<string, bool> { ["problem"] = true, ["constraints"] = false, ["breadth"] = false, ["depth"] = false }, arguments);
        Assert.All(prompt.Arguments!, a => Assert.False(string.IsNullOrWhiteSpace(a.Description), a.Name));
    }

    [Fact]
    public async Task The_prompt_walks_the_model_through_create_select_propose_evaluate_and_finish_with_tools_that_exist()
    {
        await using var client = await host.ConnectAsync("thinker-" + Guid.NewGuid().ToString("N")[..6]);

        var prompt = await client.GetPromptAsync("tot_think", new Dictionary<string, object?>
        {
            ["problem"] = "Use 4 9 10 13 and + - * / to make 24.",
            ["constraints"] = "Use each number exactly once.",
            ["breadth"] = "4",
            ["depth"] = "2",
        }, cancellationToken: Cancel);

        var message = Assert.Single(prompt.Messages);
        Assert.Equal(Role.User, message.Role);
        var text = Assert.IsType<TextContentBlock>(message.Content).Text;
        Assert.Contains("Use 4 9 10 13 and + - * / to make 24.", text, StringComparison.Ordinal);
        Assert.Contains("Use each number exactly once.", text, StringComparison.Ordinal);
        Assert.Contains("breadth = 4, maxDepth = 2", text, StringComparison.Ordinal);
        Assert.Contains("think of 4 different", text, StringComparison.Ordinal);
        string[] steps = ["tot_tree_create", "tot_tree_next", "tot_tree_add_thoughts", "tot_tree_score", "tot_tree_mark", "tot_tree_best_path"];
        var positions = steps.Select(step => text.IndexOf(step, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);

        // Every tool the prompt names is one the caller can call, with the argument names the prompt uses.
        var tools = (await client.ListToolsAsync(cancellationToken: Cancel)).ToDictionary(t => t.Name, t => t.ProtocolTool.InputSchema.GetRawText());
        foreach (var named in ToolName().Matches(text).Select(m => m.Value).Distinct())
        {
            Assert.True(tools.ContainsKey(named), $"the prompt names {named}, which is not a tool");
        }
        foreach (var (tool, argument) in new[] { ("tot_tree_create", "maxDepth"), ("tot_tree_add_thoughts", "parentId"), ("tot_tree_mark", "mark") })
        {
            Assert.Contains($"\"{argument}\"", tools[tool], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_breadth_and_depth_the_prompt_asks_for_a_small_search_and_says_nothing_of_constraints()
    {
        await using var client = await host.ConnectAsync("defaults-" + Guid.NewGuid().ToString("N")[..6]);

        var prompt = await client.GetPromptAsync("tot_think", new Dictionary<string, object?> { ["problem"] = "Plan a three-day trip." }, cancellationToken: Cancel);

        var text = Assert.IsType<TextContentBlock>(Assert.Single(prompt.Messages).Content).Text;
        Assert.Contains("breadth = 3, maxDepth = 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("onstraints", text, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?, string?, string> Mistakes => new()
    {
        { "tot_think", null, "3", "give every required argument as text" },
        { "tot_think", "a problem", "11", "breadth must be a whole number from 1 to 10 (got '11')" },
        { "tot_think", "a problem", "three", "breadth must be a whole number from 1 to 10 (got 'three')" },
        { "tot_think", " ", null, "Invalid arguments for prompt 'tot_think': problem must not be empty." },
        { "tot_ponder", "a problem", null, "Unknown prompt 'tot_ponder': this server offers tot_think." },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistaken_request_gets_invalid_params_in_the_servers_words(string name, string? problem, string? breadth, string expected)
    {
        await using var client = await host.ConnectAsync("mistaken-" + Guid.NewGuid().ToString("N")[..6]);
        var arguments = new Dictionary<string, object?>();
        if (problem is not null)
        {
            arguments["problem"] = problem;
        }
        if (breadth is not null)
        {
            arguments["breadth"] = breadth;
        }

        var error = await Assert.ThrowsAsync<McpProtocolException>(async () => await client.GetPromptAsync(name, arguments, cancellationToken: Cancel));

        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("An error occurred", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_client_gets_the_same_prompt_and_a_list_without_the_2026_cache_fields()
    {
        await using var client = await host.ConnectAsync("session-" + Guid.NewGuid().ToString("N")[..6], protocolVersion: "2025-11-25");

        var list = await client.ListPromptsAsync(new ListPromptsRequestParams(), Cancel);
        var prompt = await client.GetPromptAsync("tot_think", new Dictionary<string, object?> { ["problem"] = "x" }, cancellationToken: Cancel);

        Assert.NotNull(client.SessionId);
        Assert.Contains(list.Prompts, p => p.Name == "tot_think");
        Assert.Null(list.TimeToLive);
        Assert.Null(list.CacheScope);
        Assert.Single(prompt.Messages);
    }

    [GeneratedRegex(@"\btot_[a-z]+(?:_[a-z]+)*\b")]
    private static partial Regex ToolName();
}
