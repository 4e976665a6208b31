namespace TotService.Runs;

/// <summary>
/// What a run on the client's model has learned from the client so far, stored in Redis beside the run
/// (<see cref="IModelTranscriptStore"/>): every answer by question key, the questions still open, and the handle the
/// client must send back to continue. The search itself is not stored: each round replays it from the answers
/// (<see cref="ReplayChatClient"/>), so any replica can take the next round.
/// </summary>
public sealed record ModelTranscript
{
    public required string RunId { get; init; }

    public required string Owner { get; init; }

    /// <summary>Rounds answered so far; a handle names the round it continues, so each is accepted once.</summary>
    public required int Round { get; init; }

    /// <summary>The unguessable part of the current round's handle (128 random bits, hex).</summary>
    public required string Nonce { get; init; }

    public Dictionary<string, ModelAnswer> Answers { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The questions this round asks, by key.</summary>
    public Dictionary<string, ModelQuestion> Pending { get; init; } = new(StringComparer.Ordinal);

    /// <summary>UTF-8 bytes of the answers, bounded by <see cref="RunOptions.MaxTranscriptBytes"/>.</summary>
    public long AnswerBytes { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One reply of the client's model.</summary>
public sealed record ModelAnswer(string Text, bool Truncated);

/// <summary>One question for the client's model, as the search asked it.</summary>
public sealed record ModelQuestion(string? SystemPrompt, IReadOnlyList<ModelTurn> Turns, int MaxTokens, float? Temperature);

public sealed record ModelTurn(string Role, string Text);
