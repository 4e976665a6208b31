namespace TotService.Engine.Providers;

/// <summary>
/// Picks the thought provider for a request. <c>auto</c> prefers the domain's exact solver, then the
/// client's model through sampling, then the configured endpoint. A pure function so every rule is testable.
/// </summary>
public static class ProviderSelector
{
    public const string Auto = "auto";
    public const string Allowed = "auto, domain, sampling, endpoint";

    public static ProviderSelection Select(ProviderAvailability available)
    {
        var requested = available.Requested.Trim().ToLowerInvariant();
        return requested switch
        {
            Auto when available.DomainHasSolver => Chosen(ProviderKind.Domain),
            Auto when available.ClientSupportsSampling => Chosen(ProviderKind.Sampling),
            Auto when available.EndpointConfigured => Chosen(ProviderKind.Endpoint),
            Auto => Failed(
                $"No thought provider applies: domain '{EchoedText.Clip(available.Domain)}' has no built-in solver, the client did not declare the MCP sampling capability, " +
                "and no LLM endpoint is configured (Llm:BaseUrl and Llm:Model). Options: use domain 'game24', connect with a client that supports sampling, or configure an endpoint."),
            "domain" => available.DomainHasSolver
                ? Chosen(ProviderKind.Domain)
                : Failed($"Provider 'domain' needs a domain with a built-in solver; '{EchoedText.Clip(available.Domain)}' has none (solvers: game24). Use 'auto', 'sampling' or 'endpoint'."),
            "sampling" => available.ClientSupportsSampling
                ? Chosen(ProviderKind.Sampling)
                : Failed("Provider 'sampling' needs an MCP client that declares the sampling capability; this client does not. Use 'auto', 'domain' or 'endpoint'."),
            "endpoint" => available.EndpointConfigured
                ? Chosen(ProviderKind.Endpoint)
                : Failed("Provider 'endpoint' needs an LLM endpoint configured on the server (Llm:BaseUrl and Llm:Model); none is. Use 'auto', 'domain' or 'sampling'."),
            _ => Failed($"Unknown provider '{EchoedText.Clip(available.Requested)}'. Allowed: {Allowed}."),
        };
    }

    private static ProviderSelection Chosen(ProviderKind kind) => new(kind, null);

    private static ProviderSelection Failed(string error) => new(null, error);
}
