using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace TotService.Engine.Providers.Llm;

/// <summary>Creates the <see cref="IChatClient"/> for a configured OpenAI-compatible endpoint.</summary>
public static class OpenAiChatClientFactory
{
    // OpenAI's client insists on a key; local servers ignore whatever is sent.
    private const string PlaceholderKey = "no-key";

    /// <param name="retries">Counts the retries this client makes, when given.</param>
    public static IChatClient Create(LlmProviderOptions options, EndpointRetries? retries = null)
    {
        if (!options.IsConfigured || options.Validate() is { Count: > 0 })
        {
            throw new InvalidOperationException("The LLM endpoint is not configured: " + string.Join(" ", options.Validate().DefaultIfEmpty("set Llm:BaseUrl and Llm:Model.")));
        }

        var client = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? PlaceholderKey : options.ApiKey),
            new OpenAIClientOptions
            {
                Endpoint = new Uri(options.BaseUrl!),
                NetworkTimeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds),
                RetryPolicy = new EndpointRetryPolicy(options.MaxRetries, TimeSpan.FromSeconds(options.RetryDelaySeconds), retries),
            });
        return client.GetChatClient(options.Model).AsIChatClient();
    }
}
