using Microsoft.Extensions.Options;
using TotService.Runs;

namespace TotService.Tests.Runs;

/// <summary>The slot pool: bounded, and handed to waiting clients in turn rather than in arrival order.</summary>
public sealed class RunSchedulerTests
{
    private static RunScheduler Slots(int count) => new(Options.Create(new RunOptions { MaxConcurrent = count }));

    [Fact]
    public async Task A_freed_slot_goes_to_the_next_waiting_client_in_turn_not_to_the_client_that_queued_most()
    {
        var scheduler = Slots(1);
        await scheduler.AcquireAsync("holder", CancellationToken.None);
        var pending = new[] { "a1", "a2", "a3", "b1", "c1" }.ToDictionary(name => scheduler.AcquireAsync(name[..1], CancellationToken.None), name => name);
        var granted = new List<string>();

        while (pending.Count > 0)
        {
            scheduler.Release();
            var done = await Task.WhenAny(pending.Keys).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            granted.Add(pending[done]);
            pending.Remove(done);
            Assert.Equal(1, scheduler.Busy);
        }

        Assert.Equal(["a1", "b1", "c1", "a2", "a3"], granted);
    }

    [Fact]
    public async Task A_cancelled_waiter_gives_up_its_place_and_never_takes_a_slot()
    {
        var scheduler = Slots(1);
        await scheduler.AcquireAsync("holder", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = scheduler.AcquireAsync("a", cancel.Token);
        var next = scheduler.AcquireAsync("b", CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(next.IsCompleted);
        scheduler.Release();

        await next.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(1, scheduler.Busy);
        scheduler.Release();
        Assert.Equal(0, scheduler.Busy);
    }

    [Fact]
    public async Task A_sampling_run_lends_its_slot_while_the_client_thinks_and_waits_its_turn_to_go_on()
    {
        var scheduler = Slots(1);
        await scheduler.AcquireAsync("sampler", CancellationToken.None);
        var gate = new SamplingGate();
        gate.Bind(scheduler, "sampler");

        await gate.EnterAsync(CancellationToken.None);
        await gate.EnterAsync(CancellationToken.None); // a sibling evaluation asks too
        await scheduler.AcquireAsync("victim", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        await gate.ExitAsync(CancellationToken.None); // one answer is back, the other is still out: no slot needed yet
        var resumed = gate.ExitAsync(CancellationToken.None);
        Assert.False(resumed.IsCompleted);
        scheduler.Release(); // the victim finishes

        await resumed.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(1, scheduler.Busy);
        await gate.CloseAsync();
        Assert.Equal(0, scheduler.Busy);
        await gate.CloseAsync();
        Assert.Equal(0, scheduler.Busy);
    }
}
