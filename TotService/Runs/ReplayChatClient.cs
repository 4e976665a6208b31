using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace TotService.Runs;

/// <summary>
/// The client's model as a round of a replayed search sees it: questions answered in an earlier round are answered at
/// once from the transcript; a new question is noted in <see cref="Asked"/> and never answered in this round. Because
/// answered questions complete synchronously, the search runs without a break until every question it can ask without
/// new answers has been asked: when its task first waits, <see cref="Asked"/> holds that whole batch (a beam level's
/// proposals, or all their evaluations), which goes to the client in one round trip.
/// </summary>
/// <remarks>
/// A question's key is a digest of the prompt and options plus how many times the same prompt was asked before in
/// this search, so repeated samples of one prompt (value votes) are separate questions with separate answers. The
/// search asks in the same order on every replay, so the keys are stable from round to round.
/// </remarks>
public sealed class ReplayChatClient(IReadOnlyDictionary<string, ModelAnswer> answers) : IChatClient
{
    private readonly Dictionary<string, int> _timesAsked = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<ChatResponse> _unanswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _roundOver;

    /// <summary>The questions asked in this round that no earlier round answered.</summary>
    public Dictionary<string, ModelQuestion> Asked { get; } = new(StringComparer.Ordinal);

    /// <summary>Ends the round: questions still waiting are cancelled (the search unwinds), later ones are not noted.</summary>
    public void EndRound()
    {
        _roundOver = true;
        _unanswered.TrySetCanceled();
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (_roundOver)
        {
            return Task.FromCanceled<ChatResponse>(cancellationToken.IsCancellationRequested ? cancellationToken : new CancellationToken(canceled: true));
        }

        var question = Question(messages, options);
        var digest = Digest(question);
        var occurrence = _timesAsked.GetValueOrDefault(digest);
        _timesAsked[digest] = occurrence + 1;
        var key = $"{digest}-{occurrence}";
        if (answers.TryGetValue(key, out var answer))
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer.Text))
            {
                FinishReason = answer.Truncated ? ChatFinishReason.Length : ChatFinishReason.Stop,
            });
        }

        Asked[key] = question;
        return _unanswered.Task;
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The search asks for whole replies.");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static ModelQuestion Question(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var list = messages.ToList();
        var system = string.Join("\n\n", list.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        var turns = list.Where(m => m.Role != ChatRole.System)
            .Select(m => new ModelTurn(m.Role == ChatRole.Assistant ? "assistant" : "user", m.Text))
            .ToList();
        return new ModelQuestion(system.Length == 0 ? null : system, turns, options?.MaxOutputTokens ?? 1000, options?.Temperature);
    }

    private static string Digest(ModelQuestion question)
    {
        var text = new StringBuilder()
            .Append(question.SystemPrompt).Append('\u0001')
            .AppendJoin('\u0001', question.Turns.Select(t => t.Role + "\u0002" + t.Text)).Append('\u0001')
            .Append(question.MaxTokens).Append('\u0001')
            .Append(question.Temperature?.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return "q" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 12);
    }
}
