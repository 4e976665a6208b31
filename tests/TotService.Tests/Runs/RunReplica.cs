using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TotService.Engine.Providers;
using TotService.Engine.Search;
using TotService.Runs;
using TotService.Storage;
using TotService.Trees;

namespace TotService.Tests.Runs;

/// <summary>
/// One TotService replica's run machinery (executor, stores, cancel bus) in a generic host, without the web part;
/// several of them on one Redis behave like replicas.
/// </summary>
public sealed class RunReplica : IAsyncDisposable
{
    private readonly IHost _host;

    private RunReplica(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public RunCommands Commands => Services.GetRequiredService<RunCommands>();

    public RunQueries Queries => Services.GetRequiredService<RunQueries>();

    public static async Task<RunReplica> StartAsync(
        IConnectionMultiplexer? redis, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        var configuration = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (redis is not null)
        {
            configuration["ConnectionStrings:redis"] = "registered-below";
            builder.Services.AddSingleton(redis);
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddTotRuns();
        builder.AddTotTrees();
        builder.AddTotStores();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new RunReplica(host);
    }

    public Task<LocalRun> StartSlowRunAsync(string owner, TimeSpan? expansionDelay = null, TimeSpan? timeBudget = null) =>
        Commands.StartAsync(owner, SlowRun(expansionDelay ?? TimeSpan.FromMilliseconds(20), timeBudget ?? TimeSpan.FromSeconds(60)), CancellationToken.None);

    /// <summary>A search that goes on for the whole budget: every expansion waits, proposes fresh states and scores them 0.5.</summary>
    public static RunRequest SlowRun(TimeSpan expansionDelay, TimeSpan timeBudget)
    {
        var settings = new SearchSettings
        {
            Strategy = SearchStrategy.BestFirst,
            MaxDepth = 10,
            MaxNodes = 2000,
            MaxFrontier = 2000,
            TimeBudget = timeBudget,
        };
        var providers = new ThoughtProviders("slow", new SlowGenerator(expansionDelay), new HalfEvaluator(), new LastThoughtFinalizer());
        return new RunRequest(new ThoughtProblem("think slowly"), "general", settings, ProviderKind.Endpoint, providers);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private sealed class SlowGenerator(TimeSpan delay) : IThoughtGenerator
    {
        public string InitialState(ThoughtProblem problem) => "start";

        public async Task<IReadOnlyList<ThoughtCandidate>> ProposeAsync(
            ThoughtProblem problem, IReadOnlyList<TotService.Engine.Tree.ThoughtNode> path, int count, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return [.. Enumerable.Range(0, 2).Select(i => new ThoughtCandidate($"step {i}", Guid.NewGuid().ToString("N")))];
        }
    }
}
