namespace FakeOpenAi;

/// <summary>One chat message of a request, its content flattened to text.</summary>
public sealed record FakeMessage(string Role, string Content);

/// <summary>What a client asked for in one <c>POST /v1/chat/completions</c>.</summary>
/// <param name="Authorization">The request's <c>Authorization</c> header, if any (tests check which key was sent).</param>
public sealed record FakeRequest(string Model, IReadOnlyList<FakeMessage> Messages, int N, int? MaxTokens, string? Authorization)
{
    /// <summary>The last user message: the prompt a script matches on.</summary>
    public string Prompt => Messages.LastOrDefault(m => m.Role == "user")?.Content ?? "";
}
