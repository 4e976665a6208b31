namespace FakeOpenAi;

/// <summary>Computes replies for prompts no rule matched; <c>null</c> when it has nothing to say.</summary>
public interface IFakeModel
{
    /// <param name="sample">Which of the request's <c>n</c> choices is being written, from 0.</param>
    string? Reply(string prompt, int sample);
}
