using FakeOpenAi;
using Microsoft.Extensions.AI;
using TotService.Engine.Providers.Llm;

namespace TotService.Tests.Endpoint;

/// <summary>Puzzles the scripted model is good and bad at, and a chat client pointed at a fake server.</summary>
internal static class FakeEndpoint
{
    public static readonly int[][] Good = [[4, 9, 10, 13], [1, 4, 8, 8], [2, 3, 5, 12]];

    public static readonly int[][] Bad = [[1, 2, 4, 7], [3, 3, 8, 8]];

    public static Game24FakeModel Model() => new(Good, Good, Good);

    public static LlmProviderOptions Options(FakeOpenAiServer server, double timeoutSeconds = 10, int maxRetries = 0) => new()
    {
        BaseUrl = server.BaseUrl.ToString(),
        Model = "fake-model",
        MaxRetries = maxRetries,
        RetryDelaySeconds = 0.05,
        RequestTimeoutSeconds = timeoutSeconds,
    };

    public static IChatClient Client(FakeOpenAiServer server, double timeoutSeconds = 10, int maxRetries = 0, EndpointRetries? retries = null) =>
        OpenAiChatClientFactory.Create(Options(server, timeoutSeconds, maxRetries), retries);
}
