using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace TotService.Runs;

/// <summary>
/// Model questions as MCP sampling requests inside multi round-trip requests and tasks (<c>inputRequests</c>), and the
/// client's <c>inputResponses</c> back as answers.
/// </summary>
// MCP 2026-07-28 deprecates sampling (MCP9005), yet it is still how a client lends its model inside a multi round-trip
// request; the suppression is confined to this type.
#pragma warning disable MCP9005
public static class SamplingQuestions
{
    public static Dictionary<string, InputRequest> ToInputRequests(IReadOnlyDictionary<string, ModelQuestion> questions) =>
        questions.ToDictionary(q => q.Key, q => InputRequest.ForSampling(ToSamplingRequest(q.Value)), StringComparer.Ordinal);

    public static CreateMessageRequestParams ToSamplingRequest(ModelQuestion question) => new()
    {
        SystemPrompt = question.SystemPrompt,
        Messages = question.Turns
            .Select(t => new SamplingMessage { Role = t.Role == "assistant" ? Role.Assistant : Role.User, Content = [new TextContentBlock { Text = t.Text }] })
            .ToList(),
        MaxTokens = question.MaxTokens,
        Temperature = question.Temperature,
        IncludeContext = ContextInclusion.None,
    };

    /// <summary>The text of a sampling result; a reply cut at the token limit is marked truncated.</summary>
    /// <exception cref="McpProtocolException">The response is not a sampling result (invalid params, naming the key).</exception>
    public static ModelAnswer ReadAnswer(string key, InputResponse response)
    {
        CreateMessageResult? result;
        try
        {
            result = response.Deserialize(InputResponse.CreateMessageResultJsonTypeInfo);
        }
        catch (System.Text.Json.JsonException)
        {
            result = null;
        }
        if (result?.Content is not { } content)
        {
            throw new McpProtocolException(
                $"inputResponses['{RunIds.Display(key)}'] is not a sampling result (an object with role and content).", McpErrorCode.InvalidParams);
        }
        var text = string.Concat(content.OfType<TextContentBlock>().Select(t => t.Text));
        return new ModelAnswer(text, result.StopReason == "maxTokens");
    }
}
#pragma warning restore MCP9005
