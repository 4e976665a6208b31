namespace FakeOpenAi;

/// <summary>The fake server's replies: rules first, in order, then the model; an unmatched prompt gets an empty reply.</summary>
public sealed class FakeScript
{
    private readonly Lock gate = new();

    public List<FakeRule> Rules { get; } = [];

    public IFakeModel? Model { get; init; }

    internal FakeRule? RuleFor(string prompt)
    {
        lock (gate)
        {
            return Rules.FirstOrDefault(r => r.TryUse(prompt));
        }
    }

    internal string ReplyFor(FakeRule? rule, string prompt, int sample) => rule is { Replies.Count: > 0 }
        ? rule.Replies[sample % rule.Replies.Count]
        : Model?.Reply(prompt, sample) ?? "";
}
