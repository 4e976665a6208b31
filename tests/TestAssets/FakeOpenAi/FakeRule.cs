using System.Text.RegularExpressions;

namespace FakeOpenAi;

/// <summary>
/// A scripted reply: when <see cref="Match"/> finds the prompt, answer with <see cref="Replies"/> (choice i gets
/// reply i modulo their count), or fail as <see cref="Fault"/> says. With <see cref="Times"/> the rule is used up
/// after that many requests and later ones fall through to the next rule.
/// </summary>
public sealed class FakeRule
{
    private int used;

    public FakeRule(string match, params string[] replies)
    {
        Match = new Regex(match, RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        Replies = replies;
    }

    public Regex Match { get; }

    public IReadOnlyList<string> Replies { get; }

    public FakeFault Fault { get; init; }

    /// <summary>Waits this long before answering (a slow endpoint).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Cuts each reply after this many tokens with <c>finish_reason: length</c>, as <c>max_tokens</c> would.</summary>
    public int? CutAfterTokens { get; init; }

    public int? Times { get; init; }

    internal bool TryUse(string prompt)
    {
        if (!Match.IsMatch(prompt))
        {
            return false;
        }

        return Times is not int limit || Interlocked.Increment(ref used) <= limit;
    }
}
