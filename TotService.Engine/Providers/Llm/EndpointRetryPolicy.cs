using System.ClientModel.Primitives;

namespace TotService.Engine.Providers.Llm;

/// <summary>
/// The client library's retry rules (408, 429, 5xx, network errors and timeouts) with a doubling delay from a
/// configured base, counting every retry so a benchmark can report a struggling endpoint.
/// </summary>
internal sealed class EndpointRetryPolicy(int maxRetries, TimeSpan firstDelay, EndpointRetries? retries) : ClientRetryPolicy(maxRetries)
{
    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        retries?.Record();
        return firstDelay * Math.Pow(2, Math.Max(0, tryCount - 1));
    }
}
