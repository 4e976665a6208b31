using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TotService.Engine.Providers.Llm;
using TotService.Runs;
using TotService.Tests.Tools;

namespace TotService.Tests.Runs;

/// <summary>The sampling client as runs use it: a timeout on each request, and the slot lent while the client thinks.</summary>
public sealed class SamplingChatClientTests
{
    [Fact]
    public async Task A_request_the_client_does_not_answer_fails_after_the_timeout_with_a_readable_error()
    {
        var time = new FakeTimeProvider();
        using var silent = new SilentModel();
        using var client = new SamplingChatClient(silent, new SamplingGate(), TimeSpan.FromSeconds(60), time);

        var call = client.GetResponseAsync([new ChatMessage(ChatRole.User, "propose")], cancellationToken: TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<ModelCallException>(() => call.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.Equal("The client did not answer a sampling request within 60 s (TotService:Runs:SamplingTimeout), so the run stopped.", error.Message);
    }

    [Fact]
    public async Task Cancelling_the_run_cancels_the_request_without_calling_it_a_timeout()
    {
        using var silent = new SilentModel();
        using var client = new SamplingChatClient(silent, new SamplingGate(), TimeSpan.FromSeconds(60), new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();

        var call = client.GetResponseAsync([new ChatMessage(ChatRole.User, "propose")], cancellationToken: cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task While_the_client_thinks_the_runs_slot_serves_another_client()
    {
        var scheduler = new RunScheduler(Options.Create(new RunOptions { MaxConcurrent = 1 }));
        await scheduler.AcquireAsync("sampler", CancellationToken.None);
        var gate = new SamplingGate();
        gate.Bind(scheduler, "sampler");
        using var silent = new SilentModel();
        using var client = new SamplingChatClient(silent, gate, TimeSpan.FromSeconds(60), new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();

        var call = client.GetResponseAsync([new ChatMessage(ChatRole.User, "propose")], cancellationToken: cancel.Token);
        await scheduler.AcquireAsync("other", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(1, silent.Requests);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.Equal(1, scheduler.Busy); // the cancelled request took no slot back
    }
}
