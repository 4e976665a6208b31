namespace FakeOpenAi;

/// <summary>How a scripted reply breaks the protocol on purpose.</summary>
public enum FakeFault
{
    None,

    /// <summary>HTTP 500 with an OpenAI-shaped error body.</summary>
    ServerError,

    /// <summary>HTTP 200 whose body is not JSON.</summary>
    MalformedJson,

    /// <summary>HTTP 200 with <c>"choices": []</c>.</summary>
    EmptyChoices,
}
