using System.Globalization;
using Microsoft.Extensions.AI;
using TotService.Engine.Providers.Llm;

namespace TotService.Runs;

/// <summary>
/// The caller's model over MCP sampling, as a run uses it: each request gives the run's slot back while the client
/// thinks (<see cref="SamplingGate"/>) and fails with a readable <see cref="ModelCallException"/> when the client does
/// not answer within <see cref="RunOptions.SamplingTimeout"/>, which ends the run and frees everything it held.
/// </summary>
/// <remarks>
/// A run started by <c>tot_start_run</c> outlives the tool call, so its requests travel on the session's GET event
/// stream. A client opens that stream just after <c>initialize</c>, in the background, and the SDK refuses a request
/// sent before it is open (<see cref="InvalidOperationException"/>, nothing sent); the request waits for the stream
/// within the same timeout instead of failing a run its client started a moment too early.
/// </remarks>
public sealed class SamplingChatClient(IChatClient inner, SamplingGate gate, TimeSpan timeout, TimeProvider timeProvider)
    : DelegatingChatClient(inner)
{
    private static readonly TimeSpan FirstStreamRetry = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestStreamRetry = TimeSpan.FromMilliseconds(500);

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await gate.EnterAsync(cancellationToken);
        try
        {
            using var deadline = new CancellationTokenSource(timeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            var waitingForStream = false;
            try
            {
                var retry = FirstStreamRetry;
                while (true)
                {
                    try
                    {
                        waitingForStream = false;
                        return await base.GetResponseAsync(messages, options, linked.Token);
                    }
                    catch (InvalidOperationException ex) when (ex.GetType() == typeof(InvalidOperationException))
                    {
                        waitingForStream = true;
                        await Task.Delay(retry, timeProvider, linked.Token);
                        retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestStreamRetry.Ticks));
                    }
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                throw new ModelCallException(waitingForStream
                    ? $"The client did not open its event stream (GET on the MCP endpoint) within {seconds} s ({RunOptions.SectionName}:SamplingTimeout); a run started with tot_start_run sends its sampling requests there, so the run stopped."
                    : $"The client did not answer a sampling request within {seconds} s ({RunOptions.SectionName}:SamplingTimeout), so the run stopped.");
            }
        }
        finally
        {
            await gate.ExitAsync(cancellationToken);
        }
    }
}
