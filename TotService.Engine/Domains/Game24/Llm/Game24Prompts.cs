using Microsoft.Extensions.AI;

namespace TotService.Engine.Domains.Game24.Llm;

/// <summary>
/// The Game of 24 prompts in the shape of the Tree-of-Thoughts paper's: few-shot propose, value, last-step value,
/// chain-of-thought and plain input-output prompts. Replies are read by <see cref="Game24ReplyParser"/>.
/// </summary>
internal static class Game24Prompts
{
    public const string AnswerPrefix = "Answer:";

    private const string ProposeText = """
        Game of 24: pick two of the numbers and combine them with one of + - * / into a new number.
        List possible next steps, one per line, each as "a op b = c (left: the numbers that remain)".
        Input: 3 5 7 12
        Possible next steps:
        5 + 7 = 12 (left: 3 12 12)
        12 - 5 = 7 (left: 3 7 7)
        3 * 5 = 15 (left: 7 12 15)
        12 / 3 = 4 (left: 4 5 7)
        7 - 3 = 4 (left: 4 5 12)
        12 + 3 = 15 (left: 5 7 15)
        Now list possible next steps for these numbers.
        """;

    private const string ValueText = """
        Game of 24: can these numbers still make 24, each used exactly once with + - * /?
        Try a few combinations, then write one word on the last line: sure, likely or impossible.
        11 13
        11 + 13 = 24
        sure
        2 6 8
        8 / 2 = 4, 4 * 6 = 24
        sure
        3 3 9
        3 * 9 = 27, 27 - 3 = 24
        sure
        5 6 13
        5 + 6 + 13 = 24
        sure
        10 10 11
        10 + 10 + 11 = 31, (11 - 10) * 10 = 10
        no way found yet, but the numbers are close to 24
        likely
        1 2 3
        1 + 2 + 3 = 6, (1 + 2) * 3 = 9
        every result is far below 24
        impossible
        1 1
        1 + 1 = 2, 1 * 1 = 1
        impossible
        """;

    private const string LastStepText = """
        Game of 24: a correct answer uses every input number exactly once, only + - * / and parentheses, and equals 24.
        Judge the answer: write "sure" when it is correct and "impossible" when it is not.
        Input: 4 4 6 8
        Answer: (4 + 8) * (6 - 4) = 24
        Judge: sure
        Input: 1 4 8 8
        Answer: (8 / 4 + 1) * 8 = 24
        Judge: sure
        Input: 5 5 5 9
        Answer: 5 + 5 + 5 + 9 = 24
        Judge: sure
        Input: 4 4 6 8
        Answer: (4 + 8) * 6 - 4 = 24
        Judge: impossible
        Input: 2 9 10 12
        Answer: 2 * (12 - 10) = 24
        Judge: impossible
        """;

    private const string CotText = """
        Game of 24: use every input number exactly once with + - * / to make 24. Combine two numbers per step,
        writing "a op b = c (left: the numbers that remain)"; when only 24 is left, write
        "Answer: <one expression over the input numbers> = 24".
        Input: 4 4 6 8
        Steps:
        4 + 8 = 12 (left: 4 6 12)
        6 - 4 = 2 (left: 2 12)
        2 * 12 = 24 (left: 24)
        Answer: (6 - 4) * (4 + 8) = 24
        Input: 2 9 10 12
        Steps:
        12 * 2 = 24 (left: 9 10 24)
        10 - 9 = 1 (left: 1 24)
        24 * 1 = 24 (left: 24)
        Answer: (12 * 2) * (10 - 9) = 24
        Input: 1 4 8 8
        Steps:
        8 / 4 = 2 (left: 1 2 8)
        1 + 2 = 3 (left: 3 8)
        3 * 8 = 24 (left: 24)
        Answer: (1 + 8 / 4) * 8 = 24
        """;

    private const string IoText = """
        Game of 24: use every input number exactly once with + - * / and parentheses to make 24. Reply with the answer line only.
        Input: 4 4 6 8
        Answer: (4 + 8) * (6 - 4) = 24
        Input: 2 9 10 12
        Answer: 2 * 12 * (10 - 9) = 24
        Input: 4 9 10 13
        Answer: (13 - 9) * (10 - 4) = 24
        Input: 1 4 8 8
        Answer: (8 / 4 + 1) * 8 = 24
        Input: 5 5 5 9
        Answer: 5 + 5 + 5 + 9 = 24
        """;

    /// <summary>Ends with <c>Input: &lt;numbers left&gt;</c>; the reply lists one step per line.</summary>
    public static IReadOnlyList<ChatMessage> Propose(string numbersLeft) => User($"{ProposeText}\nInput: {numbersLeft}");

    /// <summary>Ends with the numbers left; the reply's last line is sure, likely or impossible.</summary>
    public static IReadOnlyList<ChatMessage> Value(string numbersLeft) => User($"{ValueText}\n{numbersLeft}");

    /// <summary>Judges a complete answer: sure or impossible.</summary>
    public static IReadOnlyList<ChatMessage> LastStepValue(Game24Puzzle puzzle, string answer) =>
        User($"{LastStepText}\nInput: {puzzle}\n{AnswerPrefix} {answer}\nJudge:");

    /// <summary>Chain of thought: with no steps it is the baseline; with the search's steps the model writes the answer.</summary>
    public static IReadOnlyList<ChatMessage> ChainOfThought(Game24Puzzle puzzle, IEnumerable<string> stepsSoFar) =>
        User(string.Join('\n', [CotText, $"Input: {puzzle}", "Steps:", .. stepsSoFar]));

    public static IReadOnlyList<ChatMessage> InputOutput(Game24Puzzle puzzle) => User($"{IoText}\nInput: {puzzle}");

    private static ChatMessage[] User(string text) => [new(ChatRole.User, text)];
}
