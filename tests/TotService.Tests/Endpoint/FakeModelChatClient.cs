using FakeOpenAi;
using Microsoft.Extensions.AI;

namespace TotService.Tests.Endpoint;

/// <summary>The fake server's model as an in-process chat client, for a test MCP client's sampling handler.</summary>
internal sealed class FakeModelChatClient(IFakeModel model) : IChatClient
{
    private int calls;

    public int Calls => Volatile.Read(ref calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref calls);
        var prompt = messages.Last(m => m.Role == ChatRole.User).Text;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, model.Reply(prompt, 0) ?? "")));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Wrap in NonStreaming for the sampling handler.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
