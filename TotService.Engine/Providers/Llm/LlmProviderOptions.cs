using System.Globalization;

namespace TotService.Engine.Providers.Llm;

/// <summary>An OpenAI-compatible chat endpoint (OpenAI, Azure OpenAI, Ollama, vLLM), bound from the "Llm" section.</summary>
public sealed class LlmProviderOptions
{
    public const string SectionName = "Llm";

    public const int MaxRetriesLimit = 10;

    /// <summary>E.g. https://api.openai.com/v1 or http://localhost:11434/v1.</summary>
    public string? BaseUrl { get; set; }

    public string? Model { get; set; }

    /// <summary>Optional: local servers such as Ollama need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Retries of a failed or timed-out request (HTTP 408, 429, 5xx, network errors), 0-10.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay; each further retry waits twice as long.</summary>
    public double RetryDelaySeconds { get; set; } = 1;

    /// <summary>How long one attempt may take before it is abandoned (and retried).</summary>
    public double RequestTimeoutSeconds { get; set; } = 60;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl) && !string.IsNullOrWhiteSpace(Model);

    /// <summary>Empty when valid or not configured at all (the endpoint is optional).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxRetries is < 0 or > MaxRetriesLimit)
        {
            errors.Add($"Llm:MaxRetries must be between 0 and {MaxRetriesLimit} (got {MaxRetries}).");
        }

        if (!(RetryDelaySeconds is >= 0 and <= 60))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Llm:RetryDelaySeconds must be between 0 and 60 (got {RetryDelaySeconds})."));
        }

        if (!(RequestTimeoutSeconds is > 0 and <= 3600))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Llm:RequestTimeoutSeconds must be greater than 0 and at most 3600 (got {RequestTimeoutSeconds})."));
        }

        if (string.IsNullOrWhiteSpace(BaseUrl) && string.IsNullOrWhiteSpace(Model))
        {
            return errors;
        }

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
