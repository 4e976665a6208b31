using Microsoft.Extensions.DependencyInjection;
using TotService.Runs;

namespace TotService.Tests.Runs;

/// <summary>A client's stored runs are bounded: starting one more deletes its oldest finished run, result included.</summary>
public sealed class RunRetentionTests
{
    [Fact]
    public async Task Starting_a_run_past_the_per_client_count_deletes_the_clients_oldest_finished_run()
    {
        await using var replica = await RunReplica.StartAsync(redis: null, new Dictionary<string, string?> { ["TotService:Runs:MaxStoredRunsPerClient"] = "2" });
        var store = replica.Services.GetRequiredService<IRunStore>();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var run = await replica.StartSlowRunAsync("keeper", timeBudget: TimeSpan.FromMilliseconds(50));
            await run.Completion.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            ids.Add(run.Id);
        }
        var other = await replica.StartSlowRunAsync("someone-else", timeBudget: TimeSpan.FromMilliseconds(50));
        await other.Completion.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal([ids[2], ids[1]], (await store.ListAsync("keeper", 10, CancellationToken.None)).Select(r => r.Id).ToArray());
        Assert.Null(await store.GetAsync(ids[0], CancellationToken.None));
        Assert.Null(await store.GetResultAsync(ids[0], CancellationToken.None));
        Assert.NotNull(await store.GetResultAsync(ids[1], CancellationToken.None));
        Assert.NotNull(await store.GetAsync(other.Id, CancellationToken.None));
    }
}
