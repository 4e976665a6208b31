namespace TotService.Engine.Providers.Llm;

/// <summary>An OpenAI-compatible chat endpoint (OpenAI, Azure OpenAI, Ollama, vLLM), bound from the "Llm" section.</summary>
public sealed class LlmProviderOptions
{
    public const string SectionName = "Llm";

    /// <summary>E.g. https://api.openai.com/v1 or http://localhost:11434/v1.</summary>
    public string? BaseUrl { get; set; }

    public string? Model { get; set; }

    /// <summary>Optional: local servers such as Ollama need none.</summary>
    public string? ApiKey { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl) && !string.IsNullOrWhiteSpace(Model);

    /// <summary>Empty when valid or not configured at all (the endpoint is optional).</summary>
    public IReadOnlyList<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(BaseUrl) && string.IsNullOrWhiteSpace(Model))
        {
            return [];
        }

        var errors = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("Llm:BaseUrl must be an absolute http(s) URL when Llm:Model is set.");
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            errors.Add("Llm:Model must be set when Llm:BaseUrl is set.");
        }

        return errors;
    }
}
