namespace TotService.Engine.Providers.Llm;

/// <summary>Values of the <c>tot.operation</c> tag on the LLM instruments.</summary>
public static class LlmOperations
{
    public const string Propose = "propose";
    public const string Evaluate = "evaluate";
    public const string Finalize = "finalize";
}
