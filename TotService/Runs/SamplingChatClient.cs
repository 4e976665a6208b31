using System.Globalization;
using Microsoft.Extensions.AI;
using TotService.Engine.Providers.Llm;

namespace TotService.Runs;

/// <summary>
/// The caller's model over MCP sampling, as a run uses it: each request gives the run's slot back while the client
/// thinks (<see cref="SamplingGate"/>) and fails with a readable <see cref="ModelCallException"/> when the client does
/// not answer within <see cref="RunOptions.SamplingTimeout"/>, which ends the run and frees everything it held.
/// </summary>
public sealed class SamplingChatClient(IChatClient inner, SamplingGate gate, TimeSpan timeout, TimeProvider timeProvider)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await gate.EnterAsync(cancellationToken);
        try
        {
            using var deadline = new CancellationTokenSource(timeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                return await base.GetResponseAsync(messages, options, linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ModelCallException(string.Create(CultureInfo.InvariantCulture,
                    $"The client did not answer a sampling request within {timeout.TotalSeconds:0.###} s ({RunOptions.SectionName}:SamplingTimeout), so the run stopped."));
            }
        }
        finally
        {
            await gate.ExitAsync(cancellationToken);
        }
    }
}
