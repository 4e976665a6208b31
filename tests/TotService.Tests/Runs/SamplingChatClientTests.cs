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

    [Fact]
    public async Task A_request_refused_because_the_clients_event_stream_is_not_open_yet_is_sent_once_it_is()
    {
        var time = new FakeTimeProvider();
        using var model = new StreamOpensLater(refusals: 3);
        using var client = new SamplingChatClient(model, new SamplingGate(), TimeSpan.FromSeconds(60), time);

        var call = client.GetResponseAsync([new ChatMessage(ChatRole.User, "propose")], cancellationToken: TestContext.Current.CancellationToken);
        await AdvanceUntilAsync(time, call, TimeSpan.FromSeconds(5));

        Assert.Equal("answered", (await call).Text);
        Assert.Equal(4, model.Attempts);
    }

    [Fact]
    public async Task A_client_that_never_opens_its_event_stream_fails_the_request_after_the_timeout_saying_so()
    {
        var time = new FakeTimeProvider();
        using var model = new StreamOpensLater(refusals: int.MaxValue);
        using var client = new SamplingChatClient(model, new SamplingGate(), TimeSpan.FromSeconds(60), time);

        var call = client.GetResponseAsync([new ChatMessage(ChatRole.User, "propose")], cancellationToken: TestContext.Current.CancellationToken);
        await AdvanceUntilAsync(time, call, TimeSpan.FromSeconds(59));
        Assert.False(call.IsCompleted);
        await AdvanceUntilAsync(time, call, TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<ModelCallException>(() => call.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.Equal("The client did not open its event stream (GET on the MCP endpoint) within 60 s (TotService:Runs:SamplingTimeout); " +
            "a run started with tot_start_run sends its sampling requests there, so the run stopped.", error.Message);
        Assert.InRange(model.Attempts, 60, 200); // retried every half second at most, not in a busy loop
    }

    [Fact]
    public async Task Other_failures_are_not_retried()
    {
        var time = new FakeTimeProvider();
        using var model = new StreamOpensLater(refusals: 1, refusal: () => new ObjectDisposedException("session"));
        using var client = new SamplingChatClient(model, new SamplingGate(), TimeSpan.FromSeconds(60), time);

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => client.GetResponseAsync([new ChatMessage(ChatRole.User, "propose")], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(1, model.Attempts);
    }

    /// <summary>
    /// Moves the fake clock by <paramref name="span"/> in steps of 100 ms (the retries wait 25 ms doubling to 500 ms, so at
    /// most one is due per step), letting the due retry run between them.
    /// </summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Task call, TimeSpan span)
    {
        for (var moved = TimeSpan.Zero; moved < span && !call.IsCompleted; moved += TimeSpan.FromMilliseconds(100))
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The SDK's sampling client before the client's GET stream is open: it refuses the request unsent.</summary>
    private sealed class StreamOpensLater(int refusals, Func<Exception>? refusal = null) : IChatClient
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _attempts) <= refusals
                ? throw (refusal?.Invoke() ?? new InvalidOperationException("no GET SSE stream has been opened on this session"))
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answered")));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
